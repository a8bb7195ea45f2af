"""Copy a course to a new term (docs/terms.md; blog.services.copy_course, blog/terms.py):
every setting, topic, award type and assignment (with its rubric, its dates moved in
the course's time zone), the chosen instructors' posts as drafts, and no student row."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.urls import reverse

from assignments import services as assignment_services
from assignments.models import Assignment, Submission
from awards.models import Award
from blog import services
from blog.models import Course, Membership, Post, Role
from tests import factories

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
PROJECT_APPS = {
    "blog", "comments", "awards", "assignments", "notifications", "imports", "references",
    "coursepages",
}  # fmt: skip


def ny(*args):
    return datetime(*args, tzinfo=NEW_YORK)


@pytest.fixture
def term(db):
    """A course that has run a term: settings, topics, award types, assignments with a
    rubric, an instructor's posts, and everything students leave behind."""
    course = factories.CourseFactory(
        title="History 101",
        slug="history-101",
        term="Fall 2026",
        description="The Cold War through its documents.",
        visibility="members",
        guest_comments="off",
        thread_depth=3,
        time_zone="America/New_York",
        citation_style="chicago-author-date",
        term_start=date(2026, 8, 31),
    )
    instructor = factories.MembershipFactory(course=course, role="instructor").user
    co_teacher = factories.MembershipFactory(course=course, role="instructor").user
    student = factories.MembershipFactory(course=course).user
    thaw = factories.TopicFactory(course=course, name="1953: Thaw")
    week = factories.TopicFactory(course=course, name="Week 4")
    factories.AwardFactory(course=course, name="Best source", emoji="📜", colour="#123456")
    retired = factories.AwardFactory(course=course, name="Old prize", description="Gone.")
    retired.retire()
    retired.save()
    essay = assignment_services.create_assignment(
        course=course,
        title="The Thaw in three documents",
        prompt="Read the *three* documents.",
        opens_at=ny(2026, 9, 1, 9),
        due_at=ny(2026, 9, 15, 17),
        points=10,
        topic=thaw,
    )
    assignment_services.create_assignment(
        course=course,
        title="Samizdat",
        prompt="Write about samizdat.",
        opens_at=ny(2026, 10, 26, 9),  # EDT; due and cut-off after the November change
        due_at=ny(2026, 11, 9, 17),
        cutoff_at=ny(2026, 11, 16, 23, 59),
        rubric=[
            ("Use of sources", [("Excellent", 4), ("Adequate", 2), ("Missing", 0)]),
            ("Argument", [("Clear", 6), ("Vague", 3.5)]),
        ],
    )
    syllabus = factories.PostFactory(course=course, author=instructor, title="Syllabus")
    syllabus.topics.set([thaw, week])
    factories.PostFactory(course=course, author=co_teacher, title="Reading list")
    factories.PostFactory(course=course, author=instructor, title="Left behind")
    # What students leave: posts, comments, likes, a submission, feedback, a grade, an
    # extension, an award, notifications.
    answer = factories.PostFactory(course=course, author=student, title="My answer")
    answer.topics.set([thaw])
    comment = factories.CommentFactory(post=syllabus, author=student)
    factories.CommentLikeFactory(comment=comment, user=instructor)
    factories.PostLikeFactory(post=syllabus, user=student)
    submission = assignment_services.submit(assignment=essay, post=answer)
    assignment_services.add_feedback(post=answer, author=instructor, body="Good start.")
    assignment_services.grade(submission=submission, grader=instructor, points=8)
    assignment_services.grant_extension(
        assignment=essay, student=student, due_at=ny(2026, 9, 20, 17), granted_by=instructor
    )
    factories.AwardGrantFactory(award=Award.objects.get(name="Best source"), post=answer)
    factories.NotificationFactory(post=answer)
    return course


def copy(term, by, **overrides):
    values = {
        "course": term,
        "title": "History 101 (2027)",
        "slug": "history-101-2027",
        "term": "Fall 2027",
        "start": date(2027, 8, 30),  # 364 days after 31 August 2026: a Monday again
        "by": by,
        "include": {"topics", "awards"},
        "posts": list(Post.objects.filter(title__in=["Syllabus", "Reading list"])),
        **overrides,
    }
    return services.copy_course(**values)


def instructor_of(course):
    return Membership.objects.get(course=course, role="instructor", user__posts__title="Syllabus")


def fields_of(model, exclude):
    return [f.name for f in model._meta.concrete_fields if f.name not in exclude]


