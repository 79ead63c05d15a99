"""Bulk data of the catalogue: export and import as JSON (`zhengwu.catalog/1`) and Excel.

Public entry points: `export_catalog`, `write_workbook`, `read_file`, `catalog_import`.
"""

from .columns import FORMAT
from .importer import ImportReport, can_import, catalog_import
from .serialise import export_catalog
from .tables import FileRefused, FlatData, ImportIssue, read_file
from .xlsx import read_workbook, write_workbook

__all__ = [
    "FORMAT",
    "FileRefused",
    "FlatData",
    "ImportIssue",
    "ImportReport",
    "can_import",
    "catalog_import",
    "export_catalog",
    "read_file",
    "read_workbook",
    "write_workbook",
]
