"""The reference client against a live server: signs, batches, reports refused lines."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from zhengwu.org.demo import seed_demo
from zhengwu.supervision import exchange_client
from zhengwu.supervision.demo import DEMO_KEY_ID, DEMO_SECRET, seed_supervision_demo
from zhengwu.supervision.models import ExchangeSystem, SupervisedCase

from .test_exchange import accepted, received


@pytest.mark.django_db(transaction=True)
def test_client_sends_a_file(live_server: Any, tmp_path: Path) -> None:
    seed_demo()
    seed_supervision_demo()
    ExchangeSystem.objects.filter(key_id=DEMO_KEY_ID).update(check_item_codes=False)
    bad = received("cl2")
    bad["payload"].pop("region_code")
    lines = [received("cl1"), accepted("cl1"), bad]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in lines) + "\n", encoding="utf-8")
    url = f"{live_server.url}/api/v1/exchange/events/"
    out = io.StringIO()
    code = exchange_client.send(str(path), url=url, key_id=DEMO_KEY_ID, secret=DEMO_SECRET, batch=2, out=out)
    assert code == 1  # one line refused
    text = out.getvalue()
    assert "第 3 行" in text and "region_code" in text
    assert "接收 2 条，重复 0 条，拒绝 1 条" in text
    assert SupervisedCase.objects.get(case_id="cl1").event_count == 2
    out = io.StringIO()
    assert (
        exchange_client.main(["send", str(path), "--url", url, "--key-id", DEMO_KEY_ID, "--secret", "x"]) == 2
    )
    again = io.StringIO()
    assert exchange_client.send(str(path), url=url, key_id=DEMO_KEY_ID, secret=DEMO_SECRET, out=again) == 1
    assert "重复 2 条" in again.getvalue()
