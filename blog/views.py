import logging
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps.views import sitemap as sitemap_xml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, prefetch_related_objects
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.images import clean_image_upload
from blog import media, pagecache, pending, services
from blog.extensions import apply_body_filters, page_parts, with_post_page_loaders
from blog.forms import (
    AddMembersForm,
    CourseForm,
    JoinCourseForm,
    MembershipRoleForm,
    ParticipationForm,
    PostForm,
    PreviewForm,
)
from blog.likes import like_response, likes_summary
from blog.models import Course, Post, PostLike, Role
from blog.participation import participation_table, write_csv
from blog.rendering import render_post_markdown
from blog.search import SEARCH_RANKED, clean_query, search_terms
from blog.shortcuts import (
    denied,
    managed_course_or_403,
    paginate,
    readable_course_or_404,
    readable_post_or_404,
)
from blog.sitemaps import sitemaps_for
from config.db import PreparedQuery
from config.hooks import (
    COURSE_INSTRUCTOR_LINKS,
    COURSE_SIDEBAR,
    EDITOR_SECTIONS,
    HOME,
    MANAGE_TABS,
    POST_AFTER_BODY,
    POST_BANNERS,
    POST_BODY_END,
)
from config.storage import StorageUnavailable

logger = logging.getLogger(__name__)


HOME_POSTS = 6
HOME_RECENT = 24  # the newest open posts home chooses from: awarded ones first


def home_for_reader(request):
    """The courses home lists for this reader (theirs and the open ones, with their
    role in each: one query), with what their member page is cached under
    (pagecache.member_view): one copy per set of listed courses and roles."""
    user = request.user
    listed = Q(visibility=Course.Visibility.PUBLIC)
    if user.is_authenticated:
        listed |= Q(memberships__user=user)
    courses = list(Course.objects.filter(listed).with_viewer_role(user).distinct())
    versions = (sum(course.pages_version for course in courses),)
    return courses, versions, tuple(sorted((c.pk, c.viewer_role or "") for c in courses))


@pagecache.anonymous_page(pagecache.site_versions)
@pagecache.member_view(home_for_reader)
def home(request, courses):
    """Signed in: your courses and what they are writing. Everyone: recent posts of open
    courses, those other apps rank higher (awarded ones) first (a member sees those of
    courses other than their own, which the feed already shows). Both card lists share
    their prefetches. Signed in, the page comes from the member page cache when it can;
    the reader's panels (HOME parts) are per-viewer holes."""
    user = request.user
    my_courses = [course for course in courses if course.viewer_role]
    published = Post.objects.published().with_cards().newest_first()
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
        context["my_courses"] = my_courses
        context["my_feed"] = list(published.filter(course__in=[c.pk for c in my_courses])[:6])
    prefetch_related_objects(context["public_posts"] + context.get("my_feed", []), *lookups)
    return render(request, "blog/home.html", context)


@login_required
def course_create(request):
    if not Course.can_create(request.user):
        raise PermissionDenied("Only instructors can create courses.")
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = services.create_course(instructor=request.user, **form.cleaned_data)
        messages.success(request, f"“{course}” is ready. Share its join code: {course.join_code}")
        return redirect(course)
    return render(request, "blog/course_form.html", {"form": form})


@login_required
def course_join(request):
    """The "Join a course" page, and the join form on a course page."""
    form = JoinCourseForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        _, created = services.join_course(course=form.course, user=request.user)
        if created:
            messages.success(request, f"Welcome to {form.course}! You can now write posts here.")
        else:
            messages.info(request, f"You are already a member of {form.course}.")
        return redirect(form.course)
    return render(request, "blog/course_join.html", {"form": form})


@require_POST
@login_required
def course_join_code_regenerate(request, course_slug):
    course = readable_course_or_404(request, course_slug)
    if not course.can_manage(request.user):
        raise PermissionDenied
    course.regenerate_join_code()
    messages.success(request, f"New join code: {course.join_code}. The old one no longer works.")
    target = request.POST.get("next_anchor", "")  # back to the page that asked, if ours
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = course.get_absolute_url()
    return redirect(target)


def course_for_reader(request, course_slug):
    """The course, with what its member page is cached under (pagecache.member_view)."""
    course = readable_course_or_404(request, course_slug)
    return course, (course.pages_version,), (course.role_of(request.user),)


