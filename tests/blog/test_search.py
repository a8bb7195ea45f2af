"""Search: site-wide and per course; full text on PostgreSQL, a simple match elsewhere."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from blog.search import (
    has_phrase,
    highlight,
    newest_matches,
    phrase_pairs,
    ranked_matches,
    search_terms,
    simple_search,
)
from tests import factories

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
)


def search(client, q, **params):
    response = client.get(reverse("blog:search"), {"q": q, **params})
    assert response.status_code == 200
    return response


def result_titles(response):
    return [post.title for post in response.context["page_obj"].object_list]


@pytest.fixture
def thaw_posts(course, student, private_course):
    """Posts about the Thaw: public, draft, and in a members-only course."""
    public = factories.PostFactory(
        course=course, author=student, title="After the Thaw", body="Poems read aloud."
    )
    draft = factories.PostFactory(
        course=course, author=student, title="Thaw draft", body="Unfinished.", status="draft"
    )
    member = factories.MembershipFactory(course=private_course).user
    secret = factories.PostFactory(
        course=private_course, author=member, title="Seminar on the Thaw", body="Notes."
    )
    return public, draft, secret, member


# --- Visibility -------------------------------------------------------------------


def test_anonymous_search_finds_only_public_published_posts(client, thaw_posts):
    assert result_titles(search(client, "thaw")) == ["After the Thaw"]


def test_members_see_their_members_only_courses_in_search(client, thaw_posts):
    *_, member = thaw_posts
    client.force_login(member)
    assert sorted(result_titles(search(client, "thaw"))) == [
        "After the Thaw",
        "Seminar on the Thaw",
    ]


@pytest.mark.parametrize("who", ["outsider", "classmate", "student"])
def test_drafts_and_other_courses_stay_hidden(client, thaw_posts, who, request):
    client.force_login(request.getfixturevalue(who))
    assert result_titles(search(client, "thaw")) == ["After the Thaw"]


def test_course_search_looks_in_that_course_only(client, thaw_posts, student):
    other = factories.PostFactory(title="Thaw elsewhere", author=student)
    course = thaw_posts[0].course
    response = client.get(reverse("blog:course_search", args=[course.slug]), {"q": "thaw"})
    assert result_titles(response) == ["After the Thaw"]
    assert result_titles(search(client, "thaw", course=course.slug)) == ["After the Thaw"]
    assert "Thaw elsewhere" in result_titles(search(client, "thaw"))
    assert other.course.slug != course.slug


def test_course_search_of_a_members_only_course_is_404_for_others(client, thaw_posts, outsider):
    _, _, secret, member = thaw_posts
    url = reverse("blog:course_search", args=[secret.course.slug])
    client.force_login(outsider)
    assert client.get(url, {"q": "thaw"}).status_code == 404
    assert client.get(reverse("blog:search"), {"course": secret.course.slug}).status_code == 404
    client.force_login(member)
    assert result_titles(client.get(url, {"q": "thaw"})) == ["Seminar on the Thaw"]


# --- Queries --------------------------------------------------------------------


@pytest.mark.parametrize("q", ["", "   ", "?!", "--", '"" ...'])
def test_empty_or_punctuation_query_gets_a_friendly_page(client, thaw_posts, q):
    response = search(client, q)
    assert "Type a word or two to search." in response.content.decode()
    assert response.context["page_obj"] is None


def test_no_match_says_so(client, thaw_posts):
    assert "No posts match “zebra”" in search(client, "zebra").content.decode()


def test_search_matches_title_body_and_topic_names(client, course, student):
    topic = factories.TopicFactory(course=course, name="Samizdat")
    factories.PostFactory(course=course, author=student, title="Typewriters", body="Carbon copies.")
    factories.PostFactory(course=course, author=student, title="Other", body="About typewriters.")
    factories.PostFactory(course=course, author=student, title="Third").topics.add(topic)
    assert sorted(result_titles(search(client, "typewriters"))) == ["Other", "Typewriters"]
    assert result_titles(search(client, "samizdat")) == ["Third"]


def test_every_word_must_match(client, course, student):
    factories.PostFactory(course=course, author=student, title="Iron curtain")
    factories.PostFactory(course=course, author=student, title="Iron lung")
    assert result_titles(search(client, "iron curtain")) == ["Iron curtain"]


def test_title_match_ranks_above_body_only_match(client, course, student):
    factories.PostFactory(course=course, author=student, title="Cranes are flying", body="A film.")
    factories.PostFactory(  # newer, and says "cranes" more often, but only in its body
        course=course, author=student, title="Cinema", body="Cranes, cranes and cranes again."
    )
    assert result_titles(search(client, "cranes")) == ["Cranes are flying", "Cinema"]


def test_results_show_a_snippet_with_the_match_marked_and_the_rest_escaped(client, course, student):
    factories.PostFactory(
        course=course,
        author=student,
        title="Tags",
        body="Some words first. Then `<b>` & <script>alert(1)</script> the samizdat copies.",
    )
    html = search(client, "samizdat").content.decode()
    snippet = re.search(r'<p class="search-result__snippet[^"]*">(.*?)</p>', html, re.S).group(1)
    assert re.search(r"<mark>samizdat</mark>", snippet, re.I)
    assert "<script" not in snippet and "<b>" not in snippet
    assert set(re.findall(r"</?(\w+)", snippet)) == {"mark"}


def test_results_are_paginated_and_pages_keep_the_query(client, course, student):
    for n in range(12):
        factories.PostFactory(course=course, author=student, title=f"Sputnik {n}")
    response = search(client, "sputnik", course=course.slug)
    assert len(response.context["page_obj"].object_list) == 10
    assert "12 posts for “sputnik”" in response.content.decode()
    assert f"?q=sputnik&amp;course={course.slug}&amp;page=2" in response.content.decode()
    page2 = search(client, "sputnik", course=course.slug, page=2)
    assert len(page2.context["page_obj"].object_list) == 2


def test_only_the_newest_matches_are_ranked_and_shown(client, course, student, monkeypatch):
    """A common word matches thousands of posts; ranking them all cost more than the
    page, so search ranks the newest SEARCH_RANKED matches, best first, and says so."""
    monkeypatch.setattr("blog.search.SEARCH_RANKED", 3)
    monkeypatch.setattr("blog.views.reading.SEARCH_RANKED", 3)
    now = timezone.now()
    posts = [("Oldest", "About cranes."), ("Cranes in the title", "Flying.")]
    posts += [("Newer", "About cranes."), ("Newest", "About cranes.")]
    for age, (title, body) in enumerate(reversed(posts)):
        factories.PostFactory(
            course=course,
            author=student,
            title=title,
            body=body,
            published_at=now - timedelta(days=age),
        )
    response = search(client, "cranes")
    assert result_titles(response) == ["Cranes in the title", "Newest", "Newer"]
    assert "The 3 newest posts for “cranes”, best first" in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_search_page_query_count_is_constant(
    client, course, student, count, django_assert_max_num_queries
):
    topics = [factories.TopicFactory(course=course) for _ in range(3)]
    for n in range(count):
        post = factories.PostFactory(course=course, author=student, title=f"Gagarin {n}")
        post.topics.set(topics[: n % 4])
    client.force_login(student)
    with django_assert_max_num_queries(7):
        response = search(client, "gagarin")
    assert len(response.context["page_obj"].object_list) == min(count, 10)


def test_header_and_course_page_have_search_forms(client, course):
    html = client.get(course.get_absolute_url()).content.decode()
    assert f'action="{reverse("blog:search")}" role="search"' in html
    assert '<label class="visually-hidden" for="site-search-q">Search posts</label>' in html
    assert f'action="{reverse("blog:course_search", args=[course.slug])}"' in html
    assert '<label class="h5 form-label d-block" for="course-search-q">' in html


def test_a_post_titled_like_a_course_page_gets_another_slug(client, course, student):
    post = factories.PostFactory(course=course, author=student, title="Search", slug="")
    assert post.slug == "search-2"
    assert client.get(post.get_absolute_url()).status_code == 200


# --- The queryset and helpers, on any database -----------------------------------


def test_search_terms_are_the_words_of_the_query():
    assert search_terms(' "Iron  curtain"!! -film iron ') == ["iron", "curtain", "film"]
    assert search_terms("?!, ...") == []


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ('"iron curtain"', True),
        ("cold-war", True),
        ("o'brien", True),
        ("iron curtain", False),
        ("samizdat -film", False),
        ("thaw or spring", False),
    ],
)
def test_a_phrase_is_a_quoted_group_or_a_word_with_punctuation_inside(text, phrase):
    assert has_phrase(text) is phrase


@pytest.mark.parametrize(
    "tsquery, pairs",
    [
        ("'iron' <-> 'curtain'", ["iron curtain"]),
        (
            "'cold-war' <-> 'cold' <-> 'war' <-> 'berlin'",
            ["cold-war cold", "cold war", "war berlin"],
        ),
        ("'iron' <-> 'curtain' & !'film' & 'thaw'", ["iron curtain"]),
        ("'fall' <3> 'wall' & 'o''brien' <-> 'x'", ["o'brien x"]),  # <3>: stop words between
        ("'a\\\\b' <-> 'c'", ["a\\b c"]),
        # Nothing certain: an OR at the top, a negated or bracketed phrase, a prefix.
        ("'iron' <-> 'curtain' | 'berlin' <-> 'wall'", []),
        ("!( 'iron' <-> 'curtain' ) & 'thaw'", []),
        ("'iron' <-> ( 'curtain' | 'wall' )", []),
        ("'iron':* <-> 'curtain'", []),
        ("'thaw' & 'poetry'", []),
        ("", []),
    ],
)
def test_a_phrase_needs_the_pairs_of_its_adjacent_words(tsquery, pairs):
    assert phrase_pairs(tsquery) == pairs


def test_fallback_highlight_escapes_text_and_marks_every_match():
    snippet = highlight("a < b & the Thaw, thawing, rethaw", ["thaw"])
    assert snippet == "a &lt; b &amp; the <mark>Thaw</mark>, <mark>thaw</mark>ing, rethaw"


def test_fallback_highlight_shows_the_words_around_the_first_match():
    text = " ".join(f"w{n}" for n in range(100)) + " target " + " ".join("x" * 50)
    snippet = highlight(text, ["target"], words=12)
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>target</mark>" in snippet


def test_simple_fallback_search_works_on_any_database(course, student):
    topic = factories.TopicFactory(course=course, name="Jazz")
    factories.PostFactory(course=course, author=student, title="Body", body="Jazz on the radio.")
    factories.PostFactory(course=course, author=student, title="Jazz age")
    factories.PostFactory(course=course, author=student, title="Topic only").topics.add(topic)
    factories.PostFactory(course=course, author=student, title="Nothing here")
    found = simple_search(Post.objects.all(), ["jazz"])
    titles = [post.title for post in found]
    assert titles[0] == "Jazz age" and sorted(titles) == ["Body", "Jazz age", "Topic only"]
    assert "<mark>Jazz</mark>" in found.get(title="Body").search_snippet("jazz")


def test_search_with_no_words_finds_nothing(post):
    assert not Post.objects.search("...").exists()


def test_search_picks_full_text_on_postgresql_and_the_fallback_elsewhere(course, student):
    factories.PostFactory(course=course, author=student, title="Thawing", body="Ice.")
    post = Post.objects.visible_to(AnonymousUser()).search("thaw").get()
    assert hasattr(post, "search_headline") == (connection.vendor == "postgresql")


# --- PostgreSQL full-text search ---------------------------------------------------


@postgres_only
def test_full_text_search_stems_words_and_ranks_title_above_body_and_topics(course, student):
    topic = factories.TopicFactory(course=course, name="Reading circles")
    factories.PostFactory(course=course, author=student, title="Topic", body="Nothing.").topics.add(
        topic
    )
    factories.PostFactory(
        course=course, author=student, title="Body", body="She was reading poems."
    )
    factories.PostFactory(
        course=course, author=student, title="Readings in stadiums", body="Crowds."
    )
    found = Post.objects.search("read")
    assert [post.title for post in found] == ["Readings in stadiums", "Body", "Topic"]
    ranked = ranked_matches(Post.objects.all(), "read")
    assert [pk for pk, _ in ranked] == [post.pk for post in found]
    ranks = [rank for _, rank in ranked]
    assert ranks[0] > ranks[1] > ranks[2]


@postgres_only
def test_full_text_search_understands_phrases_and_exclusions(course, student):
    factories.PostFactory(course=course, author=student, title="The iron curtain falls")
    factories.PostFactory(course=course, author=student, title="Curtain of iron", body="Film.")
    assert [p.title for p in Post.objects.search('"iron curtain"')] == ["The iron curtain falls"]
    assert [p.title for p in Post.objects.search("iron -film")] == ["The iron curtain falls"]


@postgres_only
def test_a_rare_phrase_is_not_expected_wherever_its_words_are(course, student):
    """PostgreSQL estimates a phrase's matches as those of its words anywhere in a post:
    with "iron" and "curtain" in every post it expected "iron curtain" in all of them,
    walked down published_at to stop after 200, and read every post to find the one. The
    phrase is planned without its value: few matches are expected, which the planner
    reads from the GIN index (bench/search_bench.py: 10,000 posts)."""
    now = timezone.now()
    Post.objects.bulk_create(
        factories.PostFactory.build(
            course=course,
            author=student,
            slug=f"iron-{n}",
            title=f"Curtain of iron {n}",
            published_at=now - timedelta(hours=n),
        )
        for n in range(500)
    )
    Post.objects.refresh_search_vectors()
    factories.PostFactory(course=course, author=student, title="The iron curtain falls")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE blog_post")
    plan = newest_matches(Post.objects.all(), '"iron curtain"').explain()
    expected_rows = int(re.search(r"rows=(\d+)", plan)[1])
    assert expected_rows < 50  # planned from its words: 200 (the LIMIT), a walk
    assert [p.title for p in Post.objects.search('"iron curtain"')] == ["The iron curtain falls"]


@postgres_only
def test_a_phrase_comes_from_the_index_of_adjacent_words(course, student):
    """The document's GIN index knows which words a post holds, not where: a phrase of
    two common words made PostgreSQL read every post holding both (90 ms at 100,000
    posts). The posts with the words side by side come from migration 0018's index."""
    for title, body in [
        ("The iron curtain falls", "Berlin."),
        ("Curtain of iron", "Iron and curtain, apart."),
        ("Behind the iron", "curtain: the title's last word, the body's first."),
        ("Cold-war Berlin", "A divided city."),
        ("Berlin in the cold", "A war."),
    ]:
        factories.PostFactory(course=course, author=student, title=title, body=body)
    titles = lambda text: sorted(p.title for p in Post.objects.search(text))  # noqa: E731
    assert titles('"iron curtain"') == ["Behind the iron", "The iron curtain falls"]
    assert titles('"iron curtain" -berlin') == ["Behind the iron"]
    assert titles('"cold-war berlin"') == ["Cold-war Berlin"]
    assert titles('"iron curtain" or "cold war"') == [  # no certain pair: the document
        "Behind the iron",
        "Cold-war Berlin",
        "The iron curtain falls",
    ]
    plan = newest_matches(Post.objects.all(), '"iron curtain"').explain()
    assert "blog_search_pairs(" in plan
    assert "blog_post_search_vector_gin" not in plan


