"""Card rules count in periods spelt 2025-Q4 from now on (core.calendar.periods): rewrite the cards
saved as 2025Q4, so that a red card already given this quarter is found and not given twice.
Reversible."""

import re

from django.db import migrations

OLD = re.compile(r"^(\d{4})Q([1-4])$")
NEW = re.compile(r"^(\d{4})-Q([1-4])$")


def _respell(apps, pattern, spelling):
    card = apps.get_model("supervision", "Card")
    changed = []
    for row in card.objects.filter(period__contains="Q").only("pk", "period"):
        if m := pattern.match(row.period):
            row.period = spelling.format(*m.groups())
            changed.append(row)
    card.objects.bulk_update(changed, ["period"], batch_size=500)


def forwards(apps, schema_editor):
    _respell(apps, OLD, "{}-Q{}")


def backwards(apps, schema_editor):
    _respell(apps, NEW, "{}Q{}")


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0004_assessment_period_keys"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
