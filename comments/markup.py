"""The markup of one comment in a thread, as format strings.

Why not a template: Django's template engine pays for every variable and a comment
shows about thirty-five, so a long thread drawn by a template loop missed its budget
(docs/design.md, Promises about speed; the measurement is in docs/decisions.md).
Building each comment's card here (every value escaped with ``escape``; ``body_html``
was sanitised on save) and looping once in ``comments/_thread.html`` keeps the whole
thread in budget.
Change the markup here and in ``tests/comments/test_thread.py`` together.
"""

from functools import lru_cache
from html import escape

from accounts.avatars import avatar_html
from blog.likes import like_button

# The card's parts are found by where they stand (``.comment > article > header`` in
# static/css/main.css), not by a class each: on a 500-comment page those
# classes were a third of its bytes (docs/decisions.md, issue 34). The card itself is
# an f-string in ``card`` (str.format with its sixteen names took 3.5 µs more a card).
# The Reply link has no class either: it is the footer's link to the comment's reply
# page (``footer > a[href$="/reply/"]``, in the stylesheet and comments.js), 14 bytes
# on each of a signed-out P500's 450 cards; the archive drops it as a ``comments`` link.
# Initials in place of a picture: styled as ``.avatar--sm`` by where they stand.
INITIALS = '<span aria-hidden="true">{}</span>'
# The "Liked by" line of a reader who can't like (nothing on the page changes it): a
# bare <p>, styled as ``.liked-by`` by where it stands (``.comment > article > footer >
# p``): on a signed-out reader's P500 its class was 16 bytes on 400 cards.
LIKED_BY_STATIC = "<p>{}</p>"
PLACEHOLDER = '<p class="comment__placeholder">{}</p>'
PROFILE_LINK = '<a href="{}">{}</a>'
WEBSITE_LINK = '<a href="{}" rel="nofollow ugc">{}</a>'
INSTRUCTOR = ' <span class="comment__label comment__label--instructor">Instructor</span>'
AUTHOR = ' <span class="comment__label">Author</span>'
EDITED = ' <span class="comment__edited">(edited)</span>'
NOTICE = '<p class="comment__notice">{}</p>'
# A comment nobody liked has no line at all: static/js/comments.js makes it (the same
# markup) when the first like arrives; a member's long thread carried an empty, hidden
# one on every such comment (docs/decisions.md, issue 34).
# The line of a reader who can like is found by its class alone (``.liked-by``, its
# summary and list by where they stand): no wrapper and no data-* attributes
# (templates/blog/_liked_by.html draws a post's the same way).
LIKED_BY = '<p class="liked-by">{}</p>'
LIKERS = '<details class="liked-by"><summary>{text}</summary><ul>{names}</ul></details>'

# A reader who may not like yet (signed out, or not a member) gets one line at the top
# of the thread that leads to the step they miss, not a Like on each card: 500 links
# with one name were 500 tab stops and a sixth of a signed-out P500's bytes
# (docs/decisions.md, issue 34). Left out of the course's archive.
LIKE_STEP_LINE = '<p class="like-step" data-archive="omit"><a href="{url}">{text}</a></p>'
LIKE_STEP_TEXTS = {
    "sign_in": "Sign in to like comments",
    "join": "Join this course to like its comments",
}
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


def author_parts(name, *, profile_url="", website="", avatar_url="", initials=""):
    """What a card shows of its author, escaped: (the name, the name as shown: a link
    to their profile or to a guest's website, the face). The same on each of their
    comments, so ``Thread`` works it out once a person a draw: escaping each comment's
    name, URL and initials again was a tenth of drawing a member's P500."""
    name = escape(name)
    if profile_url:
        author = PROFILE_LINK.format(escape(profile_url), name)
    elif website:
        author = WEBSITE_LINK.format(escape(website), name)
    else:
        author = name
    if avatar_url:
        avatar = avatar_html(avatar_url, initials, "sm")
    else:
        avatar = INITIALS.format(escape(initials))
    return name, author, avatar


