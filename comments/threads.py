"""A post's discussion as one flat, depth-annotated list, ready to render in one pass.

The tree comes from one query (``Comment.objects.with_thread``); here, in Python, it
is re-hung where the course's thread depth requires, filtered to what the viewer may
see, and flattened in reading order. Each item carries what the template needs,
including the markup that opens and closes the nesting, so rendering is one loop with
plain lookups (docs/design.md, Promises about speed).
"""

from collections import defaultdict
from functools import cached_property, lru_cache, partial
from html import escape

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.functional import LazyObject, empty
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext

from accounts.avatars import initials_of
from accounts.models import User
from accounts.names import shown_name
from blog.likes import button_label, liked_by, likers_html, step_url
from blog.models import Role
from comments import markup
from comments.models import (
    THREAD_AUTHOR_FIELDS,
    Comment,
    CommentLike,
    reply_parent_id,
    target_field,
)
from config.db import PreparedQuery, id_set
from pagecache.skeleton import Bypass
from pagecache.store import cache_get, cache_set

MY_PENDING = "comments_awaiting"  # session: a guest's own comments held for moderation
PLACEHOLDERS = {Comment.Status.PENDING: "This comment is awaiting moderation."}
REMOVED = "This comment was removed."
OPEN_REPLIES = "<ol>"  # a list of replies: the stylesheet's ``.comment > ol``
CLOSE_ITEM = "</li>"
CLOSE_REPLIES = "</ol></li>"


def load_thread(post, *, viewer, guest_comment_ids=(), skeleton=None):
    """The Thread of post (or of a course page: Comment.target) as `viewer` sees it: one
    query for the comments with their authors, and one for who liked what, with the
    likers (course members only). With a `skeleton` (pagecache.skeleton.Skeleton), the
    page is being drawn for everyone of the viewer's standing: the viewer's own parts of
    each card become holes."""
    field = target_field(post)
    viewer = unwrapped(viewer)
    values = {"target_id": post.pk, "course_id": post.course_id}
    if viewer.is_authenticated:
        comments = THREAD_QUERIES[field, True].all(**values, viewer_id=viewer.pk)
    else:
        comments = THREAD_QUERIES[field, False].all(**values)
    likers = None
    if post.course.can_see_likers(viewer):
        # Who liked what, as a hit reads it (one person made per liker, each one's list
        # item drawn once): a P500's thousand likes as model instances, and each
        # comment's likers drawn again, cost a fifth of a member's drawn page.
        likers = load_like_counts(post)
        if skeleton is not None:
            # Drawn for the cache: the counts and likers just read are what the page's
            # holes are filled from until the next like (its first hit reads them again).
            store_like_counts(post, likers)
    asked = AskedOnce(post)
    for c in comments:
        c._state.fields_cache[field] = asked  # the predicates ask the post and its course
    return Thread(
        post,
        comments,
        viewer=viewer,
        guest_comment_ids=set(guest_comment_ids),
        likers=likers,
        skeleton=skeleton,
    )


def _thread_query(field, target_id, course_id, viewer_id=None):
    viewer = AnonymousUser() if viewer_id is None else User(pk=viewer_id)
    comments = Comment.objects.filter(**{f"{field}_id": target_id})
    return comments.with_thread(viewer=viewer, course_id=course_id)


# The thread's one query, compiled once per process for each target (a post, a course
# page) and readers signed in and out: building and compiling its subqueries cost about
# what running it costs.
THREAD_PLACEHOLDERS = {"target_id": -730_113_701, "course_id": -730_113_703}
THREAD_QUERIES = {
    (field, signed_in): PreparedQuery(
        partial(_thread_query, field),
        **THREAD_PLACEHOLDERS,
        **({"viewer_id": -730_113_702} if signed_in else {}),
    )
    for field in ("post", "page")
    for signed_in in (False, True)
}


def unwrapped(user):
    """``request.user`` itself, not its lazy stand-in (SimpleLazyObject), whose every
    attribute costs a call: a 500-comment thread asks the viewer thousands of times."""
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


