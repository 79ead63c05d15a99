"""Event handlers and periodic jobs of the catalogue (autodiscovered by core.events)."""

from . import lifecycle_jobs, search_index  # noqa: F401  (they register on import)
