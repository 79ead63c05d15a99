"""SMS backends. The interface is one method:

    class MyBackend:
        def send_sms(self, phone: str, text: str) -> str:  # returns the provider's message id
            ...  # raise any exception on failure; the delivery task records it and retries

settings.SMS_BACKEND names the class (dotted path); it is instantiated without arguments.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Protocol

import requests
from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_SMS_BACKEND = "zhengwu.core.notify.backends.ConsoleSmsBackend"


class SmsBackend(Protocol):
    def send_sms(self, phone: str, text: str) -> str: ...


class SmsDeliveryError(RuntimeError):
    pass


@dataclass(frozen=True)
class SentSms:
    phone: str
    text: str
    message_id: str


# Messages "sent" by LocmemSmsBackend, oldest first; tests read and clear it.
sms_outbox: list[SentSms] = []


class ConsoleSmsBackend:
    """Development: the message goes to the log, so a developer can read verification codes."""

    def send_sms(self, phone: str, text: str) -> str:
        message_id = f"console-{uuid.uuid4().hex[:12]}"
        logger.info("SMS to %s: %s", phone, text)
        print(f"[SMS → {phone}] {text}")
        return message_id


class LocmemSmsBackend:
    def send_sms(self, phone: str, text: str) -> str:
        message_id = f"locmem-{len(sms_outbox) + 1}"
        sms_outbox.append(SentSms(phone=phone, text=text, message_id=message_id))
        return message_id


class HttpSmsBackend:
    """A generic JSON gateway: POST {"phone", "text"} with a bearer token to SMS_GATEWAY_URL.

    Any 2xx is success; the message id is read from the response's "message_id" (or "id") when
    the gateway returns JSON. Anything else raises SmsDeliveryError.
    """

    timeout_seconds = 10.0

    def __init__(self) -> None:
        self.url = getattr(settings, "SMS_GATEWAY_URL", "")
        self.token = getattr(settings, "SMS_GATEWAY_TOKEN", "")
        self.timeout = float(getattr(settings, "SMS_GATEWAY_TIMEOUT", self.timeout_seconds))

    def send_sms(self, phone: str, text: str) -> str:
        if not self.url:
            raise SmsDeliveryError("SMS_GATEWAY_URL is not configured")
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = requests.post(
                self.url, json={"phone": phone, "text": text}, headers=headers, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise SmsDeliveryError(f"gateway unreachable: {exc}") from exc
        if not 200 <= response.status_code < 300:
            raise SmsDeliveryError(f"gateway answered HTTP {response.status_code}: {response.text[:200]}")
        try:
            data = response.json()
        except ValueError:
            data = None
        if isinstance(data, dict):
            return str(data.get("message_id") or data.get("id") or "")
        return ""


def get_sms_backend() -> SmsBackend:
    backend_class = import_string(getattr(settings, "SMS_BACKEND", DEFAULT_SMS_BACKEND))
    return backend_class()