def test_every_setting_is_copied_field_by_field(term):
    new = copy(term, instructor_of(term).user)
    settings = fields_of(Course, services.NOT_COPIED)
    assert {"description", "visibility", "guest_comments", "thread_depth", "time_zone"} <= set(
        settings
    )
    assert [getattr(new, f) for f in settings] == [getattr(term, f) for f in settings]
    assert (new.title, new.slug, new.term) == (
        "History 101 (2027)",
        "history-101-2027",
        "Fall 2027",
    )
    assert new.term_start == date(2027, 8, 30) and new.closed_at is None
    assert new.join_code != term.join_code


def test_every_topic_and_award_type_is_copied(term):
    new = copy(term, instructor_of(term).user)
    topics = lambda course: sorted(course.topics.values_list("name", "slug"))  # noqa: E731
    assert topics(new) == topics(term) and len(topics(new)) == 2
    award_fields = fields_of(Award, {"id", "course", "created"})

    def awards(course):
        return [[str(getattr(a, f)) for f in award_fields] for a in course.awards.order_by("name")]

    assert awards(new) == awards(term) and len(awards(new)) == 2
    assert new.awards.get(name="Old prize").is_retired


def test_every_assignment_is_copied_with_its_rubric_and_moved_dates(term):
    new = copy(term, instructor_of(term).user)
    same = fields_of(
        Assignment,
        {"id", "course", "created", "updated", "opens_at", "due_at", "cutoff_at", "topic"},
    )
    old_rows, new_rows = (list(Assignment.objects.for_course(c).in_order()) for c in (term, new))
    assert len(new_rows) == len(old_rows) == 2
    for old, copied in zip(old_rows, new_rows, strict=True):
        assert [getattr(copied, f) for f in same] == [getattr(old, f) for f in same]
        assert (copied.topic and copied.topic.slug) == (old.topic and old.topic.slug)
        assert copied.topic is None or copied.topic.course_id == new.pk
        assert rubric(copied) == rubric(old)
        for name in ("opens_at", "due_at", "cutoff_at"):
            before, after = getattr(old, name), getattr(copied, name)
            if before is None:
                assert after is None
                continue
            local_before, local_after = before.astimezone(NEW_YORK), after.astimezone(NEW_YORK)
            assert local_after.date() == local_before.date() + timedelta(days=364)
            assert local_after.time() == local_before.time()
    samizdat = new.assignments.get(slug="samizdat")
    assert samizdat.opens_at == ny(2027, 10, 25, 9)  # EDT
    assert samizdat.due_at == ny(2027, 11, 8, 17)  # EST: 17:00 still, an hour later in UTC
    assert samizdat.due_at - term.assignments.get(slug="samizdat").due_at == timedelta(days=364)


def rubric(assignment):
    return [
        (c.name, c.position, [(lv.label, lv.points, lv.position) for lv in c.levels.all()])
        for c in assignment.criteria.all()
    ]


@pytest.mark.parametrize(
    ("zone", "before", "days", "after"),
    [
        # America/New_York: EST -> EDT on 14 March 2027, EDT -> EST on 7 November 2027.
        (NEW_YORK, (2027, 3, 10, 9), 7, (2027, 3, 17, 9)),
        (NEW_YORK, (2027, 11, 5, 9), 7, (2027, 11, 12, 9)),
        (NEW_YORK, (2027, 3, 17, 9), -7, (2027, 3, 10, 9)),
        # Europe/Berlin: CET -> CEST on 28 March 2027, CEST -> CET on 31 October 2027.
        (BERLIN, (2027, 3, 26, 9), 7, (2027, 4, 2, 9)),
        (BERLIN, (2027, 10, 29, 9), 7, (2027, 11, 5, 9)),
        (BERLIN, (2027, 1, 4, 23, 30), 182, (2027, 7, 5, 23, 30)),
    ],
)
def test_a_shift_keeps_the_local_time_across_a_daylight_saving_change(zone, before, days, after):
    shift = services.TermShift(days, zone)
    moved = shift(datetime(*before, tzinfo=zone))
    assert moved == datetime(*after, tzinfo=zone)
    assert moved.astimezone(zone).replace(tzinfo=None) == datetime(*after)
    assert moved - datetime(*before, tzinfo=zone) != timedelta(days=days)  # an hour apart