# The card's modifiers (the card itself is ``.comment > article``), by (an instructor's
# comment, approved).
CARD_CLASSES = {
    (False, True): "",
    (True, True): ' class="comment__card--instructor"',
    (False, False): ' class="comment__card--held"',
    (True, False): ' class="comment__card--instructor comment__card--held"',
}


def card(c, *, urls, is_moderator, like=None, own=None, liked_by=None):
    """The HTML of comment c, decorated by comments.threads.Thread (``c.who``: its
    ``author_parts``; ``c.date_html``: its date's text, escaped; ``c.like_url``: its
    Like's URL, escaped). `like`, `own` and `liked_by`, when given, stand in for the
    Like button, the Edit and Delete links and the "Liked by" line (the holes of a page
    cached for signed-in readers)."""
    name, author, avatar = c.who
    if like is None:
        like = like_html(c.like_url, c.liked_by_viewer, c.like_label) if c.shows_like else ""
    if liked_by is None:
        liked_by = _liked_by(c) if c.liked_by or c.shows_like else ""
    card_class = CARD_CLASSES[c.is_instructor, not c.is_held]
    labels = (INSTRUCTOR if c.is_instructor else "") + (AUTHOR if c.is_post_author else "")
    edited = EDITED if c.edited else ""
    notice = NOTICE.format(escape(c.notice)) if c.notice else ""
    likes = " data-likes" if c.shows_like else ""  # where comments.js updates the count
    reply = ""
    if c.shows_reply:  # comments.js finds it by its URL, the comment (its <li>), the name (<b>)
        reply = f'<a href="{urls["reply"](c.id)}" aria-label="Reply to {name}">Reply</a>'
    if own is None:
        own = _own(c, urls) if c.shows_own else ""
    moderate = _moderate(c, urls) if is_moderator else ""
    return (
        f"<article{card_class}><header>{avatar}<p><b>{author}</b>{labels} "
        f'<a href="#{c.dom_id}"><time datetime="{c.iso_date}">{c.date_html}</time></a>'
        f"{edited}</p></header>{notice}<div>{c.body_html}</div>"
        f"<footer{likes}>{like}{liked_by}{reply}{own}{moderate}</footer></article>"
    )


def _own(c, urls):
    return OWN.format(edit_url=urls["edit"](c.id), delete_url=urls["delete"](c.id))


def like_html(url, liked, label):
    """A comment's Like button, pressed or not, named ``label``; ``url``: its action,
    escaped."""
    before, after = like_around_url(liked, label)
    return f"{before}{url}{after}"


URL_MARKER = "\x00url\x00"


@lru_cache(maxsize=256)
def like_around_url(liked, label):
    """A comment's Like button (blog.likes.like_button) on either side of its URL: drawn
    once per process for each state and name, not twice a comment (a member's P500)."""
    button = like_button(
        liked=liked, label=label, small=True, form="comment-actions", formaction=URL_MARKER
    )
    before, after = button.split(URL_MARKER)
    return before, after


def like_step_line(step, url):
    """The thread's one line for a reader who must take ``step`` first (sign in, join)
    to like its comments: a link to ``url``, where that step is taken."""
    return LIKE_STEP_LINE.format(url=escape(url), text=escape(LIKE_STEP_TEXTS[step]))


def _liked_by(c):
    return liked_by_line(c.liked_by, c.liker_items, shows_like=c.shows_like)


def liked_by_line(text, names, *, shows_like=True):
    """The "Liked by" line: ``text`` (empty: no line), with the likers' ``names`` (HTML
    list items) for course members, else None; a plain line where the reader can't
    like (nothing there changes it in place)."""
    if not text:
        return ""
    if names is None and not shows_like:
        return LIKED_BY_STATIC.format(text)
    if names is None:
        return LIKED_BY.format(text)
    return LIKERS.format(text=text, names=names)


def _moderate(c, urls):
    url = urls["moderate"](c.id)
    buttons = "".join(
        MODERATE_BUTTON.format(url=url, action=action, style=style, label=label)
        for action, label, style in MODERATION_ACTIONS
        if not (action == "approve" and c.status == "approved")
        and not (action == "spam" and c.status == "spam")
    )
    return MODERATE.format(buttons=buttons)
