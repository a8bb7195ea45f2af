"""Deep Linking (docs/lti.md): an instructor choosing content in the LMS picks the
course, an assignment or a post; Commonplace answers with a signed
LtiDeepLinkingResponse. An assignment with points carries its line item, so the LMS
makes the grade column, and the first launch of that link ties the column to the
assignment (record_line_item)."""

from django.apps import apps
from django.core import signing

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
    if obj.__class__.__name__ == "Assignment" and (obj.max_points or 0) > 0:
        item["lineItem"] = {
            "scoreMaximum": float(obj.max_points),
            "label": obj.title,
            "resourceId": f"assignment-{obj.pk}",
            "tag": "commonplace",
        }
    return item


def resource(item):
    """A content item as pylti1p3's DeepLinkResource (with its line item, if any)."""
    from pylti1p3.deep_link_resource import DeepLinkResource
    from pylti1p3.lineitem import LineItem as LibraryLineItem

    placed = DeepLinkResource().set_title(item["title"]).set_url(item["url"])
    if "lineItem" in item:
        wanted = item["lineItem"]
        placed.set_lineitem(
            LibraryLineItem()
            .set_score_maximum(wanted["scoreMaximum"])
            .set_label(wanted["label"])
            .set_resource_id(wanted["resourceId"])
            .set_tag(wanted["tag"])
        )
    return placed


def response_jwt(*, platform, deployment_id, data, items):
    """The signed LtiDeepLinkingResponse, made by pylti1p3's DeepLink (lti.library)."""
    from lti.library import DeepLinkAnswer, PlatformRegistration

    answer = DeepLinkAnswer(PlatformRegistration(platform), deployment_id, {"data": data})
    return answer.get_response_jwt([resource(item) for item in items])


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
