from django.db import migrations

from zhengwu.core.audit.sql import install_triggers, remove_triggers


class Migration(migrations.Migration):
    dependencies = [("core_audit", "0001_initial")]

    operations = [migrations.RunPython(install_triggers, remove_triggers, elidable=False)]
