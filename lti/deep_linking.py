"""Deep Linking (docs/lti.md): an instructor choosing content in the LMS picks the
course, an assignment or a post; Commonplace answers with a signed
LtiDeepLinkingResponse. An assignment with points carries its line item, so the LMS
makes the grade column, and the first launch of that link ties the column to the
assignment (record_line_item)."""

from django.apps import apps
from django.core import signing

from lti import keys
from lti.launch import AGS, DL, LTI
from lti.models import LineItem

SALT = "lti.deep_linking"
PICKER_MAX_AGE = 3600  # seconds an instructor has to choose
POSTS_OFFERED = 50


def picker_token(*, launch, context, user):
    """What the picker's form carries back (signed: the frame may keep no cookie)."""
    settings = launch.claims[DL + "deep_linking_settings"]
    return signing.dumps(
        {
            "platform": launch.platform.pk,
            "context": context.pk,
            "user": user.pk,
            "deployment_id": launch.claims[LTI + "deployment_id"],
            "return_url": settings["deep_link_return_url"],
            "data": settings.get("data"),
        },
        salt=SALT,
    )


def read_picker_token(token):
    return signing.loads(token, salt=SALT, max_age=PICKER_MAX_AGE)


def choices(course):
    """What may be placed: the course, its assignments, its latest published posts."""
    offered = [("course", course.title, course)]
    if apps.is_installed("assignments"):
        from assignments.models import Assignment

        for assignment in Assignment.objects.filter(course=course).order_by("title"):
            offered.append((f"assignment:{assignment.pk}", assignment.title, assignment))
    posts = course.posts.published().order_by("-published_at")[:POSTS_OFFERED]
    for post in posts:
        offered.append((f"post:{post.pk}", post.title, post))
    return offered


def content_item(obj, absolute):
    item = {
        "type": "ltiResourceLink",
        "title": str(obj)[:200],
        "url": absolute(obj.get_absolute_url()),
    }
    if obj.__class__.__name__ == "Assignment" and obj.max_points is not None:
        item["lineItem"] = {
            "scoreMaximum": float(obj.max_points),
            "label": obj.title,
            "resourceId": f"assignment-{obj.pk}",
            "tag": "commonplace",
        }
    return item


def response_jwt(*, platform, deployment_id, data, items):
    claims = {
        "iss": platform.client_id,
        "aud": platform.issuer,
        "azp": platform.client_id,
        LTI + "message_type": "LtiDeepLinkingResponse",
        LTI + "version": "1.3.0",
        LTI + "deployment_id": deployment_id,
        DL + "content_items": items,
    }
    if data is not None:
        claims[DL + "data"] = data
    return keys.sign(claims, lifetime=600)


def record_line_item(*, launch, context, next_url):
    """A launch of a placed assignment with the LMS's line item: tie them, once."""
    endpoint = launch.claims.get(AGS + "endpoint") or {}
    url = endpoint.get("lineitem")
    if not url or not apps.is_installed("assignments"):
        return
    from django.urls import Resolver404, resolve

    try:
        match = resolve(next_url)
    except Resolver404:
        return
    if match.view_name != "assignments:assignment_detail":
        return
    from assignments.models import Assignment

    assignment = Assignment.objects.filter(
        course_id=context.course_id, slug=match.kwargs["assignment_slug"]
    ).first()
    if assignment is not None:
        LineItem.objects.get_or_create(
            assignment=assignment, defaults={"context": context, "url": url}
        )
