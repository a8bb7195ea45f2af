"""Topic names join the stored search document, with weight C (PostgreSQL only).

Search looked posts up by topic name in a second half of its query, which hashed
every post tagged with a matching topic (28,650 for "thaw" at 100,000 posts in
bench/search_bench.py, 30-60 ms) and ranked them with a bonus that hashed them
again. Now the document is title (A), body (B) and topic names (C), built by ONE
SQL function, `blog_search_document(title, body, post_id)`, that Post.save() and
refresh_search_vectors() call and that the triggers below call when a post's topics
or a topic's name change, however they change (the editor, the admin, an import's
bulk insert, a cascade): one GIN index and one walk answer every query
(docs/decisions.md). A no-op on SQLite, where the column stays NULL.
"""

from django.db import migrations

CREATE = [
    """
CREATE FUNCTION blog_search_document(title text, body text, post_id bigint)
RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('english'::regconfig, coalesce($1, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce($2, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce((
            SELECT string_agg(topic.name, ' ' ORDER BY topic.name)
            FROM blog_topic AS topic
            JOIN blog_post_topics AS tagged ON tagged.topic_id = topic.id
            WHERE tagged.post_id = $3
        ), '')), 'C')
$$
""",
    # A post's topics changed: statement-level, so an import's thousands of rows are
    # one UPDATE.
    """
CREATE FUNCTION blog_post_topics_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE blog_post SET search_vector = blog_search_document(title, body, id)
    WHERE id IN (SELECT post_id FROM changed_rows);
    RETURN NULL;
END
$$
""",
    """
CREATE TRIGGER blog_post_topics_added AFTER INSERT ON blog_post_topics
REFERENCING NEW TABLE AS changed_rows
FOR EACH STATEMENT EXECUTE FUNCTION blog_post_topics_changed()
""",
    """
CREATE TRIGGER blog_post_topics_removed AFTER DELETE ON blog_post_topics
REFERENCING OLD TABLE AS changed_rows
FOR EACH STATEMENT EXECUTE FUNCTION blog_post_topics_changed()
""",
    """
CREATE FUNCTION blog_topics_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE blog_post SET search_vector = blog_search_document(title, body, id)
    WHERE id IN (
        SELECT tagged.post_id
        FROM blog_post_topics AS tagged
        JOIN new_topics ON new_topics.id = tagged.topic_id
        JOIN old_topics ON old_topics.id = new_topics.id
        WHERE old_topics.name IS DISTINCT FROM new_topics.name
    );
    RETURN NULL;
END
$$
""",
    """
CREATE TRIGGER blog_topics_renamed AFTER UPDATE ON blog_topic
REFERENCING OLD TABLE AS old_topics NEW TABLE AS new_topics
FOR EACH STATEMENT EXECUTE FUNCTION blog_topics_renamed()
""",
    "UPDATE blog_post SET search_vector = blog_search_document(title, body, id)",
]

DROP = [
    "DROP TRIGGER IF EXISTS blog_topics_renamed ON blog_topic",
    "DROP TRIGGER IF EXISTS blog_post_topics_removed ON blog_post_topics",
    "DROP TRIGGER IF EXISTS blog_post_topics_added ON blog_post_topics",
    "DROP FUNCTION IF EXISTS blog_topics_renamed()",
    "DROP FUNCTION IF EXISTS blog_post_topics_changed()",
    """UPDATE blog_post SET search_vector =
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B')""",
    "DROP FUNCTION IF EXISTS blog_search_document(text, text, bigint)",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0018_post_search_pairs"),
    ]

    operations = [migrations.RunPython(create, drop)]
