"""Issue 13, finding 7, in a real browser: headless Chromium against Yakuba served by uvicorn
in `none` mode with the default trusted hosts.

- DNS rebinding: Chromium resolves `rebind.attacker.example` to 127.0.0.1 (as the
  attacker's DNS would after the page loaded); the audit log is not served under that name.
- Cross-site requests: a page on another origin (another port of 127.0.0.1) makes the
  browser post a multipart upload and a JSON question to Yakuba; neither is processed.
- The staff page itself still works, and the headers its requests carried are recorded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from ingest import Embedder
from tests.utils.browser import WAIT_S, headless_chromium, require_browser
from tests.utils.live import serve_in_thread, serve_yakuba

REBIND_HOST = "rebind.attacker.example"


class _SeenHeaders:
    """Outermost ASGI wrapper: records the Host, Origin and Sec-Fetch-Site of each POST."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.posts: list[dict[str, str]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            headers = {k.decode(): v.decode() for k, v in scope["headers"]}
            wanted = ("host", "origin", "referer", "sec-fetch-site")
            self.posts.append(
                {"path": scope["path"], **{k: headers[k] for k in wanted if k in headers}}
            )
        await self.app(scope, receive, send)


def _attacker_page(target: str) -> str:
    # The two forgeries a foreign page can send without CORS: a multipart upload (as a
    # <form> would) and a JSON body in no-cors mode.
    return f"""<!doctype html><meta charset="utf-8"><title>x</title><script>
const form = new FormData();
form.append("file", new Blob(["行政手続法の概要について"], {{type: "text/plain"}}), "a.txt");
Promise.allSettled([
  fetch("{target}/v1/tasks/summarize/file", {{method: "POST", mode: "no-cors", body: form}}),
  fetch("{target}/v1/ask", {{method: "POST", mode: "no-cors",
    headers: {{"Content-Type": "text/plain"}}, body: JSON.stringify({{question: "審査基準"}})}}),
]).then(() => {{ document.title = "sent"; }});
</script>"""


@pytest.fixture(scope="module")
def live(
    indexed_data_dir: Path, warm_embedder: Embedder, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, FastAPI, _SeenHeaders]]:
    require_browser()
    audit_db = tmp_path_factory.mktemp("hardening") / "audit.sqlite3"
    with serve_yakuba(indexed_data_dir, warm_embedder, audit_db) as (url, app, _llm):
        seen = _SeenHeaders(app.middleware_stack or app.build_middleware_stack())
        app.middleware_stack = seen  # type: ignore[assignment]
        yield url, app, seen


@pytest.fixture(scope="module")
def browser(live: tuple[str, FastAPI, _SeenHeaders]) -> Iterator[Any]:
    rules = f"--host-resolver-rules=MAP {REBIND_HOST} 127.0.0.1"
    with headless_chromium(window="1000,800", logging={}, extra_args=(rules,)) as driver:
        yield driver


def _records(app: FastAPI) -> int:
    return len(app.state.runtime.audit.records())


def _wait_title(driver: Any, title: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT_S).until(lambda d: d.title == title)


def test_the_staff_page_still_asks_and_sends_its_origin(
    browser: Any, live: tuple[str, FastAPI, _SeenHeaders]
) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    url, app, seen = live
    before = _records(app)
    browser.get(f"{url}/")
    WebDriverWait(browser, WAIT_S).until(lambda d: "件" in d.find_element("id", "health").text)
    browser.find_element("id", "ask-question").send_keys("行政手続法の審査基準について")
    browser.find_element("id", "submit").click()
    WebDriverWait(browser, WAIT_S).until(lambda _: _records(app) > before)
    post = next(p for p in reversed(seen.posts) if p["path"] == "/v1/ask")
    # What a same-origin fetch of a no-referrer page carries: Chromium sends the origin
    # (the Fetch standard says "null"; both pass, docs/security.md).
    assert post.get("sec-fetch-site") == "same-origin", post
    assert post.get("origin") in ("null", url), post


def test_dns_rebinding_does_not_read_the_audit_log(
    browser: Any, live: tuple[str, FastAPI, _SeenHeaders]
) -> None:
    url, app, _ = live
    port = urlsplit(url).port
    browser.get(f"{url}/v1/admin/audit/records")  # the real name: served
    assert '"records"' in browser.find_element("tag name", "body").text
    browser.get(f"http://{REBIND_HOST}:{port}/v1/admin/audit/records")
    body = browser.find_element("tag name", "body").text
    assert "untrusted_host" in body and '"records"' not in body


def test_a_foreign_page_cannot_post_to_yakuba(
    browser: Any, live: tuple[str, FastAPI, _SeenHeaders]
) -> None:
    url, app, seen = live
    attacker = FastAPI()
    attacker.add_api_route("/", lambda: HTMLResponse(_attacker_page(url)), methods=["GET"])
    before_records, before_posts = _records(app), len(seen.posts)
    with serve_in_thread(attacker) as attacker_url:
        browser.get(f"{attacker_url}/")
        _wait_title(browser, "sent")
    time.sleep(0.5)  # the requests have been answered when the fetches settled
    forged = seen.posts[before_posts:]
    assert {p["path"] for p in forged} == {"/v1/tasks/summarize/file", "/v1/ask"}, forged
    assert all(p.get("origin") == attacker_url for p in forged), forged
    assert _records(app) == before_records  # neither reached the assistant
