"""What a like button says, shared by post likes (here) and comment likes (comments).

The words are worked out once in Python, so the page, the JSON answer to the
button's fetch and the tests all agree on them.
"""

from html import escape
from urllib.parse import quote

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from accounts.avatars import avatar_html
from blog.icons import icon_svg


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


# What the Like control's accessible name says to a reader who may not like yet.
STEP_LABELS = {
    "sign_in": "Like: sign in to like this {thing}",
    "join": "Like: join this course to like its {things}",
}


def like_button(*, liked, label, small=False, form="", formaction=""):
    """The Like toggle, a submit button: of its enclosing form, or (``form`` and
    ``formaction``) of a shared form elsewhere on the page, as a thread's comments do.
    static/js/comments.js finds it as ``button.like-button``. Small ones (a thread's, up
    to 500 on a page) get their size and heart from the stylesheet by where they stand
    (``.comment .like-button``) and are their text alone; a post's keeps its icon and
    its text in a span (``[data-like-text]``)."""
    target = f' form="{form}" formaction="{escape(formaction)}"' if form else ""
    text = "Liked" if liked else "Like"
    # A small one's name is its text when that says it all ("Like": a thread's 500
    # buttons carried it twice); comments.js sets the name when a like changes it.
    named = "" if small and label == text else f' aria-label="{escape(label)}"'
    inside = text if small else f"{_heart(small)}<span data-like-text>{text}</span>"
    # A button submits by default. A pressed one sends liked=0 (unlike); an unpressed
    # one sends nothing, which the views read as a like (blog.views.likes, comments.views).
    state = ' class="like-button"'
    if liked:
        state = ' name="liked" value="0" class="like-button is-liked"'
    return SafeString(f"<button{target}{state}{named}>{inside}</button>")


def _heart(small):
    """The Like control's heart: small ones (a thread's, up to 500 on a page) are drawn
    by the stylesheet (``.comment .like-button::before``, the same path as a mask)."""
    if small:
        return ""
    return icon_svg("heart", 18, "like-button__icon")


def step_url(step, next_url):
    """Where Like leads a reader who may not like yet: signing in (and back to
    ``next_url``), or the Join a course page."""
    if step == "sign_in":
        return f"{reverse('account_login')}?next={quote(next_url)}"
    return reverse("blog:course_join")


def like_step_link(*, step, url, thing, small=False, describedby=""):
    """The Like control for a reader missing a step: the same look, a link to the step.
    ``thing`` is "post" or "comment"."""
    label = STEP_LABELS[step].format(thing=thing, things=f"{thing}s")
    icon = _heart(small)
    described = f' aria-describedby="{describedby}"' if describedby else ""
    return SafeString(
        f'<a class="like-button" href="{escape(url)}" '
        f'aria-label="{label}"{described}>{icon}Like</a>'
    )


# A liker's face without a picture: their initials, styled by where they stand
# (``.liked-by li > span``), not by the avatar's three classes (a 500-comment thread
# lists about 800 likers: docs/decisions.md, issue 34).
LIKER_INITIALS = '<span aria-hidden="true">{}</span>'


def likers_html(likers):
    """The items of a "Liked by" list: each person's face and name."""
    return SafeString("".join(f"<li>{_face(p)}{escape(p.name)}</li>" for p in likers))


def _face(person):
    picture = getattr(person, "avatar", None)
    if picture:
        return avatar_html(picture.url, person.initials, "xs")
    return LIKER_INITIALS.format(escape(person.initials))


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
        names = html = None
        if likers is not None:
            names, html = [user.name for user in likers], likers_html(likers)
        return JsonResponse({**summary, "likers": names, "likers_html": html})
    return redirect(next_url)
