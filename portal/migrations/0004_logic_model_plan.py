"""The plan's pillars, measures (4-2 施策体系) and starting indicators."""

from django.db import migrations

from portal.dashboard.plan import INDICATORS, MEASURES, PILLARS


def load(apps, schema_editor):
    Pillar = apps.get_model("portal", "Pillar")
    Measure = apps.get_model("portal", "Measure")
    Indicator = apps.get_model("portal", "Indicator")
    pillars = {}
    for number, title, description in PILLARS:
        pillars[number], _ = Pillar.objects.get_or_create(
            number=number, defaults={"title": title, "description": description}
        )
    measures = {}
    for pillar, code, title, contents in MEASURES:
        measures[code], _ = Measure.objects.get_or_create(
            code=code, defaults={"pillar": pillars[pillar], "title": title, "contents": contents}
        )
    for order, (code, name, kind, unit, source) in enumerate(INDICATORS):
        Indicator.objects.get_or_create(
            measure=measures[code],
            name=name,
            defaults={"kind": kind, "unit": unit, "source": source, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_logic_model")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
