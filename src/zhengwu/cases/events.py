"""Periodic jobs of the cases app and start-up registrations (autodiscovered by core.events)."""

from __future__ import annotations

from zhengwu.core.events.periodic import periodic

from . import files_access, notices  # noqa: F401  (file access rules and notice templates register on import)

HOUR = 3600


@periodic(seconds=HOUR, name="cases.deficiency_sweep")
def deficiency_sweep_job() -> int:
    """容缺 dates passed with materials missing → terminated. Hourly; only the day matters."""
    from .services.acceptance import deficiency_sweep

    return deficiency_sweep()


@periodic(seconds=15 * 60, name="cases.deemed_consent_sweep")
def deemed_consent_sweep_job() -> int:
    """一件事 超时默认: steps past their due day in a bundle with deemed consent on."""
    from .services.bundles import deemed_consent_sweep

    return deemed_consent_sweep()