class AskedOnce:
    """The post as a thread's comments see it: the Post predicates that the Comment
    predicates ask (``can_read``, ``can_like``, ``can_comment``) answered once for each
    reader, not once a comment; everything else is the post's own."""

    def __init__(self, post):
        self._post = post
        self._answers = {}

    def __getattr__(self, name):
        return getattr(self._post, name)

    def _ask(self, predicate, user):
        key = (predicate, user.pk)
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = getattr(self._post, predicate)(user)
        return answer

    def can_read(self, user):
        return self._ask("can_read", user)

    def can_like(self, user):
        return self._ask("can_like", user)

    def can_comment(self, user):
        return self._ask("can_comment", user)


def url_maker(name, *, escaped=False):
    """pk -> URL of a per-comment route, reversing once instead of once per comment;
    ``escaped``: as ``escape`` would give it (the rest escaped once: an id needs none)."""
    prefix, suffix = reverse(name, kwargs={"pk": 0}).rsplit("/0/", 1)
    if escaped:
        prefix, suffix = escape(prefix), escape(suffix)
    return lambda pk: f"{prefix}/{pk}/{suffix}"


class Thread:
    """What each comment shows and offers comes from the Comment predicates (can_view,
    can_reply, can_like, can_edit: asked once for each kind of comment,
    ``Comment.rules_for``) and the one depth rule (``reply_parent_id``); the roles they
    ask for are cached on the viewer, so a thread costs no query per comment."""

    def __init__(self, post, comments, *, viewer, guest_comment_ids, likers=None, skeleton=None):
        self.post = post
        self.skeleton = skeleton
        course = post.course
        self.viewer = viewer
        self.viewer_id = viewer.pk if viewer.is_authenticated else None
        self.max_depth = course.thread_depth
        self.is_moderator = course.can_moderate(viewer)
        approved = Comment.Status.APPROVED  # asked once: a lookup through the enum
        self.approved_count = sum(c.status == approved for c in comments)
        # The Comment predicates' answers, asked once for each kind of comment (the
        # model's ThreadRules), each comment's kept as ``c.may``.
        self.rules = Comment.rules_for(post, viewer, guest_comment_ids=guest_comment_ids)
        self.parents = {c.id: c.parent_id for c in comments}
        self.depth_memo = {}
        self.items = self._flatten(comments)
        # Readers who may not like yet get a Like that leads to the missing step.
        self.like_step = "" if post.can_like(viewer) else post.step_to_like(viewer)
        self.hold_reason = course.comment_hold_reason(viewer)
        self.likers = likers  # the post's LikeCounts for members, else None
        self.guard = ""
        if skeleton is not None:
            self._guard(comments, guest_comment_ids)
        self._decorate_all()

    def _guard(self, comments, guest_comment_ids):
        """A page drawn for the viewer's standing must not show one reader's held
        comments to another: readers with held comments of their own (which only they,
        and moderators, see, with their own notice) get the page drawn for them alone."""
        held = {c.author_id for c in comments if c.status == Comment.Status.PENDING}
        held.discard(None)
        if self.viewer_id in held or guest_comment_ids:
            self.skeleton.usable = False
        self.guard = self.skeleton.hole(("comment_guard", sorted(held)), "")

    @property
    def title(self):
        n, title = self.approved_count, self.post.title
        if not n:
            return "No comments yet"
        if n == 1:
            return f"One thought on “{title}”"
        return ngettext("%(n)d thought on “%(title)s”", "%(n)d thoughts on “%(title)s”", n) % {
            "n": n,
            "title": title,
        }

    @property
    def like_step_line(self):
        """For a reader who must sign in or join to like: one line that leads there
        (back to the thread), when a comment could be liked; else ""."""
        if not self.like_step or not any(c.is_approved for c in self.items):
            return ""
        url = step_url(self.like_step, f"{self.post.get_absolute_url()}#comments")
        return mark_safe(markup.like_step_line(self.like_step, url))  # noqa: S308 - escaped there

    @property
    def html(self):
        """The whole list's items, joined here: a template loop paid for four variable
        lookups and escapes per comment, a fifth of a drawn 500-comment page."""
        return mark_safe(  # noqa: S308 - each card is escaped in comments.markup
            "".join(
                f'{c.opening}<li class="comment" id="{c.dom_id}">{c.html}{c.closing}\n'
                for c in self.items
            )
        )

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    # --- Building the flat list ---

    def _flatten(self, comments):
        children = defaultdict(list)
        for c in comments:
            children[self._hang_under(c)].append(c)
        rules = self.rules
        for c in comments:
            c.may = rules.of(c)
        visible = {c.id for c in comments if c.may.view}
        shown = set(visible)
        for c in reversed(comments):  # replies first: a shown reply keeps its parent shown
            if c.id in shown and c.parent_id is not None:
                shown.add(self._hang_under(c))
        items, stack = [], [(c, 0) for c in reversed(children[None])]
        while stack:
            c, depth = stack.pop()
            if c.id not in shown:
                continue
            c.depth, c.is_visible = depth, c.id in visible
            items.append(c)
            stack.extend((r, depth + 1) for r in reversed(children[c.id]))
        for n, c in enumerate(items):
            following = items[n + 1].depth if n + 1 < len(items) else 0
            c.opening = OPEN_REPLIES if n and c.depth > items[n - 1].depth else ""
            closing = CLOSE_ITEM + CLOSE_REPLIES * (c.depth - following)
            c.closing = closing if following <= c.depth else ""
        return items

    def _hang_under(self, c):
        """The id of the comment c is shown under (None: top level)."""
        return reply_parent_id(
            c.parent_id, self.parents, depth=self.max_depth, memo=self.depth_memo
        )

    def _takes_replies(self, c):
        """A reply to c would hang under c itself, not under an ancestor."""
        return (
            reply_parent_id(c.id, self.parents, depth=self.max_depth, memo=self.depth_memo) == c.id
        )

    # --- What each comment shows ---

    def _decorate_all(self):
        """Each comment's card (comments.markup), with what many comments share worked
        out once a draw, escaped: each person's name, link and face (a guest's by name
        and website), a day's date, a count's words, the Like buttons around their URL
        (an id needs no escaping). Escaping each comment's values again, five a
        comment, was a tenth of drawing a member's P500."""
        months = {n: str(name) for n, name in MONTHS.items()}
        zone = timezone.get_current_timezone()
        urls = {
            action: url_maker(f"comments:comment_{action}")
            for action in ("reply", "like", "edit", "delete", "moderate")
        }
        like_url = url_maker("comments:comment_like", escaped=True)
        viewer, course, post_author_id = self.viewer, self.post.course, self.post.author_id
        people = {}  # (author id, website): markup.author_parts
        guests = {}  # (a guest's name, website): markup.author_parts
        days = {}  # a day as isoformat writes it: its text up to the time, escaped
        labels = {}  # (like count, liked by viewer): (button label, "Liked by ...")
        likers = self.likers
        approved = Comment.Status.APPROVED
        instructor = Role.INSTRUCTOR
        likes = None if self.skeleton is None else self._like_variants()
        for c in self.items:
            c.dom_id = f"comment-{c.id}"
            if not c.is_visible:
                c.html = markup.placeholder(PLACEHOLDERS.get(c.status, REMOVED))
                continue
            if c.author_id:
                who = people.get((c.author_id, c.guest_website))
                if who is None:
                    # the name this reader sees: a student's public name outside the course
                    shown = shown_name(c.author, course, viewer)
                    who = people[c.author_id, c.guest_website] = markup.author_parts(
                        shown.text,
                        profile_url=c.author.get_absolute_url() if shown.links else "",
                        website=c.guest_website,
                        avatar_url=shown.avatar.url if shown.avatar else "",
                        initials=shown.initials,
                    )
            else:
                who = guests.get((c.guest_name, c.guest_website))
                if who is None:
                    name = c.name
                    who = guests[c.guest_name, c.guest_website] = markup.author_parts(
                        name, website=c.guest_website, initials=initials_of(name)
                    )
            c.who = who
            c.is_instructor = c.author_role == instructor
            c.is_post_author = c.author_id is not None and c.author_id == post_author_id
            when = c.created.astimezone(zone)
            c.iso_date = iso = when.isoformat(timespec="seconds")
            day = days.get(iso[:10])
            if day is None:
                day = days[iso[:10]] = escape(f"{when.day} {months[when.month]} {when.year} at ")
            c.date_html = day + iso[11:16]  # the time, as isoformat writes it: HH:MM
            c.is_held = c.status != approved  # not is_approved: a lookup through the enum
            c.notice = self._notice(c) if c.is_held else ""
            may = c.may
            c.shows_reply = may.reply and self._takes_replies(c)
            c.shows_like = may.like
            c.shows_own = may.edit
            words = labels.get((c.like_count, c.liked_by_viewer))
            if words is None:  # a thread has a few distinct counts: word each once
                label = button_label(c.like_count, c.liked_by_viewer)
                words = label, liked_by(c.like_count), escape(label)
                labels[(c.like_count, c.liked_by_viewer)] = words
            c.like_label, c.liked_by, escaped_label = words
            # A comment nobody liked has no "Liked by" line (markup.liked_by_line).
            items = (likers.items_of(c.id) if c.like_count else "") if likers else None
            c.liker_items = items
            c.like_url = like_url(c.id)
            like = own = liked = None
            if likes is not None:
                like, own, liked = self._holes(c, urls, likes, escaped_label)
            # Escaped piece by piece in comments.markup; body_html was sanitised on save.
            # Plain str, as each part of a card: ``html`` marks the whole list safe (a
            # SafeString costs a call each time it is formatted).
            c.html = markup.card(
                c, urls=urls, is_moderator=self.is_moderator, like=like, own=own, liked_by=liked
            )

    @staticmethod
    def _like_variants():
        """The two looks a Like hole keeps, each around its URL: (not pressed, pressed
        with LABEL_MARKER for its name)."""
        return (
            markup.like_around_url(False, button_label(0, False)),
            markup.like_around_url(True, LABEL_MARKER),
        )

    def _holes(self, c, urls, likes, escaped_label):
        """(Like, Edit and Delete, "Liked by") of card c as holes of a page drawn for the
        viewer's standing (the pagecache package): each hole keeps every way it can
        look, and the fillers below pick one for each reader: the Like as liked or not;
        Edit and Delete when ``Comment.can_edit`` says so for that reader. The count
        (in "Liked by" and in a liked button's name) is filled in from the post's
        LikeCounts, so a like redraws no copy. ``likes``: ``_like_variants``;
        ``escaped_label``: the Like's name for this reader, escaped."""
        skeleton = self.skeleton
        like = None
        if c.shows_like:  # can_like: the comment's status and the reader's role
            (off_before, off_after), (on_before, on_after) = likes
            off = f"{off_before}{c.like_url}{off_after}"
            on = f"{on_before}{c.like_url}{on_after}"
            current = on.replace(LABEL_MARKER, escaped_label) if c.liked_by_viewer else off
            # Kept as bytes: a hit joins them into the page as they are.
            spec = ("comment_like", c.id, off.encode(), on.encode())
            like = skeleton.marker(spec, current)
        liked = skeleton.marker(
            ("comment_liked_by", c.id, c.shows_like, c.liker_items is not None),
            markup._liked_by(c) if c.liked_by or c.shows_like else "",
        )
        own = ""
        if c.author_id is not None:
            html = markup._own(c, urls)
            current = html if c.shows_own else ""
            spec = ("comment_own", c.id, c.author_id, c.status, html.encode())
            own = skeleton.marker(spec, current)
        return like, own, liked

    def _notice(self, c):
        if c.status == Comment.Status.SPAM:
            return "Marked as spam: only moderators see it."
        if c.status != Comment.Status.PENDING:
            return ""
        if self.is_moderator and not (c.author_id is not None and c.author_id == self.viewer_id):
            return "Awaiting moderation."
        return " ".join(filter(None, ["Your comment is awaiting moderation.", self.hold_reason]))


