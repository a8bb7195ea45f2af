"""Instructor pages: course settings, the roster and participation (with its CSV)."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from blog.models import Membership, Post, PostLike
from blog.participation import participation_columns, period_bounds
from comments.models import Comment, CommentLike
from config import hooks
from tests import factories

# The clock is pinned for every test here: the data below is dated relative to NOW, and
# "this week" or a custom day must not depend on when the suite happens to run.
NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)  # a Wednesday, midday
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


MANAGE_PAGES = ["blog:course_settings", "blog:course_roster", "blog:course_participation"]


def url(name, course, *args):
    return reverse(name, args=[course.slug, *args])


@pytest.fixture
def other_instructor(db):
    """An instructor, but of another course: nobody special here."""
    return factories.MembershipFactory(
        role="instructor", user=factories.UserFactory(username="elsewhere")
    ).user


# --- Who may use the pages ---


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_instructor_and_staff_open_the_instructor_pages(client, course, instructor, staff, page):
    for person in (instructor, staff):
        client.force_login(person)
        response = client.get(url(page, course))
        assert response.status_code == 200
        assert 'aria-label="Instructor tools"' in response.content.decode()


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_students_and_other_instructors_are_refused(
    client, course, student, other_instructor, page
):
    for person in (student, other_instructor):
        client.force_login(person)
        assert client.get(url(page, course)).status_code == 403


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_anonymous_users_are_sent_to_log_in(client, course, page):
    response = client.get(url(page, course))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_members_only_course_pages_are_404_for_non_members(
    client, private_course, other_instructor, page
):
    client.force_login(other_instructor)
    assert client.get(url(page, private_course)).status_code == 404


@pytest.mark.parametrize(
    "name, args",
    [("blog:membership_role", {"role": "student"}), ("blog:membership_remove", {})],
)
def test_students_cannot_change_the_roster(client, course, student, classmate, name, args):
    membership = Membership.objects.get(user=classmate)
    client.force_login(student)
    assert client.post(url(name, course, membership.pk), args).status_code == 403
    assert Membership.objects.filter(pk=membership.pk, role="student").exists()


def test_a_member_of_another_course_cannot_be_changed_through_this_one(
    client, course, instructor, other_instructor
):
    elsewhere = Membership.objects.get(user=other_instructor)
    client.force_login(instructor)
    response = client.post(url("blog:membership_remove", course, elsewhere.pk))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_instructor_links_on_the_course_page(client, course, instructor):
    client.force_login(instructor)
    content = client.get(course.get_absolute_url()).content.decode()
    for page in MANAGE_PAGES:
        assert f'href="{url(page, course)}"' in content


def test_the_tabs_show_the_pending_count(client, course, instructor, post):
    factories.CommentFactory(post=post, author=None, guest_name="G", status="pending")
    factories.CommentFactory(post=post, author=None, guest_name="H", status="pending")
    client.force_login(instructor)
    for page in [*MANAGE_PAGES, "comments:moderation_queue", "awards:award_manage"]:
        content = client.get(url(page, course)).content.decode()
        assert 'badge text-bg-warning">2<span class="visually-hidden"> pending' in content, page


# --- Settings ---


def test_instructor_changes_the_settings(client, course, instructor):
    client.force_login(instructor)
    response = client.post(
        url("blog:course_settings", course),
        {
            "title": "History 102",
            "term": "Autumn 2027",
            "description": "New words.",
            "visibility": "members",
            "guest_comments": "off",
            "thread_depth": 3,
            "citation_style": "mla",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("blog:course_settings", course)
    course.refresh_from_db()
    assert (course.title, course.term, course.visibility) == (
        "History 102",
        "Autumn 2027",
        "members",
    )
    assert (course.guest_comments, course.thread_depth, course.slug) == ("off", 3, "history-101")
    assert course.citation_style == "mla"


def test_settings_refuse_a_bad_depth(client, course, instructor):
    client.force_login(instructor)
    data = {"title": "T", "visibility": "public", "guest_comments": "off", "thread_depth": 11}
    response = client.post(url("blog:course_settings", course), data)
    assert response.status_code == 400  # bad input: a 4xx, the form as typed
    assert "Choose a depth from 1 to 10." in response.content.decode()
    course.refresh_from_db()
    assert course.thread_depth == 5


def test_settings_page_has_no_hidden_input_with_aria_attributes(client, course, instructor):
    """HTML forbids aria-* on type=hidden (the Nu HTML Checker)."""
    client.force_login(instructor)
    content = client.get(url("blog:course_settings", course)).content.decode()
    hidden = re.findall(r'<input type="hidden"[^>]*>', content)
    assert hidden
    assert [tag for tag in hidden if "aria-" in tag] == []


def test_settings_show_the_join_code_to_copy_and_regenerate(client, course, instructor):
    client.force_login(instructor)
    content = client.get(url("blog:course_settings", course)).content.decode()
    assert f'<code class="join-code" id="join-code">{course.join_code}</code>' in content
    assert 'data-copy="#join-code"' in content
    assert url("blog:course_join_code_regenerate", course) in content


def test_regenerating_from_settings_returns_to_settings(client, course, instructor):
    old = course.join_code
    client.force_login(instructor)
    back = url("blog:course_settings", course) + "#join-code-box"
    response = client.post(url("blog:course_join_code_regenerate", course), {"next_anchor": back})
    assert response["Location"] == back
    course.refresh_from_db()
    assert course.join_code != old


def test_regenerating_never_redirects_off_site(client, course, instructor):
    client.force_login(instructor)
    response = client.post(
        url("blog:course_join_code_regenerate", course), {"next_anchor": "https://evil.example/"}
    )
    assert response["Location"] == course.get_absolute_url()


# --- Reserved slugs ---


@pytest.mark.parametrize("title", ["Manage", "Write", "Search", "Feed", "Join code", "Topics"])
def test_posts_never_take_a_route_word_as_slug(course, student, title):
    post = factories.PostFactory(course=course, author=student, title=title)
    assert post.slug == slugify(title) + "-2"
    assert post.get_absolute_url().endswith(f"/{post.slug}/")


# --- Roster ---


@pytest.fixture
def people(db):
    """Accounts to add: usernames ana, bo, cy; emails <username>@example.edu."""
    return {
        name: factories.UserFactory(username=name, email=f"{name.capitalize()}@Example.edu")
        for name in ["ana", "bo", "cy"]
    }


def add(client, course, text, role="student"):
    return client.post(url("blog:course_roster", course), {"entries": text, "role": role})


def test_roster_paste_adds_by_username_and_email_in_any_case(client, course, instructor, people):
    client.force_login(instructor)
    response = add(client, course, "ana\n\n  BO@example.EDU  \nCy <cy@example.edu>\n")
    assert response.status_code == 302
    members = set(course.memberships.students().values_list("user__username", flat=True))
    assert members == {"ana", "bo", "cy"}
    page = client.get(response["Location"]).content.decode()
    assert "Added 3 as students:" in page


def test_roster_paste_reports_unknown_duplicate_and_existing_entries(
    client, course, instructor, student, people
):
    client.force_login(instructor)
    text = "ana\nnobody\nANA\nana@example.edu\nstu\nghost@example.edu\nbo"
    response = add(client, course, text)
    assert response.status_code == 200  # not everything could be added: shown again
    content = response.content.decode()
    assert "Added 2 as students: " in content
    assert "Already members, unchanged: " in content
    assert "Listed more than once, counted once: ANA, ana@example.edu." in content
    assert "No account found for: nobody, ghost@example.edu." in content
    form = response.context["form"]
    assert form.initial["entries"] == "nobody\nghost@example.edu"
    result = response.context["result"]
    assert [u.username for u in result.added] == ["ana", "bo"]
    assert [u.username for u in result.already_members] == ["stu"]
    assert course.memberships.count() == 4  # instructor, stu, ana, bo


def test_roster_can_add_instructors(client, course, instructor, people):
    client.force_login(instructor)
    add(client, course, "cy", role="instructor")
    assert course.role_of(people["cy"]) == "instructor"


def test_roster_refuses_an_empty_paste(client, course, instructor):
    client.force_login(instructor)
    response = add(client, course, "\n \n,")
    assert response.status_code == 200
    assert "Enter at least one username or email." in response.content.decode()


def test_an_email_shared_by_two_accounts_adds_nobody(course, instructor):
    from blog.services import add_members

    factories.UserFactory(username="twin1", email="twin@example.edu")
    factories.UserFactory(username="twin2", email="TWIN@example.edu")
    result = add_members(course=course, entries=["twin@example.edu", "twin1"])
    assert result.ambiguous == ["twin@example.edu"]
    assert [u.username for u in result.added] == ["twin1"]


def test_instructor_changes_a_role(client, course, instructor, student):
    membership = Membership.objects.get(user=student)
    client.force_login(instructor)
    response = client.post(
        url("blog:membership_role", course, membership.pk), {"role": "instructor"}
    )
    assert response["Location"] == url("blog:course_roster", course)
    membership.refresh_from_db()
    assert membership.role == "instructor"


def test_removing_a_member_keeps_their_posts_and_comments(
    client, course, instructor, student, post
):
    comment = factories.CommentFactory(post=post, author=student)
    membership = Membership.objects.get(user=student)
    client.force_login(instructor)
    response = client.post(url("blog:membership_remove", course, membership.pk))
    assert response["Location"] == url("blog:course_roster", course)
    assert not Membership.objects.filter(user=student, course=course).exists()
    assert Post.objects.filter(pk=post.pk, author=student).exists()
    assert Comment.objects.filter(pk=comment.pk, author=student, status="approved").exists()


def test_the_last_instructor_cannot_be_demoted_or_removed(client, course, instructor):
    membership = Membership.objects.get(user=instructor)
    client.force_login(instructor)
    role_url = url("blog:membership_role", course, membership.pk)
    response = client.post(role_url, {"role": "student"}, follow=True)
    assert "is the course&#x27;s only instructor" in response.content.decode()
    response = client.post(url("blog:membership_remove", course, membership.pk), follow=True)
    assert "is the course&#x27;s only instructor" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).role == "instructor"


def test_an_instructor_who_steps_down_goes_back_to_the_course(client, course, instructor, student):
    Membership.objects.filter(user=student).update(role="instructor")
    mine = Membership.objects.get(user=instructor)
    client.force_login(instructor)
    response = client.post(url("blog:membership_role", course, mine.pk), {"role": "student"})
    assert response["Location"] == course.get_absolute_url()
    assert Membership.objects.get(pk=mine.pk).role == "student"


def test_roster_lists_members_with_their_roles(
    client, course, instructor, student, django_assert_max_num_queries
):
    for _ in range(20):
        factories.MembershipFactory(course=course)
    client.force_login(instructor)
    # blog's 8, and one each for the roster panels of other apps (lti: is it linked?)
    with django_assert_max_num_queries(8 + len(hooks.ROSTER_PANELS)):
        response = client.get(url("blog:course_roster", course))
    content = response.content.decode()
    assert content.count('class="roster__member"') == 22
    assert '<option value="instructor" selected>Instructor</option>' in content


# --- Participation: a known data set ---

RECENT = NOW - timedelta(days=1)
OLD = NOW - timedelta(days=40)


def at(when, **delta):
    return when - timedelta(**delta)


def like_post(post, user, when):
    like = factories.PostLikeFactory(post=post, user=user)
    PostLike.objects.filter(pk=like.pk).update(created=when)


def like_comment(comment, user, when):
    like = factories.CommentLikeFactory(comment=comment, user=user)
    CommentLike.objects.filter(pk=like.pk).update(created=when)


@pytest.fixture
def activity(course, instructor):
    """ana and bo are active, cy did nothing; zed is active in another course only."""
    ana, bo, cy = (
        factories.MembershipFactory(course=course, user=factories.UserFactory(username=name)).user
        for name in ["ana", "bo", "cy"]
    )
    posts = factories.PostFactory
    a1 = posts(course=course, author=ana, published_at=at(RECENT, hours=1))
    a2 = posts(course=course, author=ana, published_at=OLD)
    posts(course=course, author=ana, status="draft", published_at=None)
    b1 = posts(course=course, author=bo, published_at=at(RECENT, hours=2))
    b2 = posts(course=course, author=bo, published_at=at(OLD, hours=1))
    elsewhere = posts(author=ana, published_at=RECENT)  # another course: not counted

    comment = factories.CommentFactory
    a_c1 = comment(post=b1, author=ana, created=at(NOW, hours=3))
    comment(post=b1, author=ana, created=at(NOW, hours=8))
    comment(post=b2, author=ana, created=OLD)
    comment(post=b1, author=ana, created=at(NOW, hours=1), status="removed")
    comment(post=b1, author=ana, created=at(NOW, hours=1), status="spam")
    comment(post=elsewhere, author=ana, created=RECENT)
    b_c1 = comment(post=a1, author=bo, created=at(NOW, hours=6))
    comment(post=a1, author=None, guest_name="Guest", status="pending")

    like_post(b1, ana, at(NOW, hours=5))
    like_post(b2, ana, OLD)
    like_comment(b_c1, ana, at(NOW, hours=4))
    like_post(a1, bo, at(NOW, hours=2))
    like_post(a2, bo, OLD)
    like_comment(a_c1, bo, at(NOW, hours=2, minutes=30))
    like_post(a1, instructor, RECENT)

    award = factories.AwardFactory(course=course)
    factories.AwardGrantFactory(award=award, post=a1, granted_at=RECENT)
    factories.AwardGrantFactory(
        award=factories.AwardFactory(course=course), post=a2, granted_at=OLD
    )
    return {"ana": ana, "bo": bo, "cy": cy}


def local(when):
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


# name: (posts, comments, likes given, likes received, awards, last activity)
WHOLE_TERM = {
    "ana": [2, 3, 3, 4, 2, at(NOW, hours=3)],
    "bo": [2, 1, 3, 3, 0, at(NOW, hours=2)],
    "cy": [0, 0, 0, 0, 0, None],
}
LAST_7_DAYS = {
    "ana": [1, 2, 2, 3, 1, at(NOW, hours=3)],
    "bo": [1, 1, 2, 2, 0, at(NOW, hours=2)],
    "cy": [0, 0, 0, 0, 0, None],
}
ON_THE_OLD_DAY = {
    "ana": [1, 1, 1, 1, 1, OLD],
    "bo": [1, 0, 1, 1, 0, OLD],
    "cy": [0, 0, 0, 0, 0, None],
}
HEADER = [
    "Student", "Username", "Posts published", "Comments written", "Likes given",
    "Likes received", "Awards received", "Last activity",
]  # fmt: skip


def table_of(response):
    """The figures of the columns above (other apps' columns are tested with those apps)."""
    return {
        row.user.username: [v for column, v in row.cells if column.label in HEADER]
        for row in response.context["table"].rows
    }


def participation(client, course, **params):
    return client.get(url("blog:course_participation", course), params)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"period": "term"}, WHOLE_TERM),
        ({"period": "7days"}, LAST_7_DAYS),
        ({"period": "custom", "start": str(OLD.date()), "end": str(OLD.date())}, ON_THE_OLD_DAY),
    ],
)
def test_participation_figures(client, course, instructor, activity, params, expected):
    client.force_login(instructor)
    response = participation(client, course, **params)
    assert response.status_code == 200
    assert table_of(response) == expected
    labels = [h["label"] for h in response.context["headers"]]
    assert [label for label in labels if label in HEADER] == ["Student", *HEADER[2:]]


