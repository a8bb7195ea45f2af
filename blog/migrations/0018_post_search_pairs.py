"""Index the words that stand next to each other in each post (PostgreSQL only).

A phrase ("iron curtain") was found through the GIN index of the search document,
which knows which words a post holds but not where: PostgreSQL then read and tested
every post holding both words (17,685 of 100,000 in bench/search_bench.py, 90 ms).
`blog_search_pairs(document)` lists a document's adjacent lexemes ("iron curtain"),
and a GIN index on it finds the posts that have the phrase's words side by side
(blog.search.newest_matches; docs/decisions.md). The index follows the stored
document by itself: nothing in Python writes it. A no-op on SQLite.
"""

from django.db import migrations

CREATE_FUNCTION = """
CREATE FUNCTION blog_search_pairs(document tsvector) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT first.lexeme || ' ' || second.lexeme), '{}')
    FROM (SELECT lexeme, unnest(positions) AS position FROM unnest(document)) AS first
    JOIN (SELECT lexeme, unnest(positions) AS position FROM unnest(document)) AS second
        ON second.position = first.position + 1
$$
"""
CREATE_INDEX = (
    "CREATE INDEX blog_post_search_pairs_gin ON blog_post"
    " USING gin (blog_search_pairs(search_vector))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    schema_editor.execute(CREATE_INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS blog_post_search_pairs_gin")
    schema_editor.execute("DROP FUNCTION IF EXISTS blog_search_pairs(tsvector)")


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0017_post_likes_version"),
    ]

    operations = [migrations.RunPython(create, drop)]
