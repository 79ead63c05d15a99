from .support import _plain_static, make_user  # noqa: F401
