"""On a phone the course page reads top to bottom: the course's tools (search, the
instructor's tools with the moderation link, the assignments) come before the posts,
the rest after them (issue 27, item 14). main.css floats them into a right-hand column
from 992 px; the source order is what a phone shows and a keyboard follows."""

from tests import factories


def test_tools_come_before_the_posts_and_the_rest_after(client, course, instructor):
    post = factories.PostFactory(course=course, title="The newest post")
    factories.CommentFactory(post=post, status="pending")
    factories.TopicFactory(course=course, name="Week 4")
    client.force_login(instructor)
    html = client.get(course.get_absolute_url()).content.decode()
    posts = html.index("The newest post")
    for tool in ("Search this course", "Instructor tools", "1 pending", "Prompts and due dates"):
        assert html.index(tool) < posts, tool
    for rest in ('<h2 class="h5">Instructors</h2>', '<h2 class="h5">Topics</h2>'):
        assert html.index(rest) > posts, rest
    assert html.index("<h1>") < html.index("Search this course")
    assert '<aside class="split-layout__side" aria-label="Course tools">' in html
    assert '<aside class="split-layout__side" aria-label="About this course">' in html


def test_a_visitor_finds_the_join_form_before_the_posts(client, course, outsider):
    factories.PostFactory(course=course, title="The newest post")
    client.force_login(outsider)
    html = client.get(course.get_absolute_url()).content.decode()
    assert html.index("Join this course") < html.index("The newest post")
