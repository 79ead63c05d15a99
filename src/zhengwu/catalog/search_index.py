"""Keeps the search index in step with effective versions."""
