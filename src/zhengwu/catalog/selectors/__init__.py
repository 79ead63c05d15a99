"""Reads of the catalogue: `public` for the portal and the public API, `staff` for the workbench."""
