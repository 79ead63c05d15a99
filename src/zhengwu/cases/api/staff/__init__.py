"""Staff endpoints (/api/v1/cases/staff/…): the window queue, my tasks, the case, every transition.

A case outside the actor's scope (actor.scope_q over region_code / department_line, widened by the
clerk's windows — selectors.staff) is a 404. Within scope the services decide who may do what: a
role that may not act gets 403, a case that changed meanwhile (or a stale `revision`) gets 409 with
the Chinese message, a bad input 400 with field messages. Creates honour Idempotency-Key.
"""

from ._shared import staff_case_data
from .accept import AcceptView, DeficiencyAcceptView, RejectView, SupplementRequestView
from .bundles import BundleDeliverView, BundleStaffDetailView
from .handling import (
    CompleteView,
    DecideView,
    DeliverView,
    ExtensionDecideView,
    ExtensionRequestView,
    ResumeView,
    StepClaimView,
    StepCompleteView,
    StepReturnView,
    StepTransferView,
    SuspendView,
    TerminateView,
)
from .lists import CaseDetailView, CaseSearchView, PendingExtensionsView, QueueView, TaskListView
from .window import WalkInDraftView, WalkInSubmitView, WalkInSupplementView, WalkInUploadView

__all__ = [
    "AcceptView",
    "BundleDeliverView",
    "BundleStaffDetailView",
    "CaseDetailView",
    "CaseSearchView",
    "CompleteView",
    "DecideView",
    "DeficiencyAcceptView",
    "DeliverView",
    "ExtensionDecideView",
    "ExtensionRequestView",
    "PendingExtensionsView",
    "QueueView",
    "RejectView",
    "ResumeView",
    "StepClaimView",
    "StepCompleteView",
    "StepReturnView",
    "StepTransferView",
    "SupplementRequestView",
    "SuspendView",
    "TaskListView",
    "TerminateView",
    "WalkInDraftView",
    "WalkInSubmitView",
    "WalkInSupplementView",
    "WalkInUploadView",
    "staff_case_data",
]
