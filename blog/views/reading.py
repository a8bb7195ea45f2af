"""blog's reading pages: home, a course, a topic, an author, a post, search, the
monthly archive, the sitemap and robots.txt (home, course and post come from the page
cache when they can: blog/pages.py)."""

from datetime import date
from types import SimpleNamespace
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps.views import sitemap as sitemap_xml
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from accounts.names import shown_name
from blog import announcements, pages, robots
from blog.extensions import page_parts
from blog.forms import JoinCourseForm
from blog.models import Course, Post
from blog.search import SEARCH_RANKED, clean_query, search_terms
from blog.shortcuts import (
    paginate,
    readable_course_or_404,
)
from blog.sitemaps import sitemaps_for
from blog.views.likes import post_likes_context
from config.hooks import (
    COURSE_HEADER,
    COURSE_INSTRUCTOR_LINKS,
    COURSE_SIDEBAR,
    HOME,
    POST_AFTER_BODY,
    POST_BANNERS,
    POST_BODY_END,
    SEARCH_RESULTS,
)
from pagecache.decorators import cached_page

HOME_POSTS = 6
HOME_RECENT = 24  # the newest open posts home chooses from: awarded ones first


@cached_page(pages.HOME)
def home(request):
    """Signed in: your courses and what they are writing. Everyone: recent posts of open
    courses, those other apps rank higher (awarded ones) first (a member sees those of
    courses other than their own, which the feed already shows). Both card lists share
    their prefetches. From the page cache when it can (blog/pages.py); the reader's
    panels (HOME parts) are per-viewer holes."""
    user = request.user
    courses = pages.HOME.found(request)
    my_courses = [course for course in courses if course.viewer_role]
    published = Post.objects.visible_to(user).published().with_cards().newest_first()
    lookups = published._prefetch_related_lookups  # run once over both lists, below
    published = published.prefetch_related(None)
    open_posts = Post.objects.visible_to(AnonymousUser()).exclude(
        course__in=[c.pk for c in my_courses]
    )
    recent = open_posts.newest_first().values("pk")[:HOME_RECENT]
    context = {
        "public_posts": list(published.filter(pk__in=recent).ranked_newest_first()[:HOME_POSTS]),
        "public_courses": [  # other open courses: a member's own are listed as theirs
            c for c in courses if c.visibility == Course.Visibility.PUBLIC and not c.viewer_role
        ][:12],
    }
    if user.is_authenticated:
        context.update(page_parts(request, courses, HOME))
        context.update(announcements.for_home(request, courses))
        context["my_courses"] = my_courses
        context["my_feed"] = list(published.filter(course__in=[c.pk for c in my_courses])[:6])
    prefetch_related_objects(context["public_posts"] + context.get("my_feed", []), *lookups)
    return render(request, "blog/home.html", context)


@cached_page(pages.COURSE)
def course_detail(request, course_slug):
    """From the page cache when it can (blog/pages.py)."""
    course = pages.COURSE.found(request, course_slug=course_slug)
    published = Post.objects.visible_to(request.user).published().for_course(course)
    by_month = list(published.count_by_month(dated_only=False))  # also counts the pages
    posts = published.with_cards().newest_first()
    instructors = course.instructors()
    response = render(
        request,
        "blog/course_detail.html",
        {
            "course": course,
            "page_obj": paginate(request, posts, count=sum(m["count"] for m in by_month)),
            "instructors": instructors,
            "topics": course.topics.all(),
            "months": [m for m in by_month if m["month"] is not None],
            "join_form": JoinCourseForm(initial={"code": ""}),
            **announcements.for_course(request, course),
            **page_parts(request, course, COURSE_HEADER, COURSE_SIDEBAR, COURSE_INSTRUCTOR_LINKS),
        },
    )
    return robots.with_header(request, response)  # kept with the cached copy


def topic_detail(request, course_slug, topic_slug):
    course = readable_course_or_404(request, course_slug)
    topic = get_object_or_404(course.topics, slug=topic_slug)
    posts = Post.objects.visible_to(request.user).published().filter(topics=topic)
    posts = posts.with_cards().newest_first()
    return render(
        request,
        "blog/topic_detail.html",
        {"course": course, "topic": topic, "page_obj": paginate(request, posts)},
    )


