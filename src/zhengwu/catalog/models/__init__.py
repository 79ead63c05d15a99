from .bundles import Bundle, BundleItem
from .items import (
    EDITABLE_STATUSES,
    PUBLISHED_STATUSES,
    TRANSITION_FIELDS,
    ImmutableVersionError,
    ItemVersion,
    ReviewRecord,
    ServiceItem,
)
from .parts import FormField, MaterialRequirement, ProcedureStep

__all__ = [
    "EDITABLE_STATUSES",
    "PUBLISHED_STATUSES",
    "TRANSITION_FIELDS",
    "Bundle",
    "BundleItem",
    "FormField",
    "ImmutableVersionError",
    "ItemVersion",
    "MaterialRequirement",
    "ProcedureStep",
    "ReviewRecord",
    "ServiceItem",
]
