from zhengwu.core.audit.tests.support import _plain_static, make_user  # noqa: F401