@postgres_only
def test_the_document_follows_a_posts_topics_however_they_change(course, student):
    """Topic names are part of the stored document (weight C): the database rewrites
    it when topics are added, removed, renamed or deleted, whoever does it (the
    editor, the admin, an import's bulk insert), and a post saved later keeps them."""
    poetry = factories.TopicFactory(course=course, name="Poetry")
    post = factories.PostFactory(course=course, author=student, title="Yevtushenko")
    other = factories.PostFactory(course=course, author=student, title="Voznesensky")

    def found(text):
        return sorted(p.title for p in Post.objects.search(text))

    assert found("poetry") == []
    post.topics.add(poetry)
    assert found("poetry") == ["Yevtushenko"]
    poetry.posts.add(other)  # from the topic's side
    assert found("poetry") == ["Voznesensky", "Yevtushenko"]
    post.title = "Yevtushenko reads"
    post.save()  # the save writes the document: the topic stays in it
    assert found("poetry") == ["Voznesensky", "Yevtushenko reads"]
    post.topics.remove(poetry)
    assert found("poetry") == ["Voznesensky"]
    poetry.name = "Verse"
    poetry.save()
    assert found("poetry") == [] and found("verse") == ["Voznesensky"]
    Post.topics.through.objects.bulk_create(  # as an import does
        [Post.topics.through(post_id=post.pk, topic_id=poetry.pk)]
    )
    assert found("verse") == ["Voznesensky", "Yevtushenko reads"]
    poetry.delete()
    assert found("verse") == []
    assert found('"yevtushenko reads"') == ["Yevtushenko reads"]


