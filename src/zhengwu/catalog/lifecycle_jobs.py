"""Periodic lifecycle jobs (announcement ends, versions take effect)."""