# --- Filling the holes of a page cached for signed-in readers (pagecache.skeleton) ---


def fill_guard(filling, spec):
    request = filling.request
    if request.user.pk in spec[1] or request.session.get(MY_PENDING):
        raise Bypass  # their own held comments: drawn for them alone
    return ""


def fill_like(filling, spec):
    """The reader's Like on a comment: their likes on the post's comments, which came
    with the post (``with_reader_comment_likes``, a post page loader); a liked button
    names the count (the post's LikeCounts)."""
    liked = filling.memo.get("comment_likes")
    if liked is None:
        liked = filling.memo["comment_likes"] = id_set(filling.obj.reader_comment_likes)
    _, comment_id, off, on = spec
    if comment_id not in liked:
        return off
    return like_counts_for(filling).liked_button(comment_id, on)


def fill_liked_by(filling, spec):
    """A comment's "Liked by" line, from the post's LikeCounts (no query on a hit but
    the first after a like)."""
    counts = filling.memo.get("like_counts") or like_counts_for(filling)
    line = counts.memo.get(spec)  # each of P500's 500 is asked on every hit: kept short
    if line is None:
        # the language asked once a page, not once a line (a tenth of a refill)
        line = counts.liked_by(*spec[1:], language=filling.language())
        counts.keep(spec, line)
    return line


