"""A GIN index for full-text search over posts, on PostgreSQL only.

It indexes exactly the expression ``PostQuerySet.search()`` filters on,
``SearchVector("title", "body", config="english")``, that is
to_tsvector('english', COALESCE(title, '') || ' ' || COALESCE(body, '')),
so PostgreSQL answers a search from the index. Other databases (SQLite) have no
full-text search of this kind and search with a simpler fallback: nothing to do.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = GinIndex(SearchVector("title", "body", config="english"), name="blog_post_search_gin")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("blog", "Post"), INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("blog", "Post"), INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0003_post_like"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