@pytest.mark.parametrize(
    ("zone_name", "opens", "due", "new_start", "new_opens", "new_due"),
    [
        (
            "America/New_York",
            (2027, 3, 15, 9),  # EDT, the day after the change
            (2027, 3, 19, 17),
            date(2027, 11, 1),  # old start 1 March: 245 days later
            (2027, 11, 15, 9),  # EST
            (2027, 11, 19, 17),
        ),
        (
            "Europe/Berlin",
            (2027, 3, 22, 9),
            (2027, 4, 2, 17),
            date(2027, 10, 25),  # old start 15 March: 224 days later
            (2027, 11, 1, 9),
            (2027, 11, 12, 17),
        ),
    ],
)
def test_copied_assignments_keep_their_local_times_in_the_course_zone(
    db, zone_name, opens, due, new_start, new_opens, new_due
):
    zone = ZoneInfo(zone_name)
    course = factories.CourseFactory(time_zone=zone_name)
    start = date(2027, 3, 1) if zone_name == "America/New_York" else date(2027, 3, 15)
    assignment_services.create_assignment(
        course=course,
        title="Essay",
        prompt="Write.",
        opens_at=datetime(*opens, tzinfo=zone),
        due_at=datetime(*due, tzinfo=zone),
    )
    new = services.copy_course(
        course=course,
        title="Next",
        slug="next",
        start=new_start,
        old_start=start,
        by=factories.UserFactory(),
    )
    copied = new.assignments.get()
    assert copied.opens_at == datetime(*new_opens, tzinfo=zone)
    assert copied.due_at == datetime(*new_due, tzinfo=zone)


