from .bundles import Bundle, BundleItem
from .items import EDITABLE_STATUSES, PUBLISHED_STATUSES, ItemVersion, ReviewRecord, ServiceItem
from .parts import FormField, MaterialRequirement, ProcedureStep

__all__ = [
    "EDITABLE_STATUSES",
    "PUBLISHED_STATUSES",
    "Bundle",
    "BundleItem",
    "FormField",
    "ItemVersion",
    "MaterialRequirement",
    "ProcedureStep",
    "ReviewRecord",
    "ServiceItem",
]
