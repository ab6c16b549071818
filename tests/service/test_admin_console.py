"""The administrators' console (`/admin/`): its headers and assets, and the page itself in
headless Chromium against the real app (uvicorn) in trusted-proxy header mode.

Records are made the way production makes them: staff of three departments call the real
API through "the proxy" (the test adds the proxy's headers), some asking with a personal
number the guard blocks. The browser plays an auditor behind the same proxy: Chrome adds
the headers to every request it sends (DevTools `Network.setExtraHTTPHeaders`).

Needs Debian's `chromium` and `chromium-driver` like tests/service/test_web_page.py:
skipped locally without them, failed in CI (CI=true). Screenshots go to
tests/service/screenshots/ (admin-*.png) and are listed in the terminal summary.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from ingest import Embedder
from service.audit import AuditRecord, AuditStore
from service.main import create_app
from service.settings import Settings
from tests.utils.browser import WAIT_S, headless_chromium, require_browser
from tests.utils.live import serve_yakuba

from .test_web_page import SCREENSHOTS, _Screenshots

STATIC = Path(__file__).resolve().parents[2] / "service" / "static"
MY_NUMBER = "123456789018"
QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"


# -- the page as served (no browser) ---------------------------------------------------------


def test_console_is_served_with_a_strict_policy_and_local_assets(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        response = client.get("/admin/")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        urls = re.findall(r'(?:src|href)="([^"]+)"', response.text)
        assets = {"/static/app/admin.js", "/static/app/base.css", "/static/app/admin.css"}
        assert assets <= set(urls)
        assert all(re.match(r"^(/([^/]|$)|#)", u) for u in urls), urls  # nothing from elsewhere
        for asset in sorted(assets):
            served = client.get(asset)
            assert served.status_code == 200, asset
            assert "default-src 'self'" in served.headers["content-security-policy"]
        redirect = client.get("/admin", follow_redirects=False)
        assert redirect.status_code == 308 and redirect.headers["location"] == "/admin/"
        assert "/admin/" not in client.get("/openapi.json").json()["paths"]


def test_console_scripts_never_render_markup_nor_inline_code() -> None:
    script = (STATIC / "admin.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    css = "".join((STATIC / f).read_text(encoding="utf-8") for f in ("base.css", "admin.css"))
    html = (STATIC / "admin.html").read_text(encoding="utf-8")
    assert not re.search(r"https?://", script.replace("http://www.w3.org/2000/svg", "") + css)
    # CSP forbids inline scripts, handlers and styles: none in the page
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\son[a-z]+=|\sstyle=|<style", html)


# -- the console in headless Chromium ---------------------------------------------------------

STAFF = [
    ("sato", "市民課"),
    ("suzuki", "市民課"),
    ("kato", "税務課"),
    ("ito", "総務課"),
]
AUDITOR = ("kansa", "情報政策課", "auditor")


def _proxy_headers(user: str, department: str, role: str = "staff") -> dict[str, str]:
    # What the SSO proxy sends; the department percent-encoded (headers are Latin-1).
    return {
        "X-Yakuba-User": user,
        "X-Yakuba-Department": quote(department),
        "X-Yakuba-Role": role,
    }


@dataclass
class Console:
    url: str
    app: FastAPI
    blocked_ids: list[int]

    @property
    def store(self) -> AuditStore:
        store: AuditStore = self.app.state.runtime.audit
        return store


def _make_records(url: str) -> list[int]:
    """Real requests through the real API: answered, blocked (a personal number), a task,
    and feedback on one answer."""
    blocked: list[int] = []
    with httpx.Client(base_url=url, timeout=60) as http:
        for n, (user, dept) in enumerate(STAFF):
            headers = _proxy_headers(user, dept)
            answered = http.post("/v1/ask", json={"question": QUESTION}, headers=headers)
            assert answered.status_code == 200, answered.text
            if n == 0:
                feedback = http.post(
                    "/v1/feedback",
                    json={
                        "audit_id": answered.json()["audit_id"],
                        "rating": "up",
                        "comment": "助かりました",
                    },
                    headers=headers,
                )
                assert feedback.status_code == 201, feedback.text
            if n % 2 == 0:
                refused = http.post(
                    "/v1/ask",
                    json={"question": f"マイナンバー {MY_NUMBER} の方の申請の審査基準を教えて"},
                    headers=headers,
                )
                assert refused.json()["status"] == "blocked", refused.text
                blocked.append(refused.json()["audit_id"])
        summary = http.post(
            "/v1/tasks/summarize",
            json={"text": "第3回会議では、図書館の開館時間を延長する案を承認した。"},
            headers=_proxy_headers("kato", "税務課"),
        )
        assert summary.status_code == 200, summary.text
    return blocked


@pytest.fixture(scope="module")
def console(
    indexed_data_dir: Path, warm_embedder: Embedder, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Console]:
    require_browser()
    with serve_yakuba(
        indexed_data_dir,
        warm_embedder,
        tmp_path_factory.mktemp("console") / "audit.sqlite3",
        auth_mode="header",
        auth_trusted_proxies="127.0.0.1",
        quota_user_requests_per_day=20,
        quota_department_requests_per_day=100,
        quota_user_tokens_per_month=100_000,
    ) as (url, app, _):
        yield Console(url, app, _make_records(url))


@pytest.fixture(scope="module")
def browser(console: Console) -> Iterator[Any]:
    with headless_chromium(window="1400,1000", logging={"browser": "ALL"}) as driver:
        driver.execute_cdp_cmd("Network.enable", {})
        yield driver


@pytest.fixture(scope="module")
def screenshots(request: pytest.FixtureRequest) -> _Screenshots:
    SCREENSHOTS.mkdir(exist_ok=True)
    report = _Screenshots(SCREENSHOTS)
    request.config.pluginmanager.register(report, f"yakuba-console-screenshots-{id(report)}")
    return report


@pytest.fixture
def shot(browser: Any, screenshots: _Screenshots) -> Callable[[str], Path]:
    import base64

    def take(name: str) -> Path:
        size = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 8000)}
        image = browser.execute_cdp_cmd(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "clip": {**clip, "scale": 1}},
        )
        path = screenshots.folder / f"{name}.png"
        path.write_bytes(base64.b64decode(image["data"]))
        screenshots.files.append(path)
        return path

    return take


def _open_as(browser: Any, console: Console, user: str, department: str, role: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_cdp_cmd(
        "Network.setExtraHTTPHeaders", {"headers": _proxy_headers(user, department, role)}
    )
    browser.get(f"{console.url}/admin/")
    WebDriverWait(browser, WAIT_S).until(lambda d: "ログイン中" in d.find_element("id", "who").text)


@pytest.fixture
def page(browser: Any, console: Console) -> Any:
    """The console as the auditor sees it, once everything has loaded."""
    from selenium.webdriver.support.ui import WebDriverWait

    _open_as(browser, console, *AUDITOR)
    WebDriverWait(browser, WAIT_S).until(
        lambda d: d.find_element("tag name", "body").get_attribute("data-ready") == "true"
    )
    return browser


def _rows(driver: Any) -> list[Any]:
    return list(driver.find_elements("css selector", "#records-body tr"))


def _no_personal_number(driver: Any) -> None:
    assert MY_NUMBER not in driver.page_source
    assert MY_NUMBER not in driver.find_element("tag name", "body").text


def _no_policy_violations(driver: Any) -> None:
    problems = [
        e["message"]
        for e in driver.get_log("browser")
        if e["level"] == "SEVERE" or "Content Security Policy" in e["message"]
    ]
    assert not problems, problems


def test_console_shows_the_log_charts_and_blocked_types(
    page: Any, console: Console, shot: Callable[[str], Path]
) -> None:
    total = console.store.count()
    assert total == 7  # 4 answers, 2 blocks, 1 summary; the auditor's reads are not logged
    rows = _rows(page)
    assert len(rows) == total
    first = rows[0].find_elements("css selector", "td")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", first[0].text)  # JST, as recorded
    assert first[1].text == "kato" and first[2].text == "税務課" and first[4].text == "要約"
    blocked_rows = [r for r in rows if "遮断" in r.text]
    assert len(blocked_rows) == 2
    assert all("マイナンバー×1" in r.text for r in blocked_rows)
    # totals and charts, drawn by the page itself (SVG)
    totals = page.find_element("id", "totals").text
    assert f"合計\n{total} 件" in totals and "遮断\n2 件" in totals
    assert len(page.find_elements("css selector", "#chart-day svg rect.bar")) >= 1
    departments = page.find_element("css selector", "#chart-department svg").get_attribute(
        "aria-label"
    )
    assert "市民課 3件" in departments and "税務課 3件" in departments
    assert "総務課 1件" in departments
    tasks = page.find_element("css selector", "#chart-task svg").text
    assert "質問" in tasks and "要約" in tasks
    assert page.find_elements("css selector", "#chart-findings svg rect.bar")
    # blocked events by entity type, with the guard's Japanese labels
    findings = page.find_element("css selector", '#findings-body tr[data-type="MY_NUMBER"]')
    cells = [c.text for c in findings.find_elements("css selector", "th, td")]
    assert cells == ["マイナンバー", "2", "0"]
    # quotas: the proxy's users were metered (the auditor's console reads are not)
    departments_quota = page.find_element("id", "quota-departments").text
    assert "市民課" in departments_quota and "/ 100 回" in departments_quota
    users_quota = page.find_element("id", "quota-users").text
    assert "sato" in users_quota and "kansa" not in users_quota
    assert "まだ検証していません" in page.find_element("id", "chain-status").text
    _no_personal_number(page)
    _no_policy_violations(page)
    shot("admin-1-overview")


def test_console_filters_and_opens_a_record(
    page: Any, console: Console, shot: Callable[[str], Path]
) -> None:
    from selenium.webdriver.support.ui import Select, WebDriverWait

    Select(page.find_element("id", "f-status")).select_by_value("blocked")
    page.find_element("id", "f-department").send_keys("市民課")
    page.find_element("id", "search").click()
    WebDriverWait(page, WAIT_S).until(
        lambda d: len(_rows(d)) == 1 and "1 件を表示" in d.find_element("id", "records-status").text
    )
    [row] = _rows(page)
    assert "sato" in row.text and "遮断" in row.text
    assert "合計\n1 件" in page.find_element("id", "totals").text
    # the export links carry the same filter
    href = page.find_element("id", "export-csv").get_attribute("href")
    assert "status=blocked" in href and "format=csv" in href
    row.find_element("css selector", "button").click()
    WebDriverWait(page, WAIT_S).until(lambda d: d.find_element("id", "detail").is_displayed())
    detail = page.find_element("id", "detail")
    assert f"記録 #{console.blocked_ids[0]}" in detail.text
    prompt = page.find_element("id", "detail-prompt").text
    assert "<マイナンバー>" in prompt and MY_NUMBER not in prompt
    fields = page.find_element("id", "detail-fields").text
    assert "市民課" in fields and "遮断" in fields and "マイナンバー×1" in fields
    _no_personal_number(page)
    shot("admin-2-blocked-record")
    # a plain answered record: sources, model, tokens, feedback
    page.find_element("id", "clear").click()
    WebDriverWait(page, WAIT_S).until(lambda d: len(_rows(d)) == 7)
    page.find_element("id", "f-user").send_keys("sato")
    Select(page.find_element("id", "f-status")).select_by_value("allowed")
    page.find_element("id", "search").click()
    WebDriverWait(page, WAIT_S).until(lambda d: len(_rows(d)) == 1)
    _rows(page)[0].find_element("css selector", "button").click()
    WebDriverWait(page, WAIT_S).until(
        lambda d: (
            d.find_element("id", "detail").is_displayed()
            and "助かりました" in d.find_element("id", "detail-feedback").text
        )
    )
    assert "行政手続法" in page.find_element("id", "detail-sources").text
    assert "test-model" in page.find_element("id", "detail-fields").text
    assert "【テスト応答】" in page.find_element("id", "detail-answer").text
    _no_policy_violations(page)
    shot("admin-3-answered-record")


def test_console_pages_through_the_log(page: Any, console: Console) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    from .test_audit_store import entry

    # Enough records of one more department for two pages of 20 (straight into the
    # store: the page's paging is what is tested here).
    for n in range(25):
        console.store.append(
            entry(1000 + n, department="企画課", user=f"k{n:02d}", channel="batch")
        )
    page.find_element("id", "f-department").send_keys("企画課")
    page.find_element("id", "search").click()
    WebDriverWait(page, WAIT_S).until(lambda d: len(_rows(d)) == 20)
    first_page = [r.get_attribute("data-id") for r in _rows(page)]
    assert page.find_element("id", "prev-page").get_attribute("disabled") is not None
    page.find_element("id", "next-page").click()
    WebDriverWait(page, WAIT_S).until(lambda d: len(_rows(d)) == 5)
    second_page = [r.get_attribute("data-id") for r in _rows(page)]
    assert not set(first_page) & set(second_page)
    assert "2 ページ目" in page.find_element("id", "page-info").text
    assert page.find_element("id", "next-page").get_attribute("disabled") is not None
    page.find_element("id", "prev-page").click()
    WebDriverWait(page, WAIT_S).until(lambda d: len(_rows(d)) == 20)
    assert [r.get_attribute("data-id") for r in _rows(page)] == first_page
    assert "一括処理" in _rows(page)[0].text


def test_export_through_the_proxy_never_holds_the_number(console: Console) -> None:
    headers = _proxy_headers(*AUDITOR)
    with httpx.Client(base_url=console.url, timeout=60) as http:
        csv_file = http.get("/v1/admin/audit/export?format=csv", headers=headers)
        staff = http.get(
            "/v1/admin/audit/export?format=csv", headers=_proxy_headers("sato", "市民課")
        )
    assert csv_file.status_code == 200 and csv_file.content.startswith("\ufeff".encode())
    assert MY_NUMBER.encode() not in csv_file.content
    assert "<マイナンバー>" in csv_file.content.decode("utf-8-sig")
    assert staff.status_code == 403


def test_staff_are_told_the_console_is_not_theirs(browser: Any, console: Console) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    _open_as(browser, console, "sato", "市民課", "staff")
    WebDriverWait(browser, WAIT_S).until(lambda d: d.find_element("id", "denied").is_displayed())
    assert "監査担当者・管理者用" in browser.find_element("id", "denied").text
    assert _rows(browser) == []
    _no_personal_number(browser)


def test_console_verifies_the_chain_and_names_a_tampered_record(
    page: Any, console: Console, shot: Callable[[str], Path]
) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    page.find_element("id", "verify").click()
    WebDriverWait(page, WAIT_S).until(
        lambda d: "異常なし" in d.find_element("id", "chain-status").text
    )
    checked = console.store.count()
    assert f"{checked} 件を検証" in page.find_element("id", "chain-status").text
    target = console.blocked_ids[-1]
    with console.store.session() as session, session.begin():
        session.execute(
            update(AuditRecord).where(AuditRecord.id == target).values(status="allowed")
        )
    page.find_element("id", "verify").click()
    WebDriverWait(page, WAIT_S).until(
        lambda d: "改ざんの疑い" in d.find_element("id", "chain-status").text
    )
    breaks = page.find_element("id", "chain-breaks").text
    assert f"記録 {target}" in breaks and "書き換え" in breaks
    # the last result is shown again on the next visit, without checking again
    page.refresh()
    WebDriverWait(page, WAIT_S).until(
        lambda d: "改ざんの疑い" in d.find_element("id", "chain-status").text
    )
    page.find_element("id", "chain-title").location_once_scrolled_into_view  # noqa: B018
    _no_policy_violations(page)
    shot("admin-4-tampered-chain")


# -- the public register ------------------------------------------------------------------

YAIZU = Path(__file__).resolve().parents[2] / "bench" / "guard_eval" / "data" / "yaizu"
CENTRE_PHONE = "054-293-7474"  # 子育て支援センター　みなみ, as 焼津市 publishes it
ADMIN = ("kanri", "情報政策課", "admin")


def _register_facilities(console: Console) -> None:
    """What `yakuba ingest` of 焼津市's child-rearing centres list harvests (credit
    焼津市): the rows' names, addresses and numbers, located by row."""
    import csv

    from guardrails import make_entry

    runtime = console.app.state.runtime
    source = "yaizu/222127_child_rearing_support_center.csv"
    entries = []
    path = YAIZU / "222127_child_rearing_support_center.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            for kind, column in (
                ("ORGANIZATION", "名称"),
                ("ADDRESS", "住所"),
                ("PHONE_NUMBER", "電話番号"),
            ):
                made = make_entry(kind, row[column], source=source, locator=f"行{line}")
                if made is not None:
                    entries.append(made)
    runtime.register_store.replace_document(source, "yaizu-e2393df", entries)
    runtime.register_sync.refresh()


