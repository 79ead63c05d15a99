import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from zhengwu.core.notify.backends import HttpSmsBackend, SmsDeliveryError
from zhengwu.core.notify.models import Notification
from zhengwu.core.notify.services import notify_send


class Gateway(BaseHTTPRequestHandler):
    status = 200
    requests: list = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        type(self).requests.append(
            {"auth": self.headers.get("Authorization"), "json": json.loads(self.rfile.read(length))}
        )
        if type(self).status == 200:
            payload, content_type = json.dumps({"message_id": "gw-42"}).encode(), "application/json"
        else:
            payload, content_type = "服务内部错误".encode(), "text/plain; charset=utf-8"
        self.send_response(type(self).status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    Gateway.status = 200
    Gateway.requests = []
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "zhengwu.core.notify.backends.HttpSmsBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/sms"
    settings.SMS_GATEWAY_TOKEN = "t0ken"
    yield Gateway
    server.shutdown()
    server.server_close()


def test_posts_json_with_bearer_token(gateway):
    assert HttpSmsBackend().send_sms("13800138000", "您好") == "gw-42"
    assert gateway.requests == [{"auth": "Bearer t0ken", "json": {"phone": "13800138000", "text": "您好"}}]


def test_non_2xx_raises(gateway):
    gateway.status = 500
    with pytest.raises(SmsDeliveryError, match="HTTP 500"):
        HttpSmsBackend().send_sms("13800138000", "您好")


def test_unconfigured_or_unreachable_gateway(settings):
    settings.SMS_GATEWAY_URL = ""
    with pytest.raises(SmsDeliveryError, match="not configured"):
        HttpSmsBackend().send_sms("13800138000", "您好")
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"  # discard port: nothing listens
    with pytest.raises(SmsDeliveryError, match="unreachable"):
        HttpSmsBackend().send_sms("13800138000", "您好")


@pytest.mark.django_db
def test_delivery_through_gateway(gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_send(
            template="accounts.verification_code",
            context={"code": "654321", "minutes": 5},
            phone="13900139000",
            channels=("sms",),
        )
    row = Notification.objects.get()
    assert (row.status, row.provider_message_id) == ("sent", "gw-42")
    assert gateway.requests[0]["json"]["text"].startswith("【政务服务】您的验证码为654321")


@pytest.mark.django_db
def test_gateway_500_marks_failed_with_error(gateway, django_capture_on_commit_callbacks):
    gateway.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        notify_send(
            template="accounts.verification_code",
            context={"code": "654321", "minutes": 5},
            phone="13900139000",
            channels=("sms",),
        )
    row = Notification.objects.get()
    assert row.status == "failed"
    assert row.attempts == 3 == len(gateway.requests)
    assert row.error == "SmsDeliveryError: gateway answered HTTP 500: 服务内部错误"
    assert row.sent_at is None
