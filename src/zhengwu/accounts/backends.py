from django.contrib.auth.backends import ModelBackend


class ZhengwuBackend(ModelBackend):
    """Username (staff) or verified phone (applicants) with password; lock-out is enforced in services."""
