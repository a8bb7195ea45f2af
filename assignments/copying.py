"""What a course's copy for a new term brings of assignments (config/hooks.py,
COURSE_COPIERS; docs/terms.md): every assignment with its rubric, its times moved to
the new term. Nothing of the students: no submission, extension, feedback or grade."""

from django.db.models import Min

from assignments.models import Assignment, RubricCriterion, RubricLevel
from assignments.times import course_zone


def copy_assignments(copying):
    for assignment in Assignment.objects.for_course(copying.source).with_criteria():
        copy = Assignment.objects.create(
            course=copying.target,
            title=assignment.title,
            slug=assignment.slug,
            prompt=assignment.prompt,
            opens_at=copying.shift(assignment.opens_at),
            due_at=copying.shift(assignment.due_at),
            cutoff_at=copying.shift(assignment.cutoff_at),
            points=assignment.points,
            topic=copying.topic(assignment.topic),
        )
        for criterion in assignment.criteria.all():
            new = RubricCriterion.objects.create(
                assignment=copy, name=criterion.name, position=criterion.position
            )
            RubricLevel.objects.bulk_create(
                RubricLevel(criterion=new, label=lv.label, points=lv.points, position=lv.position)
                for lv in criterion.levels.all()
            )


def preview(course, shift):
    """Every assignment with its times now and in the new term, in the course's zone."""
    zone = course_zone(course)
    rows = []
    for assignment in Assignment.objects.for_course(course).in_order():
        times = [
            (label, moment.astimezone(zone), shift(moment).astimezone(zone))
            for label, moment in (
                ("Opens", assignment.opens_at),
                ("Due", assignment.due_at),
                ("Cut-off", assignment.cutoff_at),
            )
            if moment is not None
        ]
        rows.append({"assignment": assignment, "times": times})
    return {"assignments": rows, "zone": zone}


def first_opening(course):
    return Assignment.objects.for_course(course).aggregate(first=Min("opens_at"))["first"]
