"""受理 (acceptance) by a window clerk whose window covers the case: accept, reject, one-time
supplement notice, 容缺受理 and its sweep, 告知承诺, and 即办 decided on acceptance (DOMAIN §3).

Permissions: an actor who cannot see the case gets Case.DoesNotExist; staff who see it but sit at
no window covering it get PermissionDenied. Errors are field-level (see intake.py for the keys;
here also `mode`, `reasons`, `legal_basis`, `items`, `deferred`, `commitment_signed`, `checks`).
"""

from ._shared import BROKEN_COMMITMENT, DEFAULT_REMEDY, DEFICIENCY_OPEN, has_broken_commitment, issue_document
from .accept import case_accept, case_reject
from .deficiency import case_accept_with_deficiency, case_deficiency_supplied, deficiency_sweep
from .supplement import case_request_supplement, case_supplement_submit

__all__ = [
    "BROKEN_COMMITMENT",
    "DEFAULT_REMEDY",
    "DEFICIENCY_OPEN",
    "case_accept",
    "case_accept_with_deficiency",
    "case_deficiency_supplied",
    "case_reject",
    "case_request_supplement",
    "case_supplement_submit",
    "deficiency_sweep",
    "has_broken_commitment",
    "issue_document",
]