def author_posts(request, course_slug, username):
    course = readable_course_or_404(request, course_slug)
    author = get_object_or_404(get_user_model(), username=username)
    if shown_name(author, course, request.user).is_public:
        raise Http404("No such author.")  # known here under a public name, not this one
    posts = Post.objects.visible_to(request.user).published().for_course(course).by(author)
    posts = posts.with_cards().newest_first()
    return render(
        request,
        "blog/author_posts.html",
        {"course": course, "author": author, "page_obj": paginate(request, posts)},
    )


@login_required
def my_posts(request):
    posts = Post.objects.by(request.user).with_cards().with_viewer_role(request.user)
    page = paginate(request, posts.order_by("-updated"), 20)
    for post in page.object_list:  # the cards' names ask role_of (accounts.names)
        post.course.remember_role(request.user, post.viewer_role)
    return render(request, "blog/my_posts.html", {"page_obj": page})


@cached_page(pages.POST)
def post_detail(request, course_slug, post_slug):
    """The post page; from the page cache when it can (blog/pages.py): for signed-in
    readers one copy per page version and standing in the course, the reader's own
    parts filled in."""
    post = pages.POST.found(request, course_slug=course_slug, post_slug=post_slug)
    prefetch_related_objects([post], "topics")
    context = {
        "course": post.course,
        "post": post,
        **post_likes_context(request, post),
        **page_parts(request, post, POST_BANNERS, POST_BODY_END, POST_AFTER_BODY),
    }
    context["page_parts"].update(page_parts(request, post.course, COURSE_HEADER)["page_parts"])
    return robots.with_header(request, render(request, "blog/post_detail.html", context))


def search(request, course_slug=None):
    """Site-wide, or in one course (/c/<slug>/search/ or ?course=<slug>)."""
    course_slug = course_slug or request.GET.get("course")
    course = readable_course_or_404(request, course_slug) if course_slug else None
    query = clean_query(request.GET.get("q"))
    posts = Post.objects.visible_to(request.user).published()
    if course:
        posts = posts.for_course(course)
    has_words = bool(search_terms(query))
    page = None
    if has_words:
        page = search_results_page(request, posts.search(query), query)
        for post in page.object_list:  # the results' names ask role_of (accounts.names)
            post.course.remember_role(request.user, post.viewer_role)
    return render(
        request,
        "blog/post_search.html",
        {
            "course": course,
            "query": query,
            "has_words": has_words,
            "page_obj": page,
            # Only the newest SEARCH_RANKED matches are ranked and shown: say so.
            "capped": page is not None and page.paginator.count >= SEARCH_RANKED,
            "query_string": urlencode({"q": query, **({"course": course.slug} if course else {})}),
            # Other apps' matches (coursepages' pages), above the posts.
            **page_parts(request, SimpleNamespace(course=course, query=query), SEARCH_RESULTS),
        },
    )


def search_results_page(request, found, query):
    """The page of results ?page= asks for. On PostgreSQL the ranked ids are known
    (``found.ranked_ids``): the page is cut from them and only its rows are read, with
    their headlines; elsewhere the queryset is paged as usual."""
    ranked = getattr(found, "ranked_ids", None)
    if ranked is None:
        return paginate(request, found.with_results().with_viewer_role(request.user))
    page = paginate(request, ranked)  # a list: its length is the count, no COUNT query
    if page.object_list:
        rows = Post.objects.ranked_rows(page.object_list, query)
        page.object_list = list(rows.with_results().with_viewer_role(request.user))
    return page


def course_archive(request, course_slug, year, month):
    """A course's posts published in one month, like WordPress's monthly archives."""
    course = readable_course_or_404(request, course_slug)
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        raise Http404("No such month.")
    published = Post.objects.visible_to(request.user).published().for_course(course)
    posts = published.for_month(year, month).with_cards().newest_first()
    return render(
        request,
        "blog/post_archive_month.html",
        {
            "course": course,
            "month": date(year, month, 1),
            "page_obj": paginate(request, posts),
            "months": published.count_by_month(),
        },
    )


def sitemap(request):
    return sitemap_xml(request, sitemaps_for(request))


def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("blog:sitemap"))
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain")
