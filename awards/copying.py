"""What a course's copy for a new term brings of awards (config/hooks.py,
COURSE_COPIERS; docs/terms.md): the award types, never their grants."""

from awards.models import Award

COPIED_FIELDS = ("name", "slug", "description", "emoji", "image", "colour", "retired_at")


def copy_awards(copying):
    Award.objects.bulk_create(
        Award(course=copying.target, **{name: getattr(award, name) for name in COPIED_FIELDS})
        for award in Award.objects.for_course(copying.source)
    )


def preview(course, shift):
    return {"awards": list(Award.objects.for_course(course))}
