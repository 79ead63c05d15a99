import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from zhengwu.core.notify.models import Notification
from zhengwu.core.notify.selectors import inbox_for_user, unread_count
from zhengwu.core.notify.services import notify_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user(
        username="alice", password="x-Strong-pass-1", kind="applicant"
    )


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user(username="bob", password="x-Strong-pass-1", kind="staff")


def send(user, text, when):
    with time_machine.travel(when, tick=False):
        notify_send(
            template="generic.message", context={"subject": text, "body": f"{text}的内容"}, user_id=user.pk
        )
    return Notification.objects.latest("id")


@pytest.fixture
def mail_for_both(alice, bob):
    day = dt.datetime(2025, 5, 6, 8, 0, tzinfo=dt.UTC)
    old = send(alice, "旧消息", day)
    new = send(alice, "新消息", day + dt.timedelta(hours=1))
    read = send(alice, "已读消息", day + dt.timedelta(hours=2))
    Notification.objects.filter(pk=read.pk).update(read_at=day + dt.timedelta(hours=3))
    other = send(bob, "别人的消息", day)
    return {"old": old, "new": new, "read": read, "other": other}


def test_unread_first_then_newest(alice, mail_for_both):
    assert [n.subject for n in inbox_for_user(alice.pk)] == ["新消息", "旧消息", "已读消息"]
    assert unread_count(alice.pk) == 2
    assert unread_count(None) == 0


def test_inbox_page_shows_only_own_messages(client, alice, mail_for_both):
    client.force_login(alice)
    response = client.get(reverse("notify:inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "新消息的内容" in html and "已读消息" in html
    assert "别人的消息" not in html
    assert "网上办事大厅" in html  # applicants get the portal layout


def test_staff_get_the_workbench_layout(client, bob, mail_for_both):
    client.force_login(bob)
    html = client.get(reverse("notify:inbox")).content.decode()
    assert "别人的消息" in html and "旧消息" not in html
    assert "工作台" in html


def test_mark_read(client, alice, mail_for_both):
    client.force_login(alice)
    response = client.post(reverse("notify:mark_read", args=[mail_for_both["old"].pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notify:inbox")
    assert Notification.objects.get(pk=mail_for_both["old"].pk).read_at is not None
    assert unread_count(alice.pk) == 1


def test_someone_elses_message_is_a_404(client, alice, mail_for_both):
    client.force_login(alice)
    response = client.post(reverse("notify:mark_read", args=[mail_for_both["other"].pk]))
    assert response.status_code == 404
    assert Notification.objects.get(pk=mail_for_both["other"].pk).read_at is None
    assert client.post(reverse("notify:mark_read", args=[999999])).status_code == 404


def test_mark_all_read_touches_only_own(client, alice, bob, mail_for_both):
    client.force_login(alice)
    response = client.post(reverse("notify:mark_all_read"), follow=True)
    assert "已将 2 条消息标记为已读" in response.content.decode()
    assert unread_count(alice.pk) == 0
    assert unread_count(bob.pk) == 1


def test_writes_need_post_with_csrf(alice, mail_for_both):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get(reverse("notify:mark_read", args=[mail_for_both["old"].pk])).status_code == 405
    assert client.post(reverse("notify:mark_all_read")).status_code == 403
    assert unread_count(alice.pk) == 2


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("notify:inbox"))
    assert response.status_code == 302
    assert "next=/inbox/" in response["Location"]
