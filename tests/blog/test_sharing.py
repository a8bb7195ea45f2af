"""Sharing: Open Graph and Twitter card tags, canonical links, sitemap.xml, robots.txt."""

import re
import xml.etree.ElementTree as ET

from django.core.files.storage import default_storage

from tests import factories

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def meta(html, key):
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return match and match.group(1)


def test_post_page_has_open_graph_twitter_and_canonical_tags(client, course, student):
    renditions = [
        {"width": 400, "height": 225, "name": "renditions/posts/p-400.webp"},
        {"width": 1200, "height": 675, "name": "renditions/posts/p-1200.webp"},
    ]
    post = factories.PostFactory(
        course=course,
        author=student,
        title="Babi Yar & after",
        excerpt="Yevtushenko's poem, read to a stadium.",
        image_renditions=renditions,
        image_alt="A crowd",
    )
    html = client.get(post.get_absolute_url()).content.decode()
    url = f"http://testserver{post.get_absolute_url()}"
    image = f"http://testserver{default_storage.url(renditions[1]['name'])}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "og:title") == "Babi Yar &amp; after"
    assert meta(html, "og:description") == "Yevtushenko&#x27;s poem, read to a stadium."
    assert meta(html, "og:url") == url
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:image") == image
    assert meta(html, "og:image:width") == "1200"
    assert meta(html, "og:image:alt") == "A crowd"
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "twitter:image") == image
    assert meta(html, "twitter:title") == "Babi Yar &amp; after"


def test_post_without_image_gets_a_summary_card_from_its_opening(client, post):
    html = client.get(post.get_absolute_url()).content.decode()
    assert meta(html, "og:image") is None
    assert meta(html, "twitter:card") == "summary"
    assert meta(html, "og:description") == "Some Markdown text with a quote: Quoted words."


def test_home_page_describes_the_site_with_its_tagline(client, db, settings):
    settings.SITE_TAGLINE = "Course blogs & discussion."
    html = client.get("/").content.decode()
    assert meta(html, "description") == "Course blogs &amp; discussion."


def test_course_page_description_is_its_description_on_one_short_line(client, course):
    course.description = "A survey of <Soviet> culture:\n\n" + "poetry, film and song. " * 20
    course.save()
    description = meta(client.get(course.get_absolute_url()).content.decode(), "description")
    assert description.startswith("A survey of &lt;Soviet&gt; culture: poetry, film and song.")
    assert "\n" not in description and description.endswith("…")
    assert len(description.replace("&lt;", "<").replace("&gt;", ">")) == 160


def test_course_without_a_description_is_described_by_its_title(client, course):
    course.description, course.term = "", "Spring 2027"
    course.save()
    html = client.get(course.get_absolute_url()).content.decode()
    assert meta(html, "description") == "Posts and discussion from History 101 (Spring 2027)."


def test_post_page_description_is_its_excerpt(client, post):
    post.excerpt = "What the post says, briefly."
    post.save()
    html = client.get(post.get_absolute_url()).content.decode()
    assert meta(html, "description") == "What the post says, briefly."


def test_drafts_are_not_indexed(client, course, student):
    draft = factories.PostFactory(course=course, author=student, status="draft")
    client.force_login(student)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert '<meta name="robots" content="noindex">' in page


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    return [url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")]


def test_sitemap_lists_public_courses_and_their_published_posts_only(
    client, course, student, private_course
):
    public = factories.PostFactory(course=course, author=student)
    draft = factories.PostFactory(course=course, author=student, status="draft")
    secret = factories.PostFactory(course=private_course)
    locations = sitemap_locations(client)
    assert f"http://testserver{course.get_absolute_url()}" in locations
    assert f"http://testserver{public.get_absolute_url()}" in locations
    assert f"http://testserver{draft.get_absolute_url()}" not in locations
    assert f"http://testserver{secret.get_absolute_url()}" not in locations
    assert f"http://testserver{private_course.get_absolute_url()}" not in locations
    assert len(locations) == 2


def test_sitemap_query_count_is_constant(client, course, student, django_assert_max_num_queries):
    for _ in range(20):
        factories.PostFactory(course=course, author=student)
    with django_assert_max_num_queries(6):
        assert len(sitemap_locations(client)) == 21


def test_robots_txt_allows_all_but_admin_and_accounts_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[:4] == ["User-agent: *", "Allow: /", "Disallow: /admin/", "Disallow: /accounts/"]
    assert "Sitemap: http://testserver/sitemap.xml" in lines
