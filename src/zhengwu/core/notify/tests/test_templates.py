import pytest
from django.utils import translation

from zhengwu.core.notify.templates import TemplateError, register_template, registered_keys, render


def test_verification_code_text():
    with translation.override("zh-hans"):
        message = render("accounts.verification_code", {"code": "123456", "minutes": 10})
    assert message.body == "【政务服务】您的验证码为123456，10分钟内有效。如非本人操作请忽略。"
    assert message.subject == "验证码"


def test_shipped_templates():
    assert {"accounts.verification_code", "accounts.account_locked", "generic.message"} <= set(
        registered_keys()
    )
    generic = render("generic.message", {"subject": "标题{x}", "body": "内容"})
    assert (generic.subject, generic.body) == ("标题{x}", "内容")


def test_missing_context_key_is_a_clear_error():
    with pytest.raises(TemplateError, match=r"accounts\.verification_code 缺少参数：minutes"):
        render("accounts.verification_code", {"code": "123456"})


def test_unknown_template():
    with pytest.raises(TemplateError, match=r"未注册的通知模板：nope\.nothing"):
        render("nope.nothing", {})


def test_re_registering_differently_is_refused():
    register_template("tests.sample", subject="甲", body="乙{x}")
    register_template("tests.sample", subject="甲", body="乙{x}")  # same texts: fine
    with pytest.raises(TemplateError, match="已用不同内容注册过"):
        register_template("tests.sample", subject="甲", body="丙")
    with pytest.raises(TemplateError, match="缺少参数：x"):
        render("tests.sample", {})
