from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwu.core.events.models import Delivery, Event
from zhengwu.core.events.services import emit


@pytest.fixture
def failed_delivery(recorder, settings, django_capture_on_commit_callbacks):
    settings.EVENTS_MAX_ATTEMPTS = 1
    recorder.fail_with = RuntimeError("网关超时")
    with django_capture_on_commit_callbacks(execute=True):
        emit("test.thing_happened", {"n": 1}, aggregate_type="test.thing", aggregate_id=1)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    recorder.fail_with = None
    return delivery


@pytest.mark.django_db
def test_failed_deliveries_are_listed_and_filterable(admin_client, failed_delivery):
    url = reverse("admin:core_events_delivery_changelist")
    page = admin_client.get(url, {"status__exact": "failed"}).content.decode()
    assert "tests.recorder" in page
    assert "网关超时" in page
    assert "重新投递" in page
    assert admin_client.get(url, {"status__exact": "failed"}).context["cl"].result_count == 1
    assert admin_client.get(url, {"status__exact": "done"}).context["cl"].result_count == 0


@pytest.mark.django_db
def test_events_are_read_only(admin_client, failed_delivery):
    event = Event.objects.get()
    assert (
        admin_client.get(reverse("admin:core_events_event_changelist"), {"type": event.type}).status_code
        == 200
    )
    detail = admin_client.get(reverse("admin:core_events_event_change", args=[event.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert admin_client.get(reverse("admin:core_events_event_add")).status_code == 403
    assert admin_client.post(reverse("admin:core_events_event_delete", args=[event.pk])).status_code == 403


@pytest.mark.django_db
def test_replay_action_reruns_failed_delivery(
    admin_client, recorder, failed_delivery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:core_events_delivery_changelist"),
            {"action": "replay", "_selected_action": [failed_delivery.pk]},
            follow=True,
        )
    assert response.status_code == 200
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == "done"
    assert len(recorder.calls) == 2


@pytest.mark.django_db
def test_replay_from_the_event_list(
    admin_client, recorder, failed_delivery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:core_events_event_changelist"),
            {"action": "replay", "_selected_action": [str(failed_delivery.event_id)]},
        )
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == "done"


@pytest.mark.django_db
def test_staff_without_permission_cannot_replay(client, django_user_model, failed_delivery):
    user = django_user_model.objects.create_user(username="viewer", password="x-Long-pass-1", is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="view_delivery"))
    client.force_login(user)
    page = client.get(reverse("admin:core_events_delivery_changelist")).content.decode()
    assert "tests.recorder" in page
    assert 'value="replay"' not in page