@pagecache.anonymous_page(pagecache.course_versions)
@pagecache.member_view(course_for_reader)
def course_detail(request, course):
    """Signed in, from the member page cache when it can (one copy per standing)."""
    published = Post.objects.published().for_course(course)
    by_month = list(published.count_by_month(dated_only=False))  # also counts the pages
    posts = published.with_cards().newest_first()
    instructors = course.instructors()
    return render(
        request,
        "blog/course_detail.html",
        {
            "course": course,
            "page_obj": paginate(request, posts, count=sum(m["count"] for m in by_month)),
            "instructors": instructors,
            "topics": course.topics.all(),
            "months": [m for m in by_month if m["month"] is not None],
            "join_form": JoinCourseForm(initial={"code": ""}),
            **page_parts(request, course, COURSE_SIDEBAR, COURSE_INSTRUCTOR_LINKS),
        },
    )


def topic_detail(request, course_slug, topic_slug):
    course = readable_course_or_404(request, course_slug)
    topic = get_object_or_404(course.topics, slug=topic_slug)
    posts = Post.objects.published().filter(topics=topic).with_cards().newest_first()
    return render(
        request,
        "blog/topic_detail.html",
        {"course": course, "topic": topic, "page_obj": paginate(request, posts)},
    )


def author_posts(request, course_slug, username):
    course = readable_course_or_404(request, course_slug)
    author = get_object_or_404(get_user_model(), username=username)
    posts = Post.objects.published().for_course(course).by(author).with_cards().newest_first()
    return render(
        request,
        "blog/author_posts.html",
        {"course": course, "author": author, "page_obj": paginate(request, posts)},
    )


@login_required
def my_posts(request):
    posts = Post.objects.by(request.user).with_cards().order_by("-updated")
    return render(request, "blog/my_posts.html", {"page_obj": paginate(request, posts, 20)})


def post_page_queryset(user):
    """The post page's one query: post, author, course, the reader's role and Like, the
    like count, and what other apps' post page loaders join."""
    return (
        with_post_page_loaders(Post.objects.select_related("author", "course"), user)
        .with_like_counts()
        .with_viewer_role(user)
        .with_viewer_like(user)
    )


def _signed_in_post_page_queryset(user_id, course_slug, slug):
    reader = SimpleNamespace(pk=user_id, is_authenticated=True)
    return post_page_queryset(reader).filter(course__slug=course_slug, slug=slug).order_by()


# Placeholders that appear nowhere else in the query's parameters (config.db).
POST_PAGE_QUERY = PreparedQuery(
    _signed_in_post_page_queryset,
    user_id=-730_113_571,
    course_slug="\x00course slug\x00",
    slug="\x00post slug\x00",
)


def post_for_reader(request, course_slug, post_slug):
    """The post page's post for this reader, with the versions and standing its member
    page is cached under (pagecache.member_view): post, course, the reader's role and
    Like and the like count in one query. 404 when they may not read it."""
    user = request.user
    if user.is_authenticated:  # every signed-in GET runs it: compiled once (config.db)
        post = POST_PAGE_QUERY.get(user_id=user.pk, course_slug=course_slug, slug=post_slug)
        if post is None:
            raise Http404("No such post.")
    else:
        post = get_object_or_404(post_page_queryset(user), course__slug=course_slug, slug=post_slug)
    course = post.course
    course.remember_role(user, post.viewer_role)
    if not course.can_read(user) or not post.can_read(user):
        raise Http404("No such post.")
    return (
        post,
        (course.common_version, post.page_version),
        (course.role_of(user), post.is_by(user)),
    )


@pagecache.anonymous_page(pagecache.post_versions)
@pagecache.member_view(post_for_reader)
def post_detail(request, post):
    """The post page. Signed in, it comes from the member page cache (blog/pagecache.py)
    when it can: one copy per page version and standing in the course, the reader's own
    parts filled in."""
    prefetch_related_objects([post], "topics")
    context = {
        "course": post.course,
        "post": post,
        **post_likes_context(request, post),
        **page_parts(request, post, POST_BANNERS, POST_BODY_END, POST_AFTER_BODY),
    }
    return render(request, "blog/post_detail.html", context)