@postgres_only
def test_the_ranked_statement_holds_the_words_quoted(client, course, student):
    """The words are in the ranked-ids statement's text (quoted by psycopg), not a
    parameter: a prepared statement's generic plan, made for any words, read all of a
    common word's matches from the GIN index (370 ms for "thaw" at 100,000 posts)."""
    factories.PostFactory(course=course, author=student, title="O'Brien at 100%", body="a\\b")
    with CaptureQueriesContext(connection) as queries:
        response = search(client, "o'brien 100% %s")
    assert result_titles(response) == ["O'Brien at 100%"]
    ranked = next(q["sql"] for q in queries.captured_queries if "ts_rank(" in q["sql"])
    assert "websearch_to_tsquery('english'::regconfig, 'o''brien 100% %s')" in ranked
    assert result_titles(search(client, '"o\'brien" a\\b')) == ["O'Brien at 100%"]


@postgres_only
def test_full_text_headline_is_safe_html(course, student):
    factories.PostFactory(
        course=course,
        author=student,
        body='Before <img src=x onerror="alert(1)"> <mark>fake</mark> & the censors <b>came</b>.',
    )
    snippet = Post.objects.search("censor").get().search_snippet("censor")
    assert "<mark>censors</mark>" in snippet
    assert "<img" not in snippet and "onerror" not in snippet and "<b>" not in snippet
    assert "&amp;" in snippet


