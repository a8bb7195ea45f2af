"""A participation column per assignment: when each student submitted
(hooks.COURSE_PARTICIPATION_COLUMNS, registered in assignments/hooks.py). Two queries
whatever the number of assignments: their list, and every submission of the period."""

from assignments.models import Assignment, Submission
from blog.participation import ParticipationColumn, in_period


def assignment_columns(course):
    loaded = {}

    def submissions(start, end):
        """{assignment id: {student id: submitted_at}} in the period (loaded once)."""
        if (start, end) not in loaded:
            rows = (
                Submission.objects.submitted()
                .filter(assignment__course=course)
                .filter(in_period("submitted_at", start, end))
                .values_list("assignment_id", "student_id", "submitted_at")
            )
            found = {}
            for assignment_id, student_id, when in rows:
                found.setdefault(assignment_id, {})[student_id] = when
            loaded[(start, end)] = found
        return loaded[(start, end)]

    def source(assignment_id):
        return lambda course, start, end: submissions(start, end).get(assignment_id, {})

    assignments = Assignment.objects.for_course(course).in_order().values_list("pk", "title")
    return [
        ParticipationColumn(
            key=f"assignment-{pk}",
            label=f"Submitted: {title}",
            order=200 + n,
            combine="max",
            sources=[source(pk)],
        )
        for n, (pk, title) in enumerate(assignments)
    ]