def post_likes_viewer_context(request, post):
    """What ``{% per_viewer "post_like" %}`` needs to draw this reader's Like button
    again: whether they like the post came with it (``with_viewer_like``), no query."""
    user = request.user
    can_like = post.can_like(user)
    return {
        "post": post,
        "course": post.course,
        "post_likes": likes_summary(count=post.like_count, liked=post.viewer_liked),
        "can_like_post": can_like,
        "like_step": "" if can_like else post.step_to_like(user),
    }


def post_likes_context(request, post):
    """The post's like button and "Liked by N people": one query."""
    user = request.user
    likes = PostLike.objects.filter(post=post)
    if not user.is_authenticated and hasattr(post, "like_count"):  # counted with the post
        summary = likes_summary(count=post.like_count, liked=False, likers=None)
        return {"post_likes": summary, "can_like_post": False, "like_step": post.step_to_like(user)}
    if post.course.can_see_likers(user):
        likers = [like.user for like in likes.select_related("user")]
        user_ids = [liker.pk for liker in likers]
    else:
        likers, user_ids = None, list(likes.values_list("user_id", flat=True))
    summary = likes_summary(count=len(user_ids), liked=user.pk in user_ids, likers=likers)
    can_like = post.can_like(user)
    return {
        "post_likes": summary,
        "can_like_post": can_like,
        "like_step": "" if can_like else post.step_to_like(user),
    }


@require_POST
def post_like(request, course_slug, post_slug):
    """Like (liked=1) or unlike (liked=0) a post. Signed-in course members only."""
    course = readable_course_or_404(request, course_slug)
    post = readable_post_or_404(request, course, post_slug)
    if not post.can_like(request.user):
        raise denied(course, "Only members of this course can like its posts.")
    liked = request.POST.get("liked", "1") != "0"
    services.like_post(post=post, user=request.user, liked=liked)
    summary = post_likes_context(request, post)["post_likes"]
    return like_response(request, summary=summary, next_url=f"{post.get_absolute_url()}#post-likes")


@login_required
def post_create(request, course_slug):
    course = readable_course_or_404(request, course_slug)
    if not course.can_write_post(request.user):
        raise denied(course, "Join this course to write in it.")
    return _edit_post(request, course, Post(course=course, author=request.user))


@login_required
def post_edit(request, course_slug, post_slug):
    course = readable_course_or_404(request, course_slug)
    post = readable_post_or_404(request, course, post_slug)
    if not post.can_edit(request.user):
        raise denied(course, "Only the author and the course's instructors edit a post.")
    return _edit_post(request, course, post)


EDITOR_ACTIONS = {"draft", "publish", "update", "unpublish", "preview", "insert_image"}


def _edit_post(request, course, post):
    """The editor, shared by "write" and "edit". Works without JavaScript."""
    action = request.POST.get("action", "draft")
    if request.method == "POST" and action in {"preview", "insert_image"}:
        return _editor_roundtrip(request, course, post, action)
    files, kept = _files_with_kept_image(request)
    form = PostForm(request.POST or None, files, instance=post, course=course)
    sections = editor_section_forms(request.POST or None, post=post, course=course)
    if request.method == "POST":
        if action not in EDITOR_ACTIONS or (
            action == "unpublish" and not post.can_unpublish(request.user)
        ):
            raise PermissionDenied
        if action == "publish" and not post.can_publish(request.user):
            raise denied(course)
        valid = all([form.is_valid(), *(section.form.is_valid() for section in sections)])
        refusal = valid and section_refusal(sections, post=post, action=action)
        if refusal and action != "publish":  # a published post: change nothing, say why
            refusal.form.add_error(None, refusal.message)
            valid = False
        elif refusal:  # keep it as a draft, and say why it didn't go live
            action = "draft"
        if valid:
            values = form.service_values()
            try:
                if form.inserted_image:  # an image chosen for the text, sent with a save
                    image = services.store_body_image(
                        course=course, user=request.user, clean=form.inserted_image
                    )
                    markdown = _image_markdown(image)
                    values["body"] = values["body"].rstrip() + "\n\n" + markdown + "\n"
                post = services.save_post(
                    post=post,
                    action=action,
                    sections=[(section.save, section.form.cleaned_data) for section in sections],
                    **values,
                )
            except StorageUnavailable as error:
                logger.error("Media storage unavailable while saving a post: %s", error)
                messages.error(request, StorageUnavailable.message)
                context = {
                    "course": course,
                    "post": post,
                    "form": form,
                    "kept_image": kept,
                    "editor_sections": sections,
                }
                return render(request, "blog/post_form.html", context, status=503)
            if kept:
                pending.discard(kept)
            if refusal:
                messages.error(request, f"{refusal.message} Your post is saved as a draft.")
            else:
                messages.success(request, _saved_message(post, action))
            return redirect(
                post
                if post.is_published
                else reverse("blog:post_edit", args=[course.slug, post.slug])
            )
        messages.error(
            request, "Your post was not saved yet: please check the fields marked below."
        )
        if form.featured_image and "image_upload" in request.FILES:  # valid: keep it
            kept = _keep_upload(request, request.FILES["image_upload"])
    context = {
        "course": course,
        "post": post,
        "form": form,
        "kept_image": kept,
        "editor_sections": sections,
    }
    return render(request, "blog/post_form.html", context)


