#!/usr/bin/env python3
# ruff: noqa: E501  (a data file: the schema descriptions read better on one line)
"""Writes docs/api/events/cases.*.json: one schema per case event, sharing the common case fields.

    python3 scripts/gen_case_event_schemas.py

The common fields are what zhengwu.cases.services._base.case_payload() sends; an external approval
system reporting through /api/v1/exchange/ sends the same (docs/api/exchange.md).
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "docs" / "api" / "events"
DATE = {"type": ["string", "null"], "format": "date"}
STR = {"type": "string"}
INT = {"type": "integer", "minimum": 0}

COMMON = {
    "case_number": {**STR, "minLength": 1, "maxLength": 48, "description": "办件编号：实施编码 + yyyymmdd + 4 位流水号"},
    "case_id": {**STR, "description": "办件唯一标识（UUID 或外部系统的办件标识）"},
    "item_code": {**STR, "minLength": 1, "maxLength": 40, "description": "事项实施编码"},
    "item_name": {**STR, "description": "事项名称"},
    "item_version_id": {"type": ["integer", "null"], "description": "申请时适用的事项版本"},
    "department_id": {"type": ["integer", "null"], "description": "实施部门标识（外部系统可只填 department_uscc）"},
    "department_uscc": {**STR, "pattern": "^[0-9A-HJ-NPQRTUWXY]{18}$", "description": "实施部门统一社会信用代码"},
    "region_code": {**STR, "pattern": "^[0-9]{12}$", "description": "区划代码"},
    "channel": {**STR, "description": "申请渠道：online / window / mobile / post / kiosk / exchange"},
    "status": {**STR, "description": "事件发生后的办件状态"},
    "bundle_number": {"type": ["string", "null"], "description": "所属一件事编号"},
    "received_at": {"type": ["string", "null"], "format": "date-time", "description": "收件时间"},
    "accepted_on": {**DATE, "description": "受理日期（补正告知逾期时为收件日）"},
    "acceptance_due": {**DATE, "description": "受理期限（收件后 5 个工作日）"},
    "promised_due": {**DATE, "description": "承诺办结期限"},
    "statutory_due": {**DATE, "description": "法定办结期限"},
    "delivery_due": {**DATE, "description": "送达期限（决定后 10 个工作日）"},
    "suspended_workdays": {**INT, "description": "特别程序累计工作日（不计入办理时限）"},
    "extension_workdays": {**INT, "description": "经批准延长的工作日"},
}
REQUIRED = ["case_number", "case_id", "item_code", "region_code", "status"]

EVENTS: dict[str, tuple[str, str, dict, list[str]]] = {
    "case_received": ("收件", "An application was received (online submission or window intake); the 5-working-day acceptance clock starts.",
                      {"applicant_kind": STR, "green_channel": {"type": "boolean"}, "window_id": {"type": ["integer", "null"]}}, ["received_at"]),
    "case_accepted": ("受理", "The case was accepted (一般受理, 告知承诺 or 即办); the decision clock starts on accepted_on.",
                      {"mode": {"enum": ["normal", "commitment", "immediate", "deficiency"]}, "window_id": {"type": ["integer", "null"]}}, ["accepted_on", "mode"]),
    "case_rejected": ("不予受理", "The application was refused with reasons, legal basis and remedies.",
                      {"reasons": {"type": "array", "items": STR}}, []),
    "case_supplement_requested": ("一次性告知补正", "A supplement notice listed every missing or defective material at once.",
                                  {"round": INT, "materials": {"type": "array", "items": STR}, "late": {"type": "boolean", "description": "逾期告知：视为收件日受理"}}, ["round"]),
    "case_supplement_received": ("补正材料已提交", "The applicant supplied the materials of a supplement notice.", {"round": INT}, ["round"]),
    "case_accepted_with_deficiency": ("容缺受理", "Accepted although deferrable materials are missing, on a signed commitment to supply them by deficiency_due.",
                                      {"deferred_materials": {"type": "array", "items": STR}, "deficiency_due": DATE}, ["accepted_on", "deficiency_due"]),
    "case_deficiency_supplied": ("容缺材料已补齐", "The deferred materials of a deficiency acceptance were supplied.", {}, []),
    "case_suspended": ("特别程序开始", "A special procedure started; the clock stops.",
                       {"kind": STR, "expected_workdays": INT, "started_on": DATE}, ["kind", "started_on"]),
    "case_resumed": ("特别程序结束", "The special procedure ended; the clock runs again and the deadlines moved by its working days.",
                     {"kind": STR, "ended_on": DATE, "workdays": INT}, ["ended_on", "workdays"]),
    "case_extended": ("延期", "The department head approved an extension of the decision limit.",
                      {"workdays": INT, "reason": STR}, ["workdays"]),
    "case_step_completed": ("环节办理完成", "A review step was completed with an opinion.",
                            {"step_order": INT, "step_name": STR, "stage": STR, "opinion": STR, "step_due": DATE}, ["step_name", "stage"]),
    "case_step_returned": ("退回上一环节", "A step was sent back to the previous step.", {"step_order": INT, "step_name": STR}, ["step_name"]),
    "case_decided": ("作出决定", "The decision (准予 / 不予) was made; the delivery clock starts.",
                     {"decision": {"enum": ["grant", "deny"]}, "decided_at": {**STR, "format": "date-time"}}, ["decision"]),
    "case_completed": ("办结", "The case was completed (办结): result documents are ready.", {"decision": STR}, []),
    "case_delivered": ("送达", "The result was delivered: window pick-up, post or electronic.",
                       {"method": {"enum": ["window", "post", "electronic"]}, "tracking_number": STR}, ["method"]),
    "case_withdrawn": ("撤回申请", "The applicant withdrew the application.", {}, []),
    "case_terminated": ("终止办理", "The case was terminated (e.g. a deferred material not supplied by its date).", {"reason": STR}, ["reason"]),
    "case_deemed_consent": ("超时默认同意", "In a bundle, a department gave no opinion within its limit and is recorded as consenting.",
                            {"step_name": STR, "step_department_id": {"type": ["integer", "null"]}}, []),
}


def main() -> None:
    for name, (title, description, extra, required) in EVENTS.items():
        event_type = f"cases.{name}"
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://zhengwu.example/api/events/{event_type}.json",
            "title": f"{title} {event_type}",
            "description": f"{description} Aggregate: cases.case (the case id).",
            "$ref": "envelope.json",
            "properties": {
                "type": {"const": event_type},
                "payload": {
                    "type": "object",
                    "required": REQUIRED + [r for r in required if r not in REQUIRED],
                    "properties": {**COMMON, **extra},
                },
            },
        }
        (OUT / f"{event_type}.json").write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(EVENTS)} schemas written to {OUT}")


if __name__ == "__main__":
    main()
