"""Message templates by key. Texts are Chinese msgids (translated through Django i18n at send
time) with str.format placeholders: `{code}`. Apps register their own templates at import time of
their `notifications.py` (or in AppConfig.ready()):

    from zhengwu.core.notify.templates import register_template
    register_template("cases.accepted", subject=_("您的申请已受理"), body=_("申请{number}已于{date}受理。"))
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class TemplateError(ValueError):
    """An unknown template key, or a context that lacks a placeholder's value."""


@dataclass(frozen=True)
class MessageTemplate:
    key: str
    subject: str | Promise
    body: str | Promise

    def placeholders(self) -> set[str]:
        names: set[str] = set()
        for text in (self.subject, self.body):
            for _literal, field, _spec, _conv in string.Formatter().parse(str(text)):
                if field is not None:
                    # "{user.name}" / "{items[0]}" need the top-level name only.
                    names.add(field.split(".", 1)[0].split("[", 1)[0])
        return names


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str


_registry: dict[str, MessageTemplate] = {}


def register_template(key: str, *, subject: str | Promise, body: str | Promise) -> MessageTemplate:
    """Register a template. Registering the same key again with the same texts is a no-op (modules
    may be imported twice); with different texts it is a programming error."""
    template = MessageTemplate(key=key, subject=subject, body=body)
    existing = _registry.get(key)
    if existing is not None and (str(existing.subject), str(existing.body)) != (str(subject), str(body)):
        raise TemplateError(f"通知模板 {key} 已用不同内容注册过")
    _registry[key] = template
    return template


def get_template(key: str) -> MessageTemplate:
    try:
        return _registry[key]
    except KeyError:
        raise TemplateError(f"未注册的通知模板：{key}") from None


def registered_keys() -> list[str]:
    return sorted(_registry)


def render(key: str, context: Mapping[str, Any]) -> RenderedMessage:
    """Render in the active language; a missing context value is an error, never a blank."""
    template = get_template(key)
    missing = sorted(template.placeholders() - set(context))
    if missing:
        raise TemplateError(f"通知模板 {key} 缺少参数：{'、'.join(missing)}")
    try:
        return RenderedMessage(
            subject=str(template.subject).format(**context),
            body=str(template.body).format(**context),
        )
    except (KeyError, IndexError, AttributeError, ValueError) as exc:
        raise TemplateError(f"通知模板 {key} 渲染失败：{exc}") from exc


register_template(
    "accounts.verification_code",
    subject=_("验证码"),
    body=_("【政务服务】您的验证码为{code}，{minutes}分钟内有效。如非本人操作请忽略。"),
)
register_template(
    "accounts.account_locked",
    subject=_("账号已临时锁定"),
    body=_(
        "【政务服务】您的账号因连续多次登录失败已临时锁定，请于{minutes}分钟后再试。如非本人操作，请及时修改密码。"
    ),
)
register_template(
    "generic.message",
    # The caller supplies already-translated text.
    subject="{subject}",
    body="{body}",
)
