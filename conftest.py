"""Project-wide test settings: files go to a temporary folder; apps add fixtures in their own conftest."""

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
