"""收件 (intake): drafts, uploads, submission and withdrawal, for one item or a bundle (一件事).

Online (online / mobile / kiosk): the applicant is the acting user's person profile, or a company the
user is an authorised agent of. Window (window / post): a window clerk keys in a walk-in's
application at one of their windows; the applicant's ID number or USCC is checked with its checksum.

Error keys (ValidationError dicts, docs/cases/services.md): a form field's `key`; `material_<id>`
for a CaseMaterial; `applicant_kind`, `applicant_name`, `applicant_id_number`, `applicant_phone`,
`applicant_address`, `contact_name` for window applicant data; `item_id`, `company_id`,
`material_id`, `file`, `window_id`; `__all__` for whole-case problems.
"""

from .access import covering_windows, is_applicant, is_intake_clerk, staff_sees
from .applicant import ApplicantData, clean_applicant
from .bundle_drafts import bundle_draft_create, bundle_draft_update, bundle_submit
from .drafts import case_draft_create, case_draft_update, case_file_remove, case_material_upload
from .form import clean_form_data
from .submission import case_submit, case_withdraw, refresh_bundle, submission_errors

__all__ = [
    "ApplicantData",
    "bundle_draft_create",
    "bundle_draft_update",
    "bundle_submit",
    "case_draft_create",
    "case_draft_update",
    "case_file_remove",
    "case_material_upload",
    "case_submit",
    "case_withdraw",
    "clean_applicant",
    "clean_form_data",
    "covering_windows",
    "is_applicant",
    "is_intake_clerk",
    "refresh_bundle",
    "staff_sees",
    "submission_errors",
]
