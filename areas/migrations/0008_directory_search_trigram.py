"""Japanese substring search of the stakeholder directory: trigram GIN
indexes (pg_trgm, created in 0006) on the offers' normalised text and the
organisations' name and description, so `LIKE '%防災%'` is served by an index.
On SQLite the same lookups scan the table."""

from django.db import migrations

INDEXES = {
    "areas_offer_search_trgm": ("areas_offer", "search_text"),
    "areas_organisation_name_trgm": ("areas_organisation", "name"),
    "areas_organisation_description_trgm": ("areas_organisation", "description"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, (table, column) in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("areas", "0007_karte_vision_offers")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
