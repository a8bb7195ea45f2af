"""config.db.PreparedQuery makes its rows' instances as Django's queryset would."""

import pytest
from django.db.models import signals

from comments.models import Comment
from config.db import PreparedQuery
from tests import factories

pytestmark = pytest.mark.django_db


def thread_of(post_id):
    return (
        Comment.objects.filter(post_id=post_id)
        .select_related("author")
        .only("post", "parent", "author", "status", "created", "author__username")
        .order_by("pk")
    )


def test_an_only_rows_instances_are_the_querysets(post, student):
    factories.CommentFactory(post=post, author=student)
    factories.CommentFactory(post=post, author=None, guest_name="G", guest_email="g@example.org")
    query = PreparedQuery(thread_of, post_id=-730_000_001)
    made, expected = query.all(post_id=post.pk), list(thread_of(post.pk))
    for mine, theirs in zip(made, expected, strict=True):
        assert {k: v for k, v in vars(mine).items() if k != "_state"} == {
            k: v for k, v in vars(theirs).items() if k != "_state"
        }
        assert mine.get_deferred_fields() == theirs.get_deferred_fields() != set()
        assert (mine._state.adding, mine._state.db) == (False, "default")
        assert mine.author == theirs.author  # select_related: no query
    assert made[0].body == Comment.objects.get(pk=made[0].pk).body  # a deferred field loads


def test_a_model_someone_listens_to_is_made_by_its_init(post, student):
    """Receivers of pre_init and post_init still hear each instance."""
    factories.CommentFactory(post=post, author=student)
    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs["instance"])

    signals.post_init.connect(listen, sender=Comment)
    try:
        made = PreparedQuery(thread_of, post_id=-730_000_002).all(post_id=post.pk)
    finally:
        signals.post_init.disconnect(listen, sender=Comment)
    assert made and heard[-1] is made[0]