def tied_to_course():
    """Every model of the project's apps that holds rows of a course, with the lookup
    from it to its course (the shortest chain of foreign keys)."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in PROJECT_APPS and model is not Course:
            path = path_to_course(model, depth=4)
            if path:
                found[model._meta.label] = (model, path)
    return found


def path_to_course(model, depth, seen=()):
    keys = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    for f in keys:
        if f.related_model is Course:
            return f.name
    if depth > 1:
        paths = []
        for f in keys:
            if f.related_model not in seen and f.related_model is not model:
                tail = path_to_course(f.related_model, depth - 1, (*seen, model))
                if tail:
                    paths.append(f"{f.name}__{tail}")
        return min(paths, key=lambda p: p.count("__"), default=None)
    return None


def test_no_student_row_is_copied_table_by_table(term):
    instructor = instructor_of(term).user
    new = copy(term, instructor)
    expected = {
        "blog.Membership": 2,  # the two instructors
        "blog.Topic": 2,
        "blog.Post": 2,  # the two chosen instructors' posts, as drafts
        "blog.Post_topics": 2,  # the syllabus's two topics
        "awards.Award": 2,
        "assignments.Assignment": 2,
        "assignments.RubricCriterion": 2,
        "assignments.RubricLevel": 5,
    }
    tables = tied_to_course()
    for label in [
        "comments.Comment", "comments.CommentLike", "blog.PostLike", "assignments.Submission",
        "assignments.Feedback", "assignments.Grade", "assignments.Extension",
        "awards.AwardGrant", "notifications.Notification", "assignments.PostSnapshot",
    ]:  # fmt: skip
        assert label in tables  # the walk finds every table a student fills
        assert tables[label][0].objects.filter(**{tables[label][1]: term}).exists()
    counts = {
        label: model.objects.filter(**{path: new}).count()
        for label, (model, path) in tables.items()
    }
    assert counts == {label: expected.get(label, 0) for label in tables}
    assert set(new.memberships.values_list("role", flat=True)) == {Role.INSTRUCTOR}
    assert not new.posts.filter(status="published").exists()


def test_posts_are_drafts_of_their_instructor_authors(term):
    instructor = instructor_of(term).user
    new = copy(term, instructor)
    syllabus = new.posts.get(title="Syllabus")
    assert syllabus.author == instructor and not syllabus.is_published
    assert syllabus.body == Post.objects.get(course=term, title="Syllabus").body
    assert sorted(syllabus.topics.values_list("slug", flat=True)) == ["1953-thaw", "week-4"]
    assert all(topic.course_id == new.pk for topic in syllabus.topics.all())


def test_a_students_post_never_comes_along_even_if_asked(term):
    new = copy(term, instructor_of(term).user, posts=list(Post.objects.filter(course=term)))
    assert "My answer" not in set(new.posts.values_list("title", flat=True))
    assert new.posts.count() == 3  # the instructors' three


def test_left_out_parts_are_not_copied(term):
    new = copy(term, instructor_of(term).user, include=set(), posts=[])
    assert not new.awards.exists() and not new.posts.exists()
    assert new.assignments.count() == 2  # assignments always come, with the topic they tag
    assert list(new.topics.values_list("slug", flat=True)) == ["1953-thaw"]


def test_the_copy_works_end_to_end(client, term):
    new = copy(term, instructor_of(term).user)
    newcomer = factories.UserFactory()
    client.force_login(newcomer)
    response = client.post(reverse("blog:course_join"), {"code": new.join_code})
    assert response.status_code == 302 and new.role_of(newcomer) == Role.STUDENT
    essay = new.assignments.get(slug="the-thaw-in-three-documents")
    Assignment.objects.filter(pk=essay.pk).update(opens_at=ny(2026, 12, 1, 9))  # open now
    url = reverse("assignments:assignment_respond", args=[new.slug, essay.slug])
    draft_url = client.post(url)["Location"]
    post = new.posts.get(author=newcomer)
    response = client.post(
        draft_url,
        {
            "title": "My new answer",
            "body": "The Thaw, again.",
            "assignment-assignment": essay.pk,
            "action": "publish",
        },
    )
    assert response.status_code == 302
    submission = Submission.objects.get(assignment=essay)
    assert submission.post == post and submission.is_submitted and submission.student == newcomer


# --- The pages ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("outsider", 404), ("student", 403), ("instructor", 200), ("staff", 200)],
)
def test_who_may_copy_a_course(client, term, staff, who, status):
    users = {
        "anonymous": None,
        "outsider": factories.UserFactory(),  # the course is members-only: not found
        "student": Membership.objects.get(course=term, role="student").user,
        "instructor": instructor_of(term).user,
        "staff": staff,
    }
    if users[who]:
        client.force_login(users[who])
    url = reverse("blog:course_copy", args=[term.slug])
    assert client.get(url).status_code == status
    client.post(url, form(step="confirm"))
    assert Course.objects.filter(slug="history-101-2027").exists() == (status == 200)


def form(**extra):
    return {
        "title": "History 101 (2027)",
        "slug": "history-101-2027",
        "term": "Fall 2027",
        "old_start": "2026-08-31",
        "start": "2027-08-30",
        "topics": "on",
        "include_awards": "on",
        **extra,
    }


def test_the_form_suggests_the_old_start_and_offers_the_instructors_posts(client, term):
    Course.objects.filter(pk=term.pk).update(term_start=None)  # from the first opening
    client.force_login(instructor_of(term).user)
    html = client.get(reverse("blog:course_copy", args=[term.slug])).content.decode()
    assert 'value="2026-09-01"' in html
    assert "Syllabus" in html and "Reading list" in html and "My answer" not in html
    assert "Award types" in html


def test_the_confirmation_shows_every_assignments_new_dates_before_copying(client, term):
    client.force_login(instructor_of(term).user)
    url = reverse("blog:course_copy", args=[term.slug])
    response = client.post(url, form(step="preview"))
    html = response.content.decode()
    assert response.status_code == 200 and not Course.objects.filter(slug="history-101-2027")
    assert "Confirm the copy" in html and "364 days after" in html
    for new_time in ["Tue 31 Aug 2027, 09:00", "Tue 14 Sep 2027, 17:00", "Mon 25 Oct 2027, 09:00"]:
        assert new_time in html
    assert "Mon 8 Nov 2027, 17:00" in html and "Mon 15 Nov 2027, 23:59" in html
    assert "Tue 1 Sep 2026, 09:00" in html  # beside the old one
    assert "Best source" in html
    assert 'name="step" value="confirm"' in html and 'type="hidden" name="slug"' in html


def test_confirming_copies_and_change_brings_the_form_back(client, term):
    client.force_login(instructor_of(term).user)
    url = reverse("blog:course_copy", args=[term.slug])
    back = client.post(url, form(step="change", title="Typed title"))
    assert "Typed title" in back.content.decode() and not Course.objects.filter(
        slug="history-101-2027"
    )
    syllabus = Post.objects.get(title="Syllabus")
    response = client.post(url, {**form(step="confirm"), "posts": [syllabus.pk]})
    new = Course.objects.get(slug="history-101-2027")
    assert response["Location"] == new.get_absolute_url()
    assert list(new.posts.values_list("title", flat=True)) == ["Syllabus"]
    assert new.awards.count() == 2 and new.assignments.count() == 2


def test_a_taken_address_is_a_form_error_that_keeps_what_was_typed(client, term):
    client.force_login(instructor_of(term).user)
    response = client.post(
        reverse("blog:course_copy", args=[term.slug]), form(slug=term.slug, title="Kept")
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Another course has this address" in html
    assert 'value="Kept"' in html and Course.objects.count() == 1


def test_a_copy_remembers_its_first_day_which_its_own_copy_suggests(client, term):
    instructor = instructor_of(term).user
    new = copy(term, instructor)
    assert new.term_start == date(2027, 8, 30)
    client.force_login(instructor)
    html = client.get(reverse("blog:course_copy", args=[new.slug])).content.decode()
    assert 'value="2027-08-30"' in html
