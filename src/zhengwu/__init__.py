"""Zhengwu (政务): an integrated government service platform."""
