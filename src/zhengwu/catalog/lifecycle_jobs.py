"""Periodic lifecycle jobs (announced versions take effect) and the public-file access rule.

Loaded at start-up through catalog/events.py (core.events autodiscovers it in every process).
"""

from __future__ import annotations

from zhengwu.core.access.actor import Actor
from zhengwu.core.events.periodic import periodic
from zhengwu.core.files.access import register_access_rule
from zhengwu.core.files.models import StoredFile

# Blank application forms and samples are published with the guide: anyone may download them.
PUBLIC_PURPOSES = ("catalog_form", "catalog_sample")


def public_catalog_file(actor: Actor, stored_file: StoredFile) -> bool:
    return stored_file.purpose in PUBLIC_PURPOSES


for _purpose in PUBLIC_PURPOSES:
    register_access_rule(_purpose, public_catalog_file)


@periodic(seconds=600, name="catalog.versions_activate_due")
def activate_due_versions() -> int:
    """Every 10 minutes: versions whose announcement ended and whose date has come take effect."""
    from .services import versions_activate_due

    return versions_activate_due()
