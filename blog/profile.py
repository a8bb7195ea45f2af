"""blog's part of the public profile page: courses and published posts."""

from blog.models import Course, Post


def posts_section(request, profile_user):
    posts = (
        Post.objects.published()
        .by(profile_user)
        .visible_to(request.user)
        .with_cards()
        .with_viewer_role(request.user)
        .newest_first()[:20]
    )
    posts = list(posts)
    for post in posts:  # the cards' names ask role_of (accounts.names)
        post.course.remember_role(request.user, post.viewer_role)
    courses = Course.objects.for_member(profile_user).visible_to(request.user)
    return {
        "template": "blog/_profile_posts.html",
        "posts": posts,
        "courses": list(courses),
    }
