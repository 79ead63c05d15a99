"""The WSGI entry point gunicorn loads."""

from __future__ import annotations

import gc
import importlib


def test_wsgi_loads_the_views_and_freezes_what_start_up_made() -> None:
    gc.unfreeze()
    try:
        module = importlib.import_module("zhengwu.wsgi")
        importlib.reload(module)
        assert callable(module.application)
        assert gc.get_freeze_count() > 10_000  # Django, the apps, every view module
        assert "zhengwu.cases.api.applicant" in importlib.sys.modules
    finally:
        gc.unfreeze()  # the test process goes on making and dropping objects
