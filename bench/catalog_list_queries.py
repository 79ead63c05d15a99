#!/usr/bin/env python3
"""Benchmark: the catalogue list pages do the same number of queries at page size 10 and 100.

    .venv/bin/python bench/catalog_list_queries.py [--items 2000]

Measures the public list (/services/items/), the public bundle list (/services/bundles/), the staff
list (/workbench/catalog/, as the demo administrator) and the staff bundle list. The page size is
forced through Django's Paginator. Its own database (bench/catalog_common.py). Exits 1 on a difference.
"""

from __future__ import annotations

import argparse
import sys
from unittest import mock

from catalog_common import ensure_load, setup_django

PAGES = ["/services/items/", "/services/bundles/", "/workbench/catalog/", "/workbench/catalog/bundles/"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    label = setup_django(args.db)
    total = ensure_load(args.items)
    from django.contrib.auth import get_user_model
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    staff = Client()
    staff.force_login(get_user_model().objects.get(username="admin"))
    original = Paginator.__init__
    print(f"{label}: {total} items")
    ok = True
    for path in PAGES:
        counts = {}
        for size in (10, 100):

            def sized(self, object_list, per_page, *a, size=size, **kw):
                original(self, object_list, size, *a, **kw)

            with mock.patch.object(Paginator, "__init__", sized):
                staff.get(path)  # warm caches (sessions, actor) so both sizes are measured alike
                with CaptureQueriesContext(connection) as captured:
                    response = staff.get(path)
            assert response.status_code == 200, (path, response.status_code)
            counts[size] = len(captured)
        same = counts[10] == counts[100]
        ok &= same
        verdict = "ok" if same else "DIFFERS"
        print(f"  {path:32s} page size 10: {counts[10]:3d} queries, 100: {counts[100]:3d}  {verdict}")
    print(f"constant query count: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
