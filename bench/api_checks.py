"""CPU cost of the checks every request passes before its route (issue 13, findings 7, 8).

    .venv/bin/python bench/api_checks.py [--calls 20000] [--repeats 5]

- `HostOriginCheck` (service/api/hosts.py): the Host and Origin checks, measured as the
  middleware around an ASGI app that answers nothing, minus that app alone;
- `reject_unreadable_text` (service/api/validation.py): the search for NULs and half
  surrogate pairs in the path, the query and the (already parsed) JSON body.

CPU time of this process (time.process_time), the best of `--repeats` runs of `--calls`
calls each: the best run is the one the machine's other load disturbed least. Compare
with Yakuba's CPU per request in bench/service.py (9.4–12.0 ms on this machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

# bench/service.py would shadow the service package: the project root goes first.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.api.hosts import HostOriginCheck, HostPolicy  # noqa: E402
from service.api.validation import reject_unreadable_text  # noqa: E402
from service.settings import AuthMode  # noqa: E402

_QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか。"


async def _nothing(scope: Scope, receive: Receive, send: Send) -> None:
    return None


async def _receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _send(message: Message) -> None:
    return None


def _scope(method: str, path: str, query: bytes = b"", body: bytes = b"") -> Scope:
    headers = [
        (b"host", b"localhost:8000"),
        (b"origin", b"http://localhost:8000"),
        (b"sec-fetch-site", b"same-origin"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    return {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "headers": headers,
        "path_params": {},
    }


def _best_us(call: Callable[[], Awaitable[None]], calls: int, repeats: int) -> float:
    async def run() -> float:
        started = time.process_time()
        for _ in range(calls):
            await call()
        return time.process_time() - started

    return min(asyncio.run(run()) for _ in range(repeats)) / calls * 1e6


def _request_with_body(scope: Scope, body: bytes) -> Request:
    request = Request(scope, _receive)
    request._body = body  # as FastAPI leaves it after reading the body
    request._json = json.loads(body)
    return request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    n, r = args.calls, args.repeats

    checked = HostOriginCheck(_nothing, policy=HostPolicy.from_setting("", AuthMode.NONE))
    post = _scope("POST", "/v1/ask")
    bare = _best_us(lambda: _nothing(post, _receive, _send), n, r)
    wrapped = _best_us(lambda: checked(post, _receive, _send), n, r)

    rows = [("Host and Origin checks, POST with Origin", wrapped - bare)]
    query = _scope("GET", "/v1/admin/audit/records", query=b"text=%E5%AF%A9%E6%9F%BB&limit=50")
    get_request = Request(query, _receive)
    rows.append(
        (
            "unreadable text: GET with two query parameters",
            _best_us(partial(reject_unreadable_text, get_request), n, r),
        )
    )
    for chars in (len(_QUESTION), 8_000):
        text = (_QUESTION * (chars // len(_QUESTION) + 1))[:chars]
        body = json.dumps({"question": text, "purpose": "窓口案内"}, ensure_ascii=False)
        request = _request_with_body(_scope("POST", "/v1/ask"), body.encode())
        rows.append(
            (
                f"unreadable text: JSON body, {chars:,} characters",
                _best_us(partial(reject_unreadable_text, request), n, r),
            )
        )
    print(f"best of {r} × {n:,} calls, CPU time per call\n")
    print("| check | µs per request |\n|---|---|")
    for label, micros in rows:
        print(f"| {label} | {micros:.1f} |")


if __name__ == "__main__":
    main()
