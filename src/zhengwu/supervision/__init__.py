"""Electronic supervision (电子监察): lights, warnings, cards, corrections and data-exchange intake.

Supervision learns about cases only from events (Zhengwu's own outbox and external systems through
/api/v1/exchange/); it never imports the cases app (import-linter contract in pyproject.toml).
"""