def test_participation_csv_is_the_same_table(client, course, instructor, activity):
    client.force_login(instructor)
    response = participation(client, course, period="7days", format="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate()
    start = timezone.localdate(NOW - timedelta(days=7))
    filename = f"participation-history-101-{start}-to-{today}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    known = [i for i, label in enumerate(rows[0]) if label in HEADER]
    rows = [[row[i] for i in known] for row in rows]
    assert rows[0] == HEADER
    expected = [
        [u.name, u.username, *(str(v) for v in LAST_7_DAYS[u.username][:5])]
        + [local(LAST_7_DAYS[u.username][5]) if LAST_7_DAYS[u.username][5] else ""]
        for u in sorted(activity.values(), key=lambda u: u.name.lower())
    ]
    assert rows[1:] == expected


def test_participation_csv_of_the_whole_term_is_named_so(client, course, instructor):
    client.force_login(instructor)
    response = participation(client, course, period="term", format="csv")
    assert "participation-history-101-whole-term.csv" in response["Content-Disposition"]


@pytest.mark.parametrize(
    "sort, direction, order",
    [
        ("comments_written", "desc", ["ana", "bo", "cy"]),
        ("comments_written", "asc", ["cy", "bo", "ana"]),
        ("likes_received", None, ["ana", "bo", "cy"]),
        ("last_activity", "desc", ["bo", "ana", "cy"]),
        ("last_activity", "asc", ["cy", "ana", "bo"]),
        ("posts_published", "desc", ["ana", "bo", "cy"]),  # a tie keeps name order
        ("name", "desc", ["cy", "bo", "ana"]),
        ("nonsense", None, ["ana", "bo", "cy"]),
    ],
)
def test_participation_sorts_by_any_column(
    client, course, instructor, activity, sort, direction, order
):
    for user in activity.values():
        user.first_name, user.last_name = user.username.capitalize(), ""
        user.save()
    client.force_login(instructor)
    params = {"period": "term", "sort": sort} | ({"dir": direction} if direction else {})
    response = participation(client, course, **params)
    assert list(table_of(response)) == order


def test_participation_header_links_flip_the_direction(client, course, instructor, activity):
    client.force_login(instructor)
    response = participation(client, course, period="term", sort="likes_given", dir="desc")
    headers = {h["key"]: h for h in response.context["headers"]}
    assert headers["likes_given"]["aria_sort"] == "descending"
    assert "sort=likes_given&dir=asc" in headers["likes_given"]["query"]
    assert "period=term" in headers["likes_given"]["query"]
    assert 'aria-sort="descending"' in response.content.decode()


@pytest.mark.parametrize(
    "params, error",
    [
        ({"period": "custom", "start": "2027-02-30"}, "Enter a valid date."),
        ({"period": "custom", "start": "yesterday"}, "Enter a valid date."),
        ({"period": "custom"}, "Choose a start date, an end date or both."),
        ({"period": "custom", "start": "2027-03-05", "end": "2027-03-01"}, "before the start"),
        ({"period": "forever"}, "Select a valid choice."),
    ],
)
def test_participation_bad_periods_are_form_errors(client, course, instructor, params, error):
    client.force_login(instructor)
    for extra in ({}, {"format": "csv"}):
        response = participation(client, course, **params, **extra)
        assert response.status_code == 200
        assert error in response.content.decode()
        assert response.context["table"] is None


def test_participation_opens_on_the_whole_term(client, course, instructor, activity):
    client.force_login(instructor)
    response = participation(client, course)
    assert response.context["form"].cleaned_data["period"] == "term"
    assert table_of(response) == WHOLE_TERM
    assert '<option value="term" selected>Whole term</option>' in response.content.decode()


def test_participation_table_is_a_labelled_focusable_scroll_region(
    client, course, instructor, activity
):
    client.force_login(instructor)
    html = participation(client, course).content.decode()
    assert (
        '<div class="table-responsive scroll-region surface p-0" tabindex="0" role="region" '
        'aria-labelledby="participation-caption">' in html
    )
    assert '<caption id="participation-caption"' in html


def test_period_bounds():
    wednesday = timezone.make_aware(datetime(2027, 3, 10, 15, 30))
    monday = timezone.make_aware(datetime(2027, 3, 8))
    assert period_bounds("week", now=wednesday) == (monday, None)
    assert period_bounds("7days", now=wednesday) == (wednesday - timedelta(days=7), None)
    assert period_bounds("term", now=wednesday) == (None, None)
    start, end = period_bounds(
        "custom", start_date=date(2027, 3, 1), end_date=date(2027, 3, 7), now=wednesday
    )
    assert (start, end) == (timezone.make_aware(datetime(2027, 3, 1)), monday)


@pytest.mark.parametrize("students", [3, 30])
def test_participation_runs_a_fixed_number_of_queries(
    client, course, instructor, students, django_assert_max_num_queries
):
    for _ in range(students):
        post = factories.PostFactory(course=course)
        comment = factories.CommentFactory(post=post, author=post.author)
        factories.PostLikeFactory(post=post, user=instructor)
        factories.CommentLikeFactory(comment=comment, user=instructor)
        factories.AwardGrantFactory(award=factories.AwardFactory(course=course), post=post)
    client.force_login(instructor)
    # One query per figure: columns that apps beyond blog, comments and awards add cost theirs.
    others = sum(len(c.sources) for c in participation_columns() if c.label not in HEADER)
    others += len(hooks.COURSE_PARTICIPATION_COLUMNS)  # each lists its columns once
    with django_assert_max_num_queries(18 + others):
        response = participation(client, course, period="term")
    assert len(response.context["table"].rows) == students
    with django_assert_max_num_queries(16 + others):
        participation(client, course, period="term", format="csv")


def test_only_students_have_rows(client, course, instructor, student):
    client.force_login(instructor)
    response = participation(client, course, period="term")
    assert list(table_of(response)) == ["stu"]


# --- Periods at the edges of the day: just after midnight, and a daylight-saving change ---


def published_posts_per_period(client, course, student, dates, periods):
    """{period label: posts published} for a student who published on the given dates."""
    for when in dates:
        factories.PostFactory(course=course, author=student, published_at=when)
    figures = {}
    for label, params in periods.items():
        response = participation(client, course, **params)
        assert response.status_code == 200, label
        figures[label] = table_of(response)[student.username][0]
    return figures


def test_just_after_midnight_the_day_and_week_begin_at_local_midnight(
    client, course, instructor, student, clock, settings
):
    settings.TIME_ZONE = "Europe/London"
    clock.move_to(datetime(2027, 3, 8, 0, 30, tzinfo=LONDON), tick=False)  # Monday 00:30
    client.force_login(instructor)
    figures = published_posts_per_period(
        client,
        course,
        student,
        [
            datetime(2027, 3, 7, 23, 50, tzinfo=LONDON),  # Sunday, ten minutes before
            datetime(2027, 3, 8, 0, 10, tzinfo=LONDON),  # Monday, just after midnight
        ],
        {
            "week": {"period": "week"},
            "sunday": {"period": "custom", "start": "2027-03-07", "end": "2027-03-07"},
            "monday": {"period": "custom", "start": "2027-03-08", "end": "2027-03-08"},
            "term": {"period": "term"},
        },
    )
    assert figures == {"week": 1, "sunday": 1, "monday": 1, "term": 2}
    response = participation(client, course, period="week", format="csv")
    filename = "participation-history-101-2027-03-08-to-2027-03-08.csv"
    assert filename in response["Content-Disposition"]


def test_a_day_with_a_daylight_saving_change_has_its_local_bounds(
    client, course, instructor, student, clock, settings
):
    """London springs forward at 01:00 on Sunday 28 March 2027: that day lasts 23 hours."""
    settings.TIME_ZONE = "Europe/London"
    clock.move_to(datetime(2027, 3, 29, 0, 30, tzinfo=LONDON), tick=False)  # Monday 00:30 BST
    client.force_login(instructor)
    figures = published_posts_per_period(
        client,
        course,
        student,
        [
            datetime(2027, 3, 27, 23, 50, tzinfo=LONDON),  # Saturday, GMT
            datetime(2027, 3, 28, 0, 30, tzinfo=LONDON),  # Sunday before the change, GMT
            datetime(2027, 3, 28, 23, 45, tzinfo=LONDON),  # Sunday after it, BST
            datetime(2027, 3, 29, 0, 10, tzinfo=LONDON),  # Monday (still the 28th in UTC)
        ],
        {
            "week": {"period": "week"},
            "saturday": {"period": "custom", "start": "2027-03-27", "end": "2027-03-27"},
            "sunday": {"period": "custom", "start": "2027-03-28", "end": "2027-03-28"},
            "weekend": {"period": "custom", "start": "2027-03-27", "end": "2027-03-28"},
            "monday": {"period": "custom", "start": "2027-03-29", "end": "2027-03-29"},
        },
    )
    assert figures == {"week": 1, "saturday": 1, "sunday": 2, "weekend": 3, "monday": 1}


# --- CSV: formulas stay text ---


@pytest.mark.parametrize(
    "name",
    [
        '=HYPERLINK("http://evil.example","x")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
    ids=["equals", "plus", "minus", "at", "tab", "carriage-return"],
)
def test_participation_csv_neutralises_formula_cells(client, course, instructor, student, name):
    student.display_name = name
    student.save()
    client.force_login(instructor)
    response = participation(client, course, period="term", format="csv")
    rows = list(csv.reader(io.StringIO(response.content.decode(), newline="")))
    assert rows[1][:2] == ["'" + name, "stu"]
    assert set(rows[1][2:-1]) == {"0"} and rows[1][-1] == ""  # figures stay numbers