@postgres_only
def test_full_text_search_uses_the_gin_index(course, student):
    for n in range(3):
        factories.PostFactory(course=course, author=student, title=f"Khrushchev {n}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["blog_post_search_vector_gin"]
        )
        assert "gin" in cursor.fetchone()[0]
        # Without a sequential scan or a walk down published_at (the plan for common
        # words), what is left is the GIN index.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
    try:
        plan = newest_matches(Post.objects.all(), "khrushchev").explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")
            cursor.execute("SET enable_indexscan = on")
    assert "blog_post_search_vector_gin" in plan


@postgres_only
def test_full_text_results_come_by_their_ranked_ids_as_one_parameter(client, course, student):
    """The ranked ids reach the page's queries as one array, not 200 placeholders that
    Django and psycopg build and parse for every query, and only the shown page's ids:
    the database reads, joins and sorts those rows only. They are read without their
    texts and search document (the snippet is the database's headline)."""
    posts = [
        factories.PostFactory(course=course, author=student, title=f"Sputnik {n}")
        for n in range(12)
    ]
    with CaptureQueriesContext(connection) as queries:
        response = search(client, "sputnik", page=2)
    assert [post.title for post in response.context["page_obj"].object_list] == [
        post.title for post in posts[1::-1]
    ]  # the two oldest, on the second page
    by_ids = [q["sql"] for q in queries.captured_queries if "= ANY(" in q["sql"]]
    assert len(by_ids) == 1  # the page; the count is the number of ranked ids
    assert not any("COUNT(" in q["sql"] for q in queries.captured_queries)
    page_sql = by_ids[0]
    assert "ts_headline" in page_sql
    shown = {str(post.pk) for post in posts[:2]}
    assert set(re.findall(r"ANY\('\{([\d,]+)\}'", page_sql)[0].split(",")) == shown
    assert '"blog_post"."body_html"' not in page_sql
    assert '"blog_post"."search_vector"' not in page_sql


@pytest.mark.parametrize("q", ["thaw\x00poetry", "\x00", '"iron\x00curtain"'])
def test_a_nul_byte_in_the_words_is_dropped_not_a_server_error(client, course, student, q):
    """PostgreSQL's text can't hold NUL: the words lose it before they are quoted."""
    factories.PostFactory(course=course, author=student, title="Thaw poetry", body="iron curtain")
    response = search(client, q)
    assert response.status_code == 200
