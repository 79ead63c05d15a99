"""Workbench pages of the catalogue (/workbench/catalog/). Thin: forms parse, one service writes."""