def _files_with_kept_image(request):
    """(files for PostForm, KeptImage or None): a featured image kept by an earlier
    round trip stands in for an upload when no new file was chosen."""
    if request.method != "POST":
        return None, None
    if "image_upload" in request.FILES:  # a new choice replaces the kept image
        return request.FILES, None
    kept = pending.read(request.POST.get("pending_image"), user=request.user)
    if kept is None:
        return request.FILES, None
    files = request.FILES.copy()
    files["image_upload"] = pending.open_file(kept)
    return files, kept


def _keep_featured_image(request):
    """On a round trip (preview, insert image): keep a newly chosen featured image, or
    the one kept before. A file that isn't a usable image is refused with its reason."""
    kept = pending.read(request.POST.get("pending_image"), user=request.user)
    upload = request.FILES.get("image_upload")
    if upload is None:
        return kept
    try:
        clean_image_upload(upload)
    except ValidationError as error:
        messages.error(request, "The featured image was not kept: " + " ".join(error.messages))
        return kept
    if kept:
        pending.discard(kept)  # replaced by the new choice
    return _keep_upload(request, upload)


def _keep_upload(request, upload):
    """pending.keep, or None (and the reason shown) when the media storage is down."""
    try:
        return pending.keep(upload, user=request.user)
    except StorageUnavailable as error:
        logger.error("Media storage unavailable while keeping an image: %s", error)
        messages.error(request, StorageUnavailable.message)
        return None


@dataclass
class EditorSectionForm:
    """Another app's section of the editor (config.hooks.EDITOR_SECTIONS), with its form."""

    template: str
    form: object
    save: object
    refuse: object = None


@dataclass
class Refusal:
    form: object
    message: str


def section_refusal(sections, *, post, action):
    """The first editor section's refusal to let the post go live now, or None."""
    for section in sections:
        if section.refuse is None:
            continue
        message = section.refuse(post=post, action=action, cleaned_data=section.form.cleaned_data)
        if message:
            return Refusal(section.form, message)
    return None


def editor_section_forms(data, *, post, course, as_typed=False):
    """The registered editor sections' forms, bound to `data`; with `as_typed`, unbound
    forms showing what was typed (for a preview, which must not show errors)."""
    sections = []
    for section in EDITOR_SECTIONS:
        form = section.form_class(data, post=post, course=course, prefix=section.key)
        if as_typed:
            typed = {name: form[name].value() for name in form.fields}
            form = section.form_class(post=post, course=course, prefix=section.key, initial=typed)
        if form.fields:
            sections.append(EditorSectionForm(section.template, form, section.save, section.refuse))
    return sections