def fill_own(filling, spec):
    """Edit and Delete, when the Comment predicate lets this reader (no query)."""
    _, comment_id, author_id, status, html = spec
    user = filling.request.user
    if author_id != user.pk:  # can_edit starts with is_by: nobody else's
        return b""
    comment = Comment(pk=comment_id, author_id=author_id, status=status)
    comment.target = filling.obj
    return html if comment.can_edit(user) else b""


def like_default(spec):
    """A comment's Like as most readers see it: not pressed (the spec's "off" variant)."""
    return spec[2]


def like_key(spec):
    """What ``own_likes`` finds a Like hole by: its comment's id."""
    return spec[1]


def own_likes(filling, holes):
    """The reader's pressed Likes, as ``fill_like`` fills them, and no others: a hit
    costs what the reader liked, not one call per comment (``holes``: the page's Like
    holes by comment id, ``pagecache.skeleton.with_shared_holes``)."""
    liked = filling.memo.get("comment_likes")
    if liked is None:
        liked = filling.memo["comment_likes"] = id_set(filling.obj.reader_comment_likes)
    counts = language = None
    for comment_id in liked:
        for hole, spec in holes.get(comment_id, ()):
            if counts is None:
                counts, language = like_counts_for(filling), filling.language()
            yield hole, counts.liked_button(comment_id, spec[3], language)


