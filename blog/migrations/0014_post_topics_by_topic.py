"""An index on the posts-topics table by (topic, post): search's topic half asks for
every post of the topics whose names match the words, and with both columns in one
index PostgreSQL reads them from it alone instead of visiting each row of the table
(docs/decisions.md, Search; issue 34). The through table is Django's own, so the index
is plain SQL, the same on PostgreSQL and SQLite."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0013_teaching_assistant_role"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX blog_post_topics_topic_post ON blog_post_topics (topic_id, post_id)",
            reverse_sql="DROP INDEX blog_post_topics_topic_post",
        ),
    ]
