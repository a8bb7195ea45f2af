"""What a like button says, shared by post likes (here) and comment likes (comments).

The words are worked out once in Python, so the page, the JSON answer to the
button's fetch and the tests all agree on them.
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import ngettext


def button_label(count, liked):
    """The button's accessible name: "Like", or "Unlike, 3 people like this"."""
    if not liked:
        return "Like"
    return ngettext(
        "Unlike, %(count)d person likes this", "Unlike, %(count)d people like this", count
    ) % {"count": count}


def liked_by(count):
    """The line under the button: "Liked by 1 person", "Liked by 3 people" (or "")."""
    if not count:
        return ""
    return ngettext("Liked by %(count)d person", "Liked by %(count)d people", count) % {
        "count": count
    }


def likes_summary(*, count, liked, likers=None):
    """Everything a like button and its line show; `likers` only for course members."""
    return {
        "count": count,
        "liked": liked,
        "label": button_label(count, liked),
        "liked_by": liked_by(count),
        "likers": likers,
    }


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def like_response(request, *, summary, next_url):
    """JSON for the button's fetch; otherwise back to the liked thing's anchor."""
    if wants_json(request):
        likers = summary["likers"]
        names = None if likers is None else [user.name for user in likers]
        faces = None
        if likers is not None:
            faces = [
                {
                    "name": user.name,
                    "initials": user.initials,
                    "avatar": user.avatar.url if user.avatar else "",
                }
                for user in likers
            ]
        return JsonResponse({**summary, "likers": names, "liker_faces": faces})
    return redirect(next_url)