# --- Like counts: what a cached page's count holes are filled from ---

LABEL_MARKER = "\x00label\x00"  # where a liked button's name goes in its hole's spec
LABEL_MARKER_BYTES = LABEL_MARKER.encode()
LIKE_COUNTS_FORMAT = "likes2:"  # a new prefix when LikeCounts' layout or its markup changes


# What LikeCounts' parts take in memory beyond their bytes (a dict slot, an int, a
# bytes object's header, a list): for the store's count of it, not exact.
ENTRY_BYTES = 120
LINE_BYTES = 256  # a "Liked by" line without the names in it
ZERO_LINES_BYTES = 64 * 1024  # the lines of the comments nobody liked, at most


class LikeCounts:
    """A post's comments' like counts and likers, the same for every reader: kept in
    the page cache's store under the post's versions (``like_counts_key``), so a like
    (``versions.likes_changed``) costs the next hit one query, not a redrawn page.
    Each person's list item is drawn once; each line is worded once per process and
    kept (``memo``), up to what ``stored_bytes`` told the store: each process keeps
    its recent copies within a byte budget (pagecache.store.RecentPages), and a memo
    that grew behind the store's back kept every worker's old copies (one a like)
    alive, hundreds of KB each, until the budget's pages pushed them out, which on a
    signed-in class was never: 79 -> 100+ MiB a worker (bench/README.md)."""

    def __init__(self, counts, likers, people=None):
        self.counts = counts  # {comment id: count}, only liked ones
        self.likers = likers  # {comment id: its likers' ids, in the order they liked}
        people = people or {}  # {id: User}, each liker
        self.items = {pk: str(likers_html([person])) for pk, person in people.items()}
        self.memo, self.memo_bytes = {}, 0

    def __getstate__(self):
        return {"counts": self.counts, "likers": self.likers, "items": self.items}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.memo, self.memo_bytes = {}, 0

    @cached_property
    def memo_limit(self):
        """The most the memo keeps, in bytes: each liked comment's line with its
        likers' names, and the short lines of the others."""
        names = sum(len(self.items[pk]) for people in self.likers.values() for pk in people)
        return ZERO_LINES_BYTES + len(self.counts) * (LINE_BYTES + ENTRY_BYTES) + names

    def stored_bytes(self):
        """About the memory it takes, memo included (pagecache.store.RecentPages)."""
        parts = sum(ENTRY_BYTES + len(html) for html in self.items.values())
        return len(self.counts) * 2 * ENTRY_BYTES + parts + self.memo_limit

    def keep(self, spec, line):
        """Keep a line for the next hit, within ``memo_limit`` (past it, the line is
        worded on each hit)."""
        size = len(line) + ENTRY_BYTES
        if self.memo_bytes + size <= self.memo_limit:
            self.memo[spec] = line
            self.memo_bytes += size

    def liked_by(self, comment_id, shows_like, with_likers, language):
        """A comment's "Liked by" line, as bytes (``fill_liked_by`` keeps it in memo),
        in ``language`` (the caller's ``get_language()``)."""
        count = self.counts.get(comment_id, 0)
        if not (count or shows_like):
            return b""
        names = self.items_of(comment_id) if with_likers else None
        return liked_by_bytes(language, count, names, shows_like)

    def items_of(self, comment_id):
        """The "Liked by" list's items of a comment: each liker's face and name."""
        return "".join(map(self.items.__getitem__, self.likers.get(comment_id, ())))

    def liked_button(self, comment_id, template, language=None):
        """A pressed Like's bytes (``template``: its spec's "on" variant), named with
        the comment's count."""
        label = liked_label(language or get_language(), self.counts.get(comment_id, 0))
        return template.replace(LABEL_MARKER_BYTES, label)


