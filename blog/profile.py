"""blog's part of the public profile page: courses and published posts."""

from blog.models import Course, Post


def posts_section(request, profile_user):
    posts = (
        Post.objects.published()
        .by(profile_user)
        .visible_to(request.user)
        .with_cards()
        .newest_first()[:20]
    )
    courses = Course.objects.for_member(profile_user).visible_to(request.user)
    return {
        "template": "blog/_profile_posts.html",
        "posts": list(posts),
        "courses": list(courses),
    }
