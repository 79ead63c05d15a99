"""A small hand-computed data set (November 2025: no public holiday; Oct 30 / 31 before it).

| case | department (region) | channel | received | accepted (due) | completed | workdays | verdict |
|------|---------------------|---------|----------|----------------|-----------|----------|---------|
| A | city market (city)  | online | Mon 11-03 | 11-03 (11-10) | Fri 11-07 | 4 | early |
| B | city market (city)  | window | Mon 11-03 | 11-04 (11-11) | Tue 11-11 | 5 | on time, not early |
| C | city market (city)  | mobile | Tue 11-04 | 11-04 (11-11) | Thu 11-13 | 7 | late |
| D | Dongcheng market    | online | Wed 11-05 | 11-05 (11-12) | open      |   |  |
| E | Xicheng market      | window | Thu 10-30 | Fri 10-31 (11-07) | Thu 11-06 | 4 | early |

November 2025, everything: received 4 (A B C D), accepted 4 (A B C D; E in October), completed 4
(A B C E); on time 3/4 = 75 %, early 2/4 = 50 %; average (4 + 5 + 7 + 4) / 4 = 5 working days;
applied online (online + mobile) 3/4 = 75 %; completed online 2/4 = 50 %.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from zhengwu.org.demo import CITY, DONGCHENG, XICHENG
from zhengwu.supervision.models import SupervisedCase
from zhengwu.supervision.tests.factories import CITY_MARKET, DC_MARKET, XC_MARKET, at, envelope, ingest

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 11, 20, 15, 0, tzinfo=SHANGHAI)
D = dt.date

CASES: dict[str, dict[str, Any]] = {
    "A": {
        "uscc": CITY_MARKET,
        "region": CITY,
        "channel": "online",
        "received": D(2025, 11, 3),
        "accepted": D(2025, 11, 3),
        "due": D(2025, 11, 10),
        "done": D(2025, 11, 7),
    },
    "B": {
        "uscc": CITY_MARKET,
        "region": CITY,
        "channel": "window",
        "received": D(2025, 11, 3),
        "accepted": D(2025, 11, 4),
        "due": D(2025, 11, 11),
        "done": D(2025, 11, 11),
    },
    "C": {
        "uscc": CITY_MARKET,
        "region": CITY,
        "channel": "mobile",
        "received": D(2025, 11, 4),
        "accepted": D(2025, 11, 4),
        "due": D(2025, 11, 11),
        "done": D(2025, 11, 13),
    },
    "D": {
        "uscc": DC_MARKET,
        "region": DONGCHENG,
        "channel": "online",
        "received": D(2025, 11, 5),
        "accepted": D(2025, 11, 5),
        "due": D(2025, 11, 12),
        "done": None,
    },
    "E": {
        "uscc": XC_MARKET,
        "region": XICHENG,
        "channel": "window",
        "received": D(2025, 10, 30),
        "accepted": D(2025, 10, 31),
        "due": D(2025, 11, 7),
        "done": D(2025, 11, 6),
    },
}


def events_of(
    name: str, spec: dict[str, Any], item_code: str = "11449900000000001X44990000001000"
) -> list[dict]:
    common = {
        "uscc": spec["uscc"],
        "region_code": spec["region"],
        "channel": spec["channel"],
        "item_code": item_code,
        "received_at": at(spec["received"], 9).isoformat(),
    }
    out = [
        envelope("case_received", case_id=name, when=at(spec["received"], 9), **common),
        envelope(
            "case_accepted",
            case_id=name,
            when=at(spec["accepted"], 10),
            status="accepted",
            accepted_on=spec["accepted"].isoformat(),
            promised_due=spec["due"].isoformat(),
            mode="normal",
            **common,
        ),
    ]
    if spec["done"]:
        out += completion(name, spec)
    return out


def completion(name: str, spec: dict[str, Any], done: dt.date | None = None) -> list[dict]:
    day = done or spec["done"]
    common = {"uscc": spec["uscc"], "region_code": spec["region"], "channel": spec["channel"]}
    return [
        envelope(
            "case_decided", case_id=name, when=at(day, 15), status="decided", decision="grant", **common
        ),
        envelope(
            "case_completed", case_id=name, when=at(day, 16), status="completed", decision="grant", **common
        ),
    ]


def ingest_all(on_day: dt.date) -> dict[str, SupervisedCase]:
    for name, spec in CASES.items():
        ingest(*events_of(name, spec), on_day=on_day)
    return {r.case_id: r for r in SupervisedCase.objects.all()}
