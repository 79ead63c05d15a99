"""Every write of the catalogue (DESIGN: services hold the rules; views and serializers stay thin)."""

from .bundles import bundle_create, bundle_publish, bundle_update
from .drafts import (
    OPEN_STATUSES,
    form_fields_set,
    item_create_draft,
    item_update_metadata,
    material_set,
    steps_set,
    version_create_draft,
    version_update,
)
from .lifecycle import (
    announce_workdays_default,
    announcement_dates,
    version_review,
    version_submit,
    version_withdraw,
    versions_activate_due,
)

__all__ = [
    "OPEN_STATUSES",
    "announce_workdays_default",
    "announcement_dates",
    "bundle_create",
    "bundle_publish",
    "bundle_update",
    "form_fields_set",
    "item_create_draft",
    "item_update_metadata",
    "material_set",
    "steps_set",
    "version_create_draft",
    "version_review",
    "version_submit",
    "version_update",
    "version_withdraw",
    "versions_activate_due",
]
