"""`manage.py reindex_catalog`: rebuild the catalogue's search documents (items and bundles)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhengwu.catalog.search_index import catalog_reindex


class Command(BaseCommand):
    help = "重建政务服务事项和一件事的全文检索索引"

    def handle(self, *args: Any, **options: Any) -> None:
        counts = catalog_reindex()
        self.stdout.write(f"indexed {counts['items']} items, {counts['bundles']} bundles")
