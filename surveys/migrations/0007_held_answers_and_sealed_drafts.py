"""Held answers (a submitted answer waits, sealed, for its batch) and sealed
drafts: a half-finished answer is kept by invitation, so a database reader
must not be able to read it. Existing drafts are sealed here."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def seal_drafts(apps, schema_editor):
    from surveys.questionnaires.sealing import seal

    Draft = apps.get_model("surveys", "Draft")
    for draft in Draft.objects.only("pk", "data").iterator(chunk_size=500):
        Draft.objects.filter(pk=draft.pk).update(sealed=seal(draft.data or {}))


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0006_volunteererasure"),
    ]

    operations = [
        migrations.AddField(
            model_name="draft",
            name="sealed",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(seal_drafts, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="draft",
            name="data",
        ),
        migrations.CreateModel(
            name="HeldAnswer",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("sealed", models.TextField(editable=False)),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="held_answers",
                        to="surveys.survey",
                    ),
                ),
            ],
            options={
                "verbose_name": "集計待ちの回答",
                "verbose_name_plural": "集計待ちの回答",
            },
        ),
    ]