def _editor_roundtrip(request, course, post, action):
    """Preview or insert an image without saving: give back everything as typed."""
    data = request.POST.copy()
    if action == "insert_image":
        try:
            clean = clean_image_upload(request.FILES["body_image"])
        except KeyError:
            messages.error(request, "Choose an image to insert first.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            try:
                image = services.store_body_image(course=course, user=request.user, clean=clean)
            except StorageUnavailable as error:
                logger.error("Media storage unavailable while inserting an image: %s", error)
                messages.error(request, StorageUnavailable.message)
            else:
                markdown = _image_markdown(image)
                data["body"] = data.get("body", "").rstrip() + "\n\n" + markdown + "\n"
                messages.success(request, "Image inserted at the end of your text.")
    initial = {name: data.get(name, "") for name in PostForm.Meta.fields}
    initial["topics"] = data.getlist("topics")
    initial["new_topics"] = data.get("new_topics", "")
    form = PostForm(initial=initial, instance=post, course=course)
    preview = preview_html(post, data.get("body", "")) if action == "preview" else None
    sections = editor_section_forms(data, post=post, course=course, as_typed=True)
    context = {
        "course": course,
        "post": post,
        "form": form,
        "preview_html": preview,
        "kept_image": _keep_featured_image(request),
        "editor_sections": sections,
    }
    return render(request, "blog/post_form.html", context)


def _image_markdown(image):
    rendition = image.body_rendition
    return f"![Describe this image]({media.stable_url(rendition['name'])})"


def _saved_message(post, action):
    return {
        "publish": "Published! Your post is live in the course.",
        "update": "Your changes are saved.",
        "unpublish": (
            "The post is unpublished: it is a draft again, "
            "visible only to its author and the instructors."
        ),
    }.get(action, "Draft saved. Only you and the course's instructors can see it.")


@require_POST
@login_required
def post_preview(request, course_slug):
    """Live preview for the editor: the same renderer as the stored HTML."""
    course = readable_course_or_404(request, course_slug)
    if not course.can_write_post(request.user):
        raise denied(course)
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "The text is too long to preview."}, status=400)
    post = Post.objects.filter(course=course, slug=request.GET.get("post", "")).first()
    if post is None or not post.can_edit(request.user):
        post = Post(course=course, author=request.user)  # a new post: nothing to look up
    post.course = course
    return JsonResponse({"html": preview_html(post, form.cleaned_data["body"])})


def preview_html(post, body):
    """The body as it will be stored: rendered, sanitised, and with other apps' filters."""
    return apply_body_filters(post, render_post_markdown(body))


@require_POST
@login_required
def body_image_upload(request, course_slug):
    """ "Insert image" with JavaScript: store it and answer with its Markdown."""
    course = readable_course_or_404(request, course_slug)
    if not course.can_write_post(request.user):
        raise denied(course)
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": "Choose an image to insert."}, status=400)
    try:
        clean = clean_image_upload(upload)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    try:
        image = services.store_body_image(course=course, user=request.user, clean=clean)
    except StorageUnavailable as error:
        logger.error("Media storage unavailable while inserting an image: %s", error)
        return JsonResponse({"error": StorageUnavailable.message}, status=503)
    return JsonResponse({"markdown": _image_markdown(image)}, status=201)


@login_required
def post_delete(request, course_slug, post_slug):
    course = readable_course_or_404(request, course_slug)
    post = readable_post_or_404(request, course, post_slug)
    if not post.can_delete(request.user):
        raise denied(course, "Only the author can delete a post.")
    if request.method == "POST":
        services.delete_post(post=post)
        messages.success(request, f"“{post.title}” was deleted.")
        return redirect(course)
    return render(request, "blog/post_confirm_delete.html", {"course": course, "post": post})


@require_POST
@login_required
def post_unpublish(request, course_slug, post_slug):
    course = readable_course_or_404(request, course_slug)
    post = readable_post_or_404(request, course, post_slug)
    if not post.can_unpublish(request.user):
        raise denied(course)
    services.unpublish_post(post=post)
    messages.success(request, _saved_message(post, "unpublish"))
    return redirect(course)


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
        found = posts.search(query)
        count = getattr(found, "match_count", None)  # PostgreSQL knows it: no COUNT query
        page = paginate(request, found.with_results(), count=count)
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
        },
    )


def course_archive(request, course_slug, year, month):
    """A course's posts published in one month, like WordPress's monthly archives."""
    course = readable_course_or_404(request, course_slug)
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        raise Http404("No such month.")
    published = Post.objects.published().for_course(course)
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


# --- Instructor pages: /c/<course>/manage/... (instructors and staff) ---


def manage_context(request, course, tab):
    """What the instructor pages' tabs show (other apps add tabs: MANAGE_TABS parts)."""
    return {"course": course, "manage_tab": tab, **page_parts(request, course, MANAGE_TABS)}


