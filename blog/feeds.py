"""RSS 2.0 and Atom feeds for the site, each public course, topic and author.

Feeds are read by anonymous readers, so they hold exactly what an anonymous reader
may see (``visible_to(AnonymousUser())``): a members-only course has no feed, even
for its members, and drafts never appear. Each item carries the post's full
sanitised HTML and its featured image as an enclosure.

A feed instance serves many requests at once, so nothing about a request is kept
on it: ``get_object()`` returns a ``FeedScope`` that carries the request along.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure

from accounts.names import shown_name
from blog import media
from blog.embeds import as_links
from blog.models import Course, Post

FEED_ITEMS = 20
IMAGE_MIME_TYPE = "image/webp"
_RELATIVE_URL = re.compile(r'(\s(?:src|href)=")(/[^/"][^"]*|/)"')


@dataclass
class FeedScope:
    request: object
    title: str
    description: str
    page_url: str
    posts: object  # a Post queryset

    def absolute(self, url):
        return self.request.build_absolute_uri(url)


def readable_posts():
    return Post.objects.visible_to(AnonymousUser())


def public_course_or_404(course_slug):
    return get_object_or_404(Course.objects.visible_to(AnonymousUser()), slug=course_slug)


def absolute_links(html, scope):
    """Feed readers show posts away from the site: make its relative links absolute."""
    return _RELATIVE_URL.sub(lambda m: f'{m.group(1)}{scope.absolute(m.group(2))}"', html)


class FullContentAtom1Feed(Atom1Feed):
    """Atom with the post itself in <content>, beside its excerpt in <summary>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class PostFeed(Feed):
    """RSS 2.0; subclasses say which posts (``get_object`` returns a FeedScope)."""

    def title(self, scope):
        return scope.title

    def description(self, scope):
        return scope.description

    subtitle = description

    def link(self, scope):
        return scope.absolute(scope.page_url)

    def feed_url(self, scope):
        return scope.absolute(scope.request.path)

    def items(self, scope):
        posts = list(
            scope.posts.select_related("author", "course")
            .prefetch_related("topics")
            .newest_first()[:FEED_ITEMS]
        )
        for post in posts:
            post.feed_url = scope.absolute(post.get_absolute_url())
            post.feed_html = absolute_links(as_links(post.body_html), scope)
            image = post.large_image
            post.feed_image = image and Enclosure(
                scope.absolute(media.image_url(image["name"], post.course)),
                str(image["bytes"]),  # recorded when the rendition was saved
                IMAGE_MIME_TYPE,
            )
        return posts

    def item_title(self, post):
        return post.title

    def item_link(self, post):
        return post.feed_url

    def item_description(self, post):
        return post.feed_html

    def item_author_name(self, post):
        """Feeds are public: the author's public name (accounts.names)."""
        return shown_name(post.author, post.course, None).text

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.updated

    def item_categories(self, post):
        return [topic.name for topic in post.topics.all()]

    def item_enclosures(self, post):
        return [post.feed_image] if post.feed_image else []


class AtomMixin:
    feed_type = FullContentAtom1Feed

    def item_description(self, post):
        return post.summary

    def item_extra_kwargs(self, post):
        return {"content": post.feed_html}


class SiteFeed(PostFeed):
    def get_object(self, request):
        return FeedScope(
            request,
            title=settings.SITE_NAME,
            description=f"New posts from the open courses on {settings.SITE_NAME}.",
            page_url=reverse("home"),
            posts=readable_posts(),
        )


class CourseFeed(PostFeed):
    def get_object(self, request, course_slug):
        course = public_course_or_404(course_slug)
        return FeedScope(
            request,
            title=course.title,
            description=f"New posts in {course.title}.",
            page_url=course.get_absolute_url(),
            posts=readable_posts().for_course(course),
        )


class TopicFeed(PostFeed):
    def get_object(self, request, course_slug, topic_slug):
        course = public_course_or_404(course_slug)
        topic = get_object_or_404(course.topics, slug=topic_slug)
        topic.course = course
        return FeedScope(
            request,
            title=f"{topic.name} · {course.title}",
            description=f"New posts on {topic.name} in {course.title}.",
            page_url=topic.get_absolute_url(),
            posts=readable_posts().for_course(course).filter(topics=topic),
        )


class AuthorFeed(PostFeed):
    def get_object(self, request, course_slug, username):
        course = public_course_or_404(course_slug)
        author = get_object_or_404(get_user_model(), username=username)
        if shown_name(author, course, None).is_public:
            raise Http404("No such author.")  # known in public under another name
        return FeedScope(
            request,
            title=f"{author.name} · {course.title}",
            description=f"New posts by {author.name} in {course.title}.",
            page_url=reverse("blog:author_posts", args=[course.slug, author.username]),
            posts=readable_posts().for_course(course).by(author),
        )


class SiteAtomFeed(AtomMixin, SiteFeed):
    pass


class CourseAtomFeed(AtomMixin, CourseFeed):
    pass


class TopicAtomFeed(AtomMixin, TopicFeed):
    pass


class AuthorAtomFeed(AtomMixin, AuthorFeed):
    pass
