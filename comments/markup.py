"""The markup of one comment in a thread, as format strings.

Why not a template: Django's template engine pays for every variable and a comment
shows about thirty-five, so a long thread drawn by a template loop missed its budget
(docs/design.md, Promises about speed; the measurement is in docs/decisions.md).
Building each comment's card here (every value escaped with ``escape``; ``body_html``
was sanitised on save) and looping once in ``comments/_thread.html`` keeps the whole
thread in budget.
Change the markup here and in ``tests/comments/test_thread.py`` together.
"""

from html import escape

from accounts.avatars import avatar_html
from blog.likes import like_button, like_step_link, likers_html

CARD = (
    '<article class="{card_class}"><header class="comment__header">{avatar}'
    '<p class="comment__meta"><span class="comment__author">{author}</span>{labels} '
    '<a class="comment__date" href="#{dom_id}"><time datetime="{iso_date}">{date_text}</time></a>'
    "{edited}</p></header>{notice}"
    '<div class="comment__body">{body_html}</div>'
    '<footer class="comment__actions" data-likes>{like}{liked_by}{reply}{own}{moderate}</footer>'
    "</article>"
)
PLACEHOLDER = '<p class="comment__placeholder">{}</p>'
PROFILE_LINK = '<a href="{}">{}</a>'
WEBSITE_LINK = '<a href="{}" rel="nofollow ugc">{}</a>'
INSTRUCTOR = ' <span class="comment__label comment__label--instructor">Instructor</span>'
AUTHOR = ' <span class="comment__label">Author</span>'
EDITED = ' <span class="comment__edited">(edited)</span>'
NOTICE = '<p class="comment__notice">{}</p>'
LIKED_BY = (
    '<div class="liked-by" data-liked-by{hidden}><span data-liked-by-text>{text}</span></div>'
)
LIKERS = (
    '<div class="liked-by" data-liked-by{hidden}><details class="likers" data-likers>'
    '<summary class="likers__summary" data-liked-by-text>{text}</summary>'
    '<ul class="likers__list">{names}</ul></details></div>'
)
REPLY = (
    '<a class="comment__reply" href="{url}" data-reply-to="{dom_id}" data-reply-name="{name}" '
    'aria-label="Reply to {name}">Reply</a>'
)
OWN = (
    '<a class="comment__action" href="{edit_url}">Edit</a> '
    '<a class="comment__action" href="{delete_url}">Delete</a>'
)
MODERATE = (
    '<span class="comment__moderation" role="group" aria-label="Moderate this comment">'
    "{buttons}</span>"
)
MODERATE_BUTTON = (
    '<button type="submit" form="comment-actions" formaction="{url}" name="action" '
    'value="{action}" class="btn btn-sm {style}">{label}</button>'
)
MODERATION_ACTIONS = [
    ("approve", "Approve", "btn-outline-primary"),
    ("spam", "Spam", "btn-outline-secondary"),
    ("remove", "Remove", "btn-outline-danger"),
]


def placeholder(text):
    return PLACEHOLDER.format(escape(text))


def card(c, *, urls, is_moderator, like=None, own=None, liked_by=None):
    """The HTML of comment c, decorated by comments.threads.Thread. `like`, `own` and
    `liked_by`, when given, stand in for the Like button, the Edit and Delete links and
    the "Liked by" line (the holes of a page cached for signed-in readers)."""
    name = escape(c.display_name)
    if c.profile_url:
        author = PROFILE_LINK.format(escape(c.profile_url), name)
    elif c.guest_website:
        author = WEBSITE_LINK.format(escape(c.guest_website), name)
    else:
        author = name
    return CARD.format(
        card_class=c.card_class,
        avatar=avatar_html(c.avatar_url, c.initials, "sm"),
        author=author,
        labels=(INSTRUCTOR if c.is_instructor else "") + (AUTHOR if c.is_post_author else ""),
        dom_id=c.dom_id,
        iso_date=c.iso_date,
        date_text=escape(c.date_text),
        edited=EDITED if c.edited else "",
        notice=NOTICE.format(escape(c.notice)) if c.notice else "",
        body_html=c.body_html,
        like=like if like is not None else _like(c, urls) if c.shows_like else _like_step(c),
        liked_by=liked_by
        if liked_by is not None
        else _liked_by(c)
        if c.liked_by or c.shows_like
        else "",
        reply=REPLY.format(url=urls["reply"](c.id), dom_id=c.dom_id, name=name)
        if c.shows_reply
        else "",
        own=own if own is not None else _own(c, urls) if c.shows_own else "",
        moderate=_moderate(c, urls) if is_moderator else "",
    )


def _own(c, urls):
    return OWN.format(edit_url=urls["edit"](c.id), delete_url=urls["delete"](c.id))


def _like(c, urls, liked=None, label=None):
    return like_button(
        liked=c.liked_by_viewer if liked is None else liked,
        label=c.like_label if label is None else label,
        small=True,
        form="comment-actions",
        formaction=urls["like"](c.id),
    )


def _like_step(c):
    if not c.like_step_url:
        return ""
    return like_step_link(step=c.like_step, url=c.like_step_url, thing="comment", small=True)


def _liked_by(c):
    return liked_by_line(c.liked_by, None if c.likers is None else likers_html(c.likers))


def liked_by_line(text, names):
    """The "Liked by" line: ``text`` (empty: hidden), with the likers' ``names`` (HTML
    list items) for course members, else None."""
    hidden = "" if text else " hidden"
    if names is None:
        return LIKED_BY.format(hidden=hidden, text=text)
    return LIKERS.format(hidden=hidden, text=text, names=names)


def _moderate(c, urls):
    url = urls["moderate"](c.id)
    buttons = "".join(
        MODERATE_BUTTON.format(url=url, action=action, style=style, label=label)
        for action, label, style in MODERATION_ACTIONS
        if not (action == "approve" and c.status == "approved")
        and not (action == "spam" and c.status == "spam")
    )
    return MODERATE.format(buttons=buttons)
