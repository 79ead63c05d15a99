"""Reference client of the data-exchange standard (docs/api/exchange.md), standard library only.

    zhengwu-exchange send events.jsonl --url https://zw.example/api/v1/exchange/events/ \\
        --key-id zx_demo_dongcheng --secret …

Reads one event envelope per line, sends them in signed batches (default 1,000), prints one line per
refused record and a summary. Exit status: 0 all kept (accepted or already known), 1 some records
refused, 2 the request itself was refused (bad key, signature or clock) or the server is unreachable.
A batch is safe to resend: the receiver deduplicates on the event id.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from typing import Any, TextIO


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"\n" + body, hashlib.sha256).hexdigest()


def read_events(stream: TextIO) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(stream, start=1):
        text = line.strip()
        if not text:
            continue
        try:
            yield number, json.loads(text)
        except ValueError as exc:
            raise SystemExit(f"第 {number} 行不是合法的 JSON：{exc}") from None


def post_batch(
    url: str, key_id: str, secret: str, events: list[Any], timeout: float = 30.0
) -> tuple[int, dict[str, Any]]:
    body = json.dumps({"events": events}, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the operator gives the URL
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Zhengwu-Key": key_id,
            "X-Zhengwu-Timestamp": timestamp,
            "X-Zhengwu-Signature": sign(secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, json.loads(exc.read() or b"{}")
        except ValueError:
            return exc.code, {"error": exc.reason}


def send(
    path: str, *, url: str, key_id: str, secret: str, batch: int = 1000, out: TextIO = sys.stdout
) -> int:
    totals = {"accepted": 0, "duplicates": 0, "rejected": 0}
    status_code = 0
    with open(path, encoding="utf-8") if path != "-" else sys.stdin as stream:
        lines: list[int] = []
        events: list[Any] = []
        chunks: list[tuple[list[int], list[Any]]] = []
        for number, event in read_events(stream):
            lines.append(number)
            events.append(event)
            if len(events) >= batch:
                chunks.append((lines, events))
                lines, events = [], []
        if events:
            chunks.append((lines, events))
    for lines, events in chunks:
        try:
            code, answer = post_batch(url, key_id, secret, events)
        except (urllib.error.URLError, OSError) as exc:
            print(f"无法连接 {url}：{exc}", file=out)
            return 2
        if "results" not in answer:
            print(f"请求被拒绝（HTTP {code}）：{answer.get('error', '')}", file=out)
            return 2
        for key in totals:
            totals[key] += int(answer.get(key, 0))
        for row in answer["results"]:
            if row.get("status") == "rejected":
                status_code = 1
                line = lines[row["index"]] if 0 <= row.get("index", -1) < len(lines) else "?"
                print(f"第 {line} 行 {row.get('id')}：{row.get('code')} {row.get('error')}", file=out)
    print(
        f"接收 {totals['accepted']} 条，重复 {totals['duplicates']} 条，拒绝 {totals['rejected']} 条",
        file=out,
    )
    return status_code


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhengwu-exchange", description="政务数据交换参考客户端")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("send", help="报送 JSON Lines 文件中的办件事件")
    p.add_argument("file", help="每行一个事件的 .jsonl 文件（- 表示标准输入）")
    p.add_argument("--url", required=True, help="接收地址，如 https://…/api/v1/exchange/events/")
    p.add_argument("--key-id", "--key", dest="key_id", required=True, help="密钥标识")
    p.add_argument("--secret", required=True, help="签名密钥")
    p.add_argument("--batch", type=int, default=1000, help="每批条数（最多 1000）")
    args = parser.parse_args(argv)
    return send(args.file, url=args.url, key_id=args.key_id, secret=args.secret, batch=min(args.batch, 1000))


if __name__ == "__main__":
    raise SystemExit(main())