@lru_cache(maxsize=1024)
def liked_by_bytes(language, count, names, shows_like):
    """A "Liked by" line as bytes, by language, count, likers' items (None: no names)
    and whether the reader may like: worded once per process. Each like makes a new
    LikeCounts, whose memo starts empty, and its first hit asked all 500 of P500's lines
    again (10 ms) though one changed: the others are found here. Bounded: a line with
    its names is a few hundred bytes."""
    return markup.liked_by_line(liked_by(count), names, shows_like=shows_like).encode()


@lru_cache(maxsize=1024)
def liked_label(language, count):
    """A pressed Like's name, escaped and encoded, by language and count: worded once
    per process, not once a liked comment on every hit (a P500 reader's 32 likes spent
    a quarter of the hit in ngettext). The language is the caller's ``get_language()``."""
    return escape(button_label(count, True)).encode()


def like_counts_key(post):
    """A post's, or a course page's ("page" and its pk: the two count from 1 each)."""
    kind = "" if target_field(post) == "post" else "page"
    return f"{LIKE_COUNTS_FORMAT}{kind}{post.pk}:{post.course.common_version}.{post.likes_version}"


def store_like_counts(post, counts):
    cache_set(like_counts_key(post), counts)


def like_counts_for(filling):
    """The post's LikeCounts for this reader's holes: from the store, else one query
    (and kept for the next reader)."""
    counts = filling.memo.get("like_counts")
    if counts is None:
        post = filling.obj
        key = like_counts_key(post)
        counts = cache_get(key)
        if counts is None:
            counts = load_like_counts(post)
            cache_set(key, counts)
        filling.memo["like_counts"] = counts
    return counts


def _like_rows(field, target_id):
    return (
        CommentLike.objects.filter(**{f"comment__{field}_id": target_id})
        .order_by("created", "pk")
        .values_list("comment_id", "user_id", *(f"user__{f}" for f in THREAD_AUTHOR_FIELDS))
    )


# Who liked which of a target's comments, compiled once per process for posts and course
# pages: building and compiling it cost what running it costs (a drawn P500). Its rows
# are read as the database gives them: ids and text columns, which no converter changes.
LIKE_ROWS = {
    field: PreparedQuery(partial(_like_rows, field), target_id=-730_113_704)
    for field in ("post", "page")
}


def load_like_counts(post):
    """The post's LikeCounts from the database: one query, its rows read as values (a
    P500's thousand likes as model instances cost 15 ms) and one person made per liker."""
    people, likers = {}, defaultdict(list)
    for comment_id, user_id, *fields in LIKE_ROWS[target_field(post)].rows(target_id=post.pk):
        if user_id not in people:
            named = dict(zip(THREAD_AUTHOR_FIELDS, fields, strict=True))
            people[user_id] = User(pk=user_id, **named)
        likers[comment_id].append(user_id)
    return LikeCounts({pk: len(ids) for pk, ids in likers.items()}, dict(likers), people)