def _ask_status(console: Console, question: str) -> str:
    with httpx.Client(base_url=console.url, timeout=60) as http:
        response = http.post(
            "/v1/ask", json={"question": question}, headers=_proxy_headers("sato", "市民課")
        )
    assert response.status_code == 200, response.text
    return str(response.json()["status"])


def test_console_shows_the_register_and_an_administrator_revokes_a_number(
    browser: Any, console: Console, shot: Callable[[str], Path]
) -> None:
    from selenium.webdriver.support.ui import Select, WebDriverWait

    _register_facilities(console)
    prompt = f"折り返しは{CENTRE_PHONE}へお願いします、と来館者に伝える文を作って"
    assert _ask_status(console, prompt) != "blocked"  # public: the register says so

    _open_as(browser, console, *ADMIN)
    WebDriverWait(browser, WAIT_S).until(
        lambda d: d.find_element("tag name", "body").get_attribute("data-ready") == "true"
    )
    totals = browser.find_element("id", "register-totals").text
    assert "電話番号" in totals and "住所" in totals and "施設・組織名" in totals
    assert len(browser.find_elements("css selector", "#register-body tr")) == 20  # a page
    Select(browser.find_element("id", "r-kind")).select_by_value("PHONE_NUMBER")
    browser.find_element("id", "r-text").send_keys("293-7474")
    browser.find_element("id", "register-search").click()
    WebDriverWait(browser, WAIT_S).until(
        lambda d: len(d.find_elements("css selector", "#register-body tr")) == 1
    )
    [row] = browser.find_elements("css selector", "#register-body tr")
    assert CENTRE_PHONE in row.text and "child_rearing" in row.text and "有効" in row.text
    row.find_element("css selector", "button[data-action=revoke]").click()
    WebDriverWait(browser, WAIT_S).until(
        lambda d: "取り消しました" in d.find_element("id", "register-status").text
    )
    [row] = browser.find_elements("css selector", "#register-body tr")
    assert "取り消し済み（kanri" in row.text
    assert row.find_element("css selector", "button[data-action=restore]")
    browser.find_element("id", "register-title").location_once_scrolled_into_view  # noqa: B018
    _no_policy_violations(browser)
    shot("admin-5-register-revoked")
    # the running service's guard blocks the number now, without a restart
    assert _ask_status(console, prompt) == "blocked"


def test_auditors_see_the_register_without_the_buttons(page: Any) -> None:
    rows = page.find_elements("css selector", "#register-body tr")
    assert rows and not page.find_elements("css selector", "#register-body button")