@login_required
def course_settings(request, course_slug):
    course = managed_course_or_403(request, course_slug)
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        services.save_course_settings(course=course, **form.cleaned_data)
        if "visibility" in form.changed_data:
            services.apply_course_media_access(course=course)
        messages.success(request, "The course settings are saved.")
        return redirect("blog:course_settings", course_slug=course.slug)
    context = {"form": form, **manage_context(request, course, "settings")}
    return render(request, "blog/course_settings.html", context)


@login_required
def course_roster(request, course_slug):
    course = managed_course_or_403(request, course_slug)
    form = AddMembersForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.add_members(course=course, **form.cleaned_data)
        report_added_members(request, result)
        if not result.not_added:
            return redirect("blog:course_roster", course_slug=course.slug)
        retry = {"entries": "\n".join(result.not_added), "role": form.cleaned_data["role"]}
        form = AddMembersForm(initial=retry)  # what wasn't added, to correct and send again
    context = {
        "form": form,
        "result": result,
        "memberships": course.memberships.with_user().by_name(),
        "role_choices": Role.choices,
        **manage_context(request, course, "roster"),
    }
    return render(request, "blog/course_roster.html", context)


def report_added_members(request, result):
    def names(people):
        return ", ".join(getattr(p, "name", p) for p in people)

    if result.added:
        n, role = len(result.added), result.role.label.lower()
        roles = ngettext("%(role)s", "%(role)ss", n) % {"role": role}
        messages.success(request, f"Added {n} as {roles}: {names(result.added)}.")
    if result.already_members:
        messages.info(request, f"Already members, unchanged: {names(result.already_members)}.")
    if result.duplicates:
        messages.info(request, f"Listed more than once, counted once: {names(result.duplicates)}.")
    if result.unknown:
        messages.warning(request, f"No account found for: {names(result.unknown)}.")
    if result.ambiguous:
        messages.warning(
            request, f"Several accounts share: {names(result.ambiguous)}. Add them by username."
        )


def member_or_404(request, course, membership_id):
    """The course's membership; when it is the user's own, with request.user itself, so
    the service that changes it refreshes the roles this request has cached."""
    membership = get_object_or_404(course.memberships.with_user(), pk=membership_id)
    if membership.user_id == request.user.pk:
        membership.user = request.user
    membership.course = course
    return membership


def back_to_roster(request, course):
    """The roster, or the course page if the user has just given up running the course."""
    if course.can_manage(request.user):
        return redirect("blog:course_roster", course_slug=course.slug)
    return redirect(course)


@require_POST
@login_required
def membership_role(request, course_slug, membership_id):
    course = managed_course_or_403(request, course_slug)
    membership = member_or_404(request, course, membership_id)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose student or instructor.")
        return back_to_roster(request, course)
    try:
        services.change_role(membership=membership, role=form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        role = membership.get_role_display().lower()
        messages.success(request, f"{membership.user.name} is now {article(role)} {role}.")
    return back_to_roster(request, course)


def article(word):
    return "an" if word[:1] in "aeiou" else "a"


@require_POST
@login_required
def membership_remove(request, course_slug, membership_id):
    course = managed_course_or_403(request, course_slug)
    membership = member_or_404(request, course, membership_id)
    try:
        services.remove_member(membership=membership)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        name = membership.user.name
        messages.success(request, f"{name} left the course. Their posts and comments stay.")
    return back_to_roster(request, course)


@login_required
def course_participation(request, course_slug):
    """Who has done what in a period: a sortable table, and the same as CSV."""
    course = managed_course_or_403(request, course_slug)
    form = ParticipationForm(request.GET)
    table = None
    if form.is_valid():
        start, end = form.bounds()
        sort, direction = request.GET.get("sort"), request.GET.get("dir")
        table = participation_table(course, start=start, end=end, sort=sort, direction=direction)
        if request.GET.get("format") == "csv":
            return csv_response(table, f"participation-{course.slug}-{form.slug()}.csv")
    context = {
        "form": form,
        "table": table,
        "headers": table.headers(request.GET) if table else [],
        "csv_query": table.csv_query(request.GET) if table else "",
        **manage_context(request, course, "participation"),
    }
    return render(request, "blog/course_participation.html", context)


def csv_response(table, filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_csv(table, response)
    return response
