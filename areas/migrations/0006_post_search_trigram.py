"""Japanese search over posts: a trigram GIN index (pg_trgm) on the
normalised search column.

Japanese has no spaces between words, so word-based full-text search misses
防災 inside 地域の防災訓練; a trigram index serves `LIKE '%…%'` on any
substring. On SQLite (the embedded demo) there is no index: the same
`contains` lookup scans the table.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "areas_post_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON areas_post USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("areas", "0005_news_and_facilities")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
