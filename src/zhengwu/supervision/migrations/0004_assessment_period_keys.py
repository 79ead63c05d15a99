"""Assessment periods are spelt 2025-Q3 from now on (core.calendar.periods): rewrite the runs and the
manual scores saved as 2025Q3, so that they are found under the new key. Reversible."""

import re

from django.db import migrations

OLD = re.compile(r"^(\d{4})Q([1-4])$")
NEW = re.compile(r"^(\d{4})-Q([1-4])$")
MODELS = ("AssessmentRun", "ManualScore")


def _respell(apps, pattern, spelling):
    for name in MODELS:
        model = apps.get_model("supervision", name)
        rows = model.objects.filter(period__contains="Q").only("pk", "period")
        changed = []
        for row in rows:
            if m := pattern.match(row.period):
                row.period = spelling.format(*m.groups())
                changed.append(row)
        model.objects.bulk_update(changed, ["period"], batch_size=500)


def forwards(apps, schema_editor):
    _respell(apps, OLD, "{}-Q{}")


def backwards(apps, schema_editor):
    _respell(apps, NEW, "{}Q{}")


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0003_records_updated_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
