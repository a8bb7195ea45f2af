"""Store each post's weighted full-text document and index it (PostgreSQL only).

Migration 0004 indexed an expression, so every ranked search recomputed the
document of every matching post. Now the document (title weight A, body weight B)
is a column kept up to date by Post.save(), with a GIN index on it; 0004's
expression index goes. On SQLite the column exists, stays NULL and is never used.
"""

import django.contrib.postgres.search
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "english"
OLD_INDEX = GinIndex(SearchVector("title", "body", config=CONFIG), name="blog_post_search_gin")
NEW_INDEX = GinIndex(fields=["search_vector"], name="blog_post_search_vector_gin")


def index_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Post = apps.get_model("blog", "Post")
    schema_editor.remove_index(Post, OLD_INDEX)
    Post.objects.update(
        search_vector=SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("body", weight="B", config=CONFIG)
    )
    schema_editor.add_index(Post, NEW_INDEX)


def unindex_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Post = apps.get_model("blog", "Post")
    schema_editor.remove_index(Post, NEW_INDEX)
    schema_editor.add_index(Post, OLD_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0004_post_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(index_documents, unindex_documents),
    ]
