"""Comment status x actor x action: the predicates, and the thread that shows them.

Each rule lives once, in the Comment predicates (comments/models.py); the thread on the
post page (comments/threads.py) asks them. So each case is checked twice: the
predicate's answer, and what the post page shows that actor (the comment's words, its
Edit/Delete links, its Like button, its Reply link).
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from blog import services
from comments.models import Comment
from comments.views import MY_PENDING
from tests import factories

STATUSES = ["approved", "pending", "spam", "removed"]
ACTORS = [
    "anonymous",
    "guest_author",
    "outsider",
    "classmate",
    "author",
    "assistant",
    "instructor",
    "staff",
]
ACTIONS = ["view", "edit", "like", "reply"]

# Who may, for each status and action. "author" wrote the comment as a member;
# "guest_author" wrote it signed out, and their session remembers it. In a public
# course that takes guest comments (held for moderation).
MAY = {
    ("approved", "view"): set(ACTORS),
    ("approved", "edit"): {"author"},
    ("approved", "like"): {"classmate", "author", "assistant", "instructor", "staff"},
    ("approved", "reply"): set(ACTORS),
    ("pending", "view"): {"guest_author", "author", "assistant", "instructor", "staff"},
    ("pending", "edit"): {"author"},
    ("pending", "like"): set(),
    ("pending", "reply"): set(),
    ("spam", "view"): {"assistant", "instructor", "staff"},
    ("spam", "edit"): set(),
    ("spam", "like"): set(),
    ("spam", "reply"): set(),
    ("removed", "view"): set(),
    ("removed", "edit"): set(),
    ("removed", "like"): set(),
    ("removed", "reply"): set(),
}
# A closed course (docs/terms.md) is read-only: every comment reads as before, and
# nobody edits, deletes, likes or replies.
MAY_CLOSED = {
    (status, action): (MAY[(status, action)] if action == "view" else set())
    for status, action in MAY
}
CLOSED = [pytest.param(False, id="open"), pytest.param(True, id="closed")]
BODY = "Distinctive words about the reading."


@pytest.fixture
def case(request, post, student, classmate, instructor, staff, outsider):
    """Make the comment with `status`, by the guest or by the student (the "author")."""

    def make(status, actor, closed=False):
        if closed:
            services.close_course(course=post.course)
        if actor == "guest_author":
            comment = factories.CommentFactory(
                post=post, author=None, guest_name="Vera", guest_email="vera@example.org"
            )
        else:
            comment = factories.CommentFactory(post=post, author=student)
        Comment.objects.filter(pk=comment.pk).update(body=BODY, status=status)
        comment = Comment.objects.select_related("post__course", "author").get(pk=comment.pk)
        comment.body_html = f"<p>{BODY}</p>"
        Comment.objects.filter(pk=comment.pk).update(body_html=comment.body_html)
        users = {
            "outsider": outsider,
            "classmate": classmate,
            "author": student,
            "assistant": factories.MembershipFactory(course=post.course, role="assistant").user,
            "instructor": instructor,
            "staff": staff,
        }
        return comment, users.get(actor, AnonymousUser())

    return make


def predicate(comment, user, action, guest_ids):
    return {
        "view": lambda: comment.can_view(user, guest_comment_ids=guest_ids),
        "edit": lambda: comment.can_edit(user),
        "delete": lambda: comment.can_delete(user),
        "like": lambda: comment.can_like(user),
        "reply": lambda: comment.can_reply(user),
    }[action]()


@pytest.mark.parametrize("closed", CLOSED)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("status", STATUSES)
def test_predicate_follows_the_table(case, status, actor, action, closed):
    comment, user = case(status, actor, closed)
    may = (MAY_CLOSED if closed else MAY)[(status, action)]
    guest_ids = {comment.pk} if actor == "guest_author" else set()
    assert predicate(comment, user, action, guest_ids) is (actor in may)
    if action == "edit":  # delete follows edit
        assert predicate(comment, user, "delete", guest_ids) is (actor in may)


def shown(html, comment):
    """What the post page offers for `comment`, by action."""
    return {
        "view": BODY in html,
        "edit": reverse("comments:comment_edit", args=[comment.pk]) in html
        and reverse("comments:comment_delete", args=[comment.pk]) in html,
        "like": f'formaction="{reverse("comments:comment_like", args=[comment.pk])}"' in html,
        "reply": f'href="{reverse("comments:comment_reply", args=[comment.pk])}"' in html,
    }


@pytest.mark.parametrize("closed", CLOSED)
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("status", STATUSES)
def test_the_thread_shows_what_the_predicates_allow(client, case, post, status, actor, closed):
    comment, user = case(status, actor, closed)
    if user.is_authenticated:
        client.force_login(user)
    elif actor == "guest_author":
        session = client.session
        session[MY_PENDING] = [comment.pk]
        session.save()
    html = client.get(post.get_absolute_url()).content.decode()
    table = MAY_CLOSED if closed else MAY
    expected = {action: actor in table[(status, action)] for action in ACTIONS}
    assert shown(html, comment) == expected


def test_no_reply_link_where_a_reply_would_hang_elsewhere(client, post, classmate):
    """The one depth rule: at the deepest level, Reply would go to an ancestor."""
    post.course.thread_depth = 2
    post.course.save()
    top = factories.CommentFactory(post=post)
    reply = factories.CommentFactory(post=post, parent=top)
    client.force_login(classmate)
    html = client.get(post.get_absolute_url()).content.decode()
    assert shown(html, top)["reply"] and not shown(html, reply)["reply"]


def test_one_display_name_everywhere(post):
    nameless = factories.CommentFactory(post=post, author=None, guest_name="")
    assert nameless.name == "Someone"


# --- The thread's table of the predicates (Comment.rules_for, comments.models.ThreadRules) ---

TARGETS = [pytest.param("post", id="post"), pytest.param("page", id="course-page")]


@pytest.fixture
def readers(post, student, classmate, instructor, staff, outsider):
    """The actors of the table above as readers (AnonymousUser when signed out)."""
    assistant = factories.MembershipFactory(course=post.course, role="assistant").user
    return {
        "anonymous": AnonymousUser(),
        "guest_author": AnonymousUser(),
        "outsider": outsider,
        "classmate": classmate,
        "author": student,
        "assistant": assistant,
        "instructor": instructor,
        "staff": staff,
    }


def every_kind_of_comment(target, reader, someone):
    """A comment on `target` of every status, by the reader (when signed in), by another
    member (`someone`) and by a guest, as a thread loads them (their target the same
    object, as ``load_thread`` hangs them)."""
    authors = [someone, None] + ([reader] if reader.is_authenticated else [])
    field = "post" if target.__class__.__name__ == "Post" else "page"
    made = []
    for author in authors:
        for status in STATUSES:
            on = {"post": target} if field == "post" else {"post": None, "page": target}
            comment = factories.CommentFactory(
                **on,
                author=author,
                guest_name="" if author else "Vera",
                guest_email="" if author else "vera@example.org",
            )
            Comment.objects.filter(pk=comment.pk).update(status=status)
            made.append(comment.pk)
    comments = list(Comment.objects.filter(pk__in=made))
    for comment in comments:
        comment._state.fields_cache[field] = target
    return comments


@pytest.mark.parametrize("target_kind", TARGETS)
@pytest.mark.parametrize("closed", CLOSED)
@pytest.mark.parametrize("actor", ACTORS)
def test_the_threads_table_agrees_with_the_predicates(
    post, readers, classmate, student, actor, closed, target_kind
):
    """For every reader, status, author (the reader, another member, a guest) and held
    id (the reader's session holds it among its guest's held comments, or not), on a
    post and on a course page, open and closed: what the thread's table says is what
    each predicate says of that comment."""
    from comments.models import Answers

    target = post
    if target_kind == "page":
        target = factories.PageFactory(course=post.course, allows_comments=True)
    if closed:
        services.close_course(course=post.course)
        target = target.__class__.objects.select_related("course").get(pk=target.pk)
    reader = readers[actor]
    someone = classmate if reader != classmate else student
    comments = every_kind_of_comment(target, reader, someone)
    wrong = []
    for held in ((), {c.pk for c in comments}):
        rules = Comment.rules_for(target, reader, guest_comment_ids=held)
        for comment in comments:
            expected = Answers(
                view=comment.can_view(reader, guest_comment_ids=held),
                edit=comment.can_edit(reader),
                like=comment.can_like(reader),
                reply=comment.can_reply(reader),
            )
            if rules.of(comment) != expected:
                wrong.append((comment.status, comment.author_id, bool(held), rules.of(comment)))
    assert not wrong
    assert comment.can_delete(reader) == comment.can_edit(reader)  # delete follows edit


def test_the_threads_table_answers_differ_where_the_predicates_do(post, student, classmate):
    """The kinds are told apart: the reader's own held comment is theirs to see and
    edit, another member's is not; a guest's held comment is seen only with its id in
    the session."""
    comments = every_kind_of_comment(post, student, classmate)
    rules = Comment.rules_for(post, student)
    pending = {(c.author_id, c.status): rules.of(c) for c in comments}
    assert pending[student.pk, "pending"].view and pending[student.pk, "pending"].edit
    assert not pending[classmate.pk, "pending"].view
    assert not pending[None, "pending"].view
    guest = next(c for c in comments if c.author_id is None and c.status == "pending")
    anonymous = AnonymousUser()
    assert Comment.rules_for(post, anonymous, guest_comment_ids=[guest.pk]).of(guest).view
    assert not Comment.rules_for(post, anonymous).of(guest).view


def test_a_predicate_that_asks_more_of_a_comment_fails_the_table_loudly(post, student, monkeypatch):
    """The stand-ins hold only what the kinds are made of: a predicate that comes to read
    another field (the comment's age, say) fails every thread until the table learns it."""
    original = Comment.can_edit

    def can_edit_within_a_day(self, user):
        return original(self, user) and self.created is not None

    monkeypatch.setattr(Comment, "can_edit", can_edit_within_a_day)
    with pytest.raises(Comment.DoesNotExist):
        Comment.rules_for(post, student)
