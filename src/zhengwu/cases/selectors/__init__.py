"""Reads of the cases app, already limited to the actor: `applicant` (the portal), `staff` (the workbench)."""
