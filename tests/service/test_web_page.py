"""The staff web page: its headers and assets, and the page itself driven in headless
Chromium against the real app (uvicorn) and the recording test LLM.

The browser tests need Debian's `chromium` and `chromium-driver` (scripts/test.sh installs
them). Without them they are skipped locally and fail in CI (CI=true). Screenshots go to
tests/service/screenshots/; the folder is printed in the terminal summary.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, get_args
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ingest import Embedder
from service.main import create_app
from service.pipeline.prompting import DraftKind, Length, SummaryFormat, TargetLanguage, Tone
from service.runtime import Runtime
from service.settings import Settings
from tests.service.placeholder_support import ADDRESS, LETTER, NAME, PHONE, VALUES, letter_reply
from tests.utils.browser import WAIT_S, headless_chromium, require_browser
from tests.utils.live import serve_yakuba
from tests.utils.llm_server import RecordingLLMServer

SCREENSHOTS = Path(__file__).parent / "screenshots"
QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"
MY_NUMBER = "123456789018"
STATIC = Path(__file__).resolve().parents[2] / "service" / "static"


# -- the page as served (no browser) --------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.urls += [v for k, v in attrs if k in ("src", "href", "action") and v]
        if tag == "select":
            self._select = a.get("id")
            self.options[self._select or ""] = []
        elif tag == "option" and self._select:
            self.options[self._select].append(a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


@pytest.fixture
def page_client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


def _parsed(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_page_is_served_with_a_strict_policy_and_local_assets(page_client: TestClient) -> None:
    response = page_client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    urls = _parsed(response.text).urls
    assets = [u for u in urls if u.startswith("/static/app/")]
    assert {"/static/app/app.js", "/static/app/base.css", "/static/app/app.css"} <= set(assets)
    # Nothing from another origin: every URL is a path on this server or an anchor.
    assert all(re.match(r"^(/[^/]|#)", u) for u in urls), urls
    for asset in assets:
        served = page_client.get(asset)
        assert served.status_code == 200, asset
        assert served.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'self'" in served.headers["content-security-policy"]
    assert "/static/app/" not in page_client.get("/openapi.json").text


def test_page_choices_are_the_api_choices() -> None:
    options = _parsed((STATIC / "index.html").read_text(encoding="utf-8")).options
    assert options["draft-kind"] == list(get_args(DraftKind))
    assert options["draft-tone"] == list(get_args(Tone))
    assert options["draft-length"] == options["summarize-length"] == list(get_args(Length))
    assert options["summarize-format"] == list(get_args(SummaryFormat))
    assert sorted(options["translate-target"]) == sorted(get_args(TargetLanguage))


def test_page_scripts_never_render_markup() -> None:
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    styles = "".join((STATIC / f).read_text(encoding="utf-8") for f in ("base.css", "app.css"))
    assert not re.search(r"https?://", script + styles)


# -- the page in headless Chromium ---------------------------------------------------------


@dataclass
class _Screenshots:
    """A pytest plugin object: lists the screenshots in the terminal summary."""

    folder: Path
    files: list[Path] = field(default_factory=list)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.files:
            return
        terminalreporter.write_sep("-", "web page screenshots")
        terminalreporter.write_line(f"{len(self.files)} screenshot(s) in {self.folder}:")
        for path in self.files:
            terminalreporter.write_line(f"  {path.name}")


@pytest.fixture(scope="module")
def screenshots(request: pytest.FixtureRequest) -> _Screenshots:
    SCREENSHOTS.mkdir(exist_ok=True)
    report = _Screenshots(SCREENSHOTS)
    request.config.pluginmanager.register(report, f"yakuba-web-screenshots-{id(report)}")
    return report


@pytest.fixture
def shot(
    browser: Any, screenshots: _Screenshots, record_property: Callable[[str, object], None]
) -> Callable[[str], Path]:
    def take(name: str) -> Path:
        # The whole page, not only the window (Chrome DevTools Protocol).
        size = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 6000)}
        image = browser.execute_cdp_cmd(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "clip": {**clip, "scale": 1}},
        )
        path = screenshots.folder / f"{name}.png"
        path.write_bytes(base64.b64decode(image["data"]))
        screenshots.files.append(path)
        record_property(f"screenshot:{name}", str(path))
        return path

    return take


@dataclass
class LiveApp:
    url: str
    app: FastAPI
    llm: RecordingLLMServer

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime


@pytest.fixture(scope="module")
def live_app(
    indexed_data_dir: Path, warm_embedder: Embedder, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApp]:
    require_browser()
    with serve_yakuba(
        indexed_data_dir, warm_embedder, tmp_path_factory.mktemp("web") / "audit.sqlite3"
    ) as (url, app, llm):
        yield LiveApp(url, app, llm)


@pytest.fixture(scope="module")
def browser(live_app: LiveApp) -> Iterator[Any]:
    with headless_chromium(
        window="1280,1000", logging={"performance": "ALL", "browser": "ALL"}
    ) as driver:
        yield driver


@pytest.fixture(scope="module")
def traffic(browser: Any) -> Callable[[], list[str]]:
    """Every URL the page requested so far (Chrome's performance log, Network domain)."""
    seen: list[str] = []

    def urls() -> list[str]:
        for entry in browser.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            params = message.get("params", {})
            if message.get("method") == "Network.requestWillBeSent":
                seen.append(params["request"]["url"])
            elif message.get("method") == "Network.webSocketCreated":
                seen.append(params["url"])
        return list(seen)

    return urls


@pytest.fixture
def page(browser: Any, live_app: LiveApp, traffic: Callable[[], list[str]]) -> Iterator[Any]:
    """The page freshly loaded, once it has checked the server's health."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_window_size(1280, 1000)
    browser.get(f"{live_app.url}/")
    WebDriverWait(browser, WAIT_S).until(lambda d: "件" in d.find_element("id", "health").text)
    live_app.llm.clear()
    yield browser
    traffic()  # drain the log after each test, so nothing is lost between tests


def _choose_task(driver: Any, task: str) -> None:
    driver.find_element("css selector", f'input[name="task"][value="{task}"]').click()


def _fill(driver: Any, element_id: str, text: str) -> None:
    field = driver.find_element("id", element_id)
    field.clear()
    field.send_keys(text)


def _select(driver: Any, element_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", element_id)).select_by_value(value)


def _submit(driver: Any, *, keyboard: bool = False) -> Any:
    """Sends the form and waits for the new turn to finish; returns its answer element."""
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    before = len(driver.find_elements("css selector", "article.turn"))
    if keyboard:
        driver.switch_to.active_element.send_keys(Keys.CONTROL, Keys.ENTER)
    else:
        driver.find_element("id", "submit").click()

    def finished(d: Any) -> Any:
        turns = d.find_elements("css selector", "article.turn")
        if len(turns) > before and turns[-1].get_attribute("aria-busy") == "false":
            return turns[-1]
        return False

    turn = WebDriverWait(driver, WAIT_S).until(finished)
    return turn.find_element("css selector", ".answer")


def test_question_is_answered_with_numbered_citations(
    page: Any, live_app: LiveApp, shot: Any
) -> None:
    _fill(page, "ask-question", QUESTION)
    answer = _submit(page)
    assert "【テスト応答】" in answer.text
    assert answer.find_element("css selector", ".badge").text.endswith("生成")
    assert "原典で確認" in answer.find_element("css selector", "p.notice").text
    citations = answer.find_elements("css selector", ".citations li")
    labels = [c.find_element("css selector", ".label").text for c in citations]
    assert labels and labels[0].startswith("[1] 行政手続法 第5条"), labels
    assert any("行政手続法 第5条" in label for label in labels)
    assert "gyousei_tetsuzuki_hou.txt" in citations[0].find_element("css selector", ".source").text
    # the excerpt is collapsed until asked for
    excerpt = citations[0].find_element("css selector", "details blockquote")
    assert not excerpt.is_displayed()
    citations[0].find_element("css selector", "summary").click()
    assert "審査基準" in excerpt.text
    assert page.find_element("id", "log").get_attribute("aria-live") == "polite"
    # the page asked for Server-Sent Events, so the model was asked for a stream
    assert live_app.llm.last_chat_request.stream
    shot("1-answer-with-citations")


def test_personal_data_is_blocked_with_only_the_explanation(
    page: Any, live_app: LiveApp, shot: Any
) -> None:
    _fill(page, "ask-question", f"マイナンバー {MY_NUMBER} の方の申請の審査基準を教えて")
    answer = _submit(page)
    blocked = answer.find_element("css selector", ".blocked")
    assert "送信を止めました" in blocked.text and "マイナンバー" in blocked.text
    assert MY_NUMBER not in answer.text
    # nor is the request repeated in the log; it stays in the field to be rewritten
    turn = page.find_elements("css selector", "article.turn")[-1]
    assert MY_NUMBER not in turn.text
    assert MY_NUMBER in page.find_element("id", "ask-question").get_attribute("value")
    for other in (".citations", ".tools", ".badge", ".streaming"):
        assert answer.find_elements("css selector", other) == [], other
    # the recorded inbox: nothing reached the model, let alone the number
    assert live_app.llm.chat_requests == []
    assert all(MY_NUMBER.encode() not in r.raw_body for r in live_app.llm.requests)
    record = live_app.runtime.audit.records()[-1]
    assert record.status == "blocked" and MY_NUMBER not in record.prompt
    shot("2-blocked-explanation")


# task → (fields to fill, selects to set, what must reach the model)
TASK_RUNS: dict[str, tuple[dict[str, str], dict[str, str], list[str]]] = {
    "translate": (
        {"translate-text": "転入届は14日以内に出してください。"},
        {"translate-target": "easy_ja"},
        ["やさしい日本語", "転入届は14日以内に出してください。"],
    ),
    "draft": (
        {"draft-instructions": "粗大ごみの収集日が変わる"},
        {"draft-kind": "お知らせ", "draft-tone": "簡潔", "draft-length": "短め"},
        ["住民向けのお知らせ", "粗大ごみの収集日が変わる"],
    ),
    "summarize": (
        {"summarize-text": "第3回会議では、図書館の開館時間を延長する案を承認した。"},
        {"summarize-format": "文章"},
        ["段落に分けた", "図書館の開館時間を延長する案"],
    ),
    "proofread": (
        {"proofread-text": "申請書を提出して下さい。", "proofread-instructions": "送り仮名"},
        {},
        ["公用文作成の考え方", "申請書を提出して下さい。"],
    ),
    "faq": (
        {"faq-question": "審査基準はどこで見られますか"},
        {},
        ["FAQ", "行政手続法 第5条", "審査基準はどこで見られますか"],
    ),
}


@pytest.mark.parametrize("task", list(TASK_RUNS))
def test_each_task_runs_from_the_page(page: Any, live_app: LiveApp, shot: Any, task: str) -> None:
    fields, selects, expected = TASK_RUNS[task]
    _choose_task(page, task)
    for element_id, value in selects.items():
        _select(page, element_id, value)
    for element_id, text in fields.items():
        _fill(page, element_id, text)
    _fill(page, "purpose", "窓口業務の準備")
    answer = _submit(page, keyboard=task == "translate")  # Ctrl+Enter in the text field
    assert "【テスト応答】" in answer.text
    assert "生成AIの出力です" in answer.text
    assert f"{task}@" in answer.find_element("css selector", ".meta").text
    sent = live_app.llm.all_prompt_text()
    for fragment in expected:
        assert fragment in sent, fragment
    record = live_app.runtime.audit.records()[-1]
    assert (record.task, record.purpose) == (task, "窓口業務の準備")
    if task == "translate":
        shot("3-task-easy-japanese")


def test_a_file_is_summarized_from_the_page(
    page: Any, live_app: LiveApp, tmp_path: Path, shot: Any
) -> None:
    document = tmp_path / "議事録.txt"
    document.write_text("公民館の改修は来年度に実施すると決定した。", encoding="utf-8")
    _choose_task(page, "summarize")
    page.find_element("css selector", 'input[name="summarize-source"][value="file"]').click()
    page.find_element("id", "summarize-file").send_keys(str(document))
    answer = _submit(page)
    assert "【テスト応答】" in answer.text
    assert "公民館の改修" in live_app.llm.all_prompt_text()
    assert "議事録.txt" in page.find_elements("css selector", "article.turn")[-1].text
    shot("4-summarize-file")


def test_feedback_is_recorded_from_the_page(page: Any, live_app: LiveApp, shot: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    _fill(page, "ask-question", QUESTION)
    answer = _submit(page)
    audit_id = live_app.runtime.audit.records()[-1].id
    assert f"監査番号 {audit_id}" in answer.text
    answer.find_element("css selector", ".rating input").send_keys("正確")
    up = answer.find_element("css selector", 'button[data-rating="up"]')
    up.click()
    status = answer.find_element("css selector", ".feedback-status")
    WebDriverWait(page, WAIT_S).until(lambda _: "記録しました" in status.text)
    assert up.get_attribute("aria-pressed") == "true"
    stored = live_app.runtime.audit.feedback(audit_id=audit_id)
    assert [(f.rating, f.comment) for f in stored] == [("up", "正確")]
    shot("5-feedback")


def test_own_history_lists_requests_as_recorded(page: Any, live_app: LiveApp, shot: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    _fill(page, "ask-question", f"マイナンバー {MY_NUMBER} の方の転入届について")
    _submit(page)
    page.find_element("css selector", "#history summary").click()
    page.find_element("id", "history-load").click()
    WebDriverWait(page, WAIT_S).until(
        lambda d: "件を表示" in d.find_element("id", "history-status").text
    )
    first = page.find_elements("css selector", "#history-rows tr")[0]
    cells = [c.text for c in first.find_elements("css selector", "td")]
    assert cells[1:3] == ["質問", "遮断"]
    assert "<マイナンバー>" in cells[3]
    assert MY_NUMBER not in page.find_element("id", "history").text
    assert live_app.runtime.audit.records()[-1].channel == "web"
    page.execute_script("document.getElementById('history').scrollIntoView()")
    shot("7-own-history")


def test_a_model_failure_falls_back_to_quoting_the_passages(page: Any, live_app: LiveApp) -> None:
    live_app.llm.fail_next(503)
    _fill(page, "ask-question", QUESTION)
    answer = _submit(page)
    assert "生成モデルから回答を得られなかった" in answer.text
    assert "行政手続法" in answer.text
    assert answer.find_elements("css selector", ".error") == []


def test_page_is_readable_on_a_narrow_screen(page: Any, shot: Any) -> None:
    page.set_window_size(390, 844)
    _fill(page, "ask-question", QUESTION)
    _submit(page)
    overflow = page.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    shot("6-narrow-screen")


def test_page_talks_only_to_this_server(
    page: Any, live_app: LiveApp, traffic: Callable[[], list[str]]
) -> None:
    _fill(page, "ask-question", QUESTION)
    _submit(page)
    urls = traffic()
    paths = {urlsplit(u).path for u in urls}
    assert {
        "/",
        "/static/app/app.js",
        "/static/app/base.css",
        "/static/app/app.css",
        "/v1/ask",
    } <= paths, paths
    # Requests that leave the browser (chrome://, data: and blob: URLs do not; the
    # browser's own new-tab page loads chrome:// resources before the test navigates).
    local = urlsplit(live_app.url).netloc
    internal = ("chrome", "chrome-untrusted", "data", "blob", "about")
    elsewhere = [u for u in urls if urlsplit(u).scheme not in internal]
    elsewhere = [u for u in elsewhere if urlsplit(u).netloc != local]
    assert elsewhere == [], elsewhere
    # no script errors and no Content-Security-Policy violations on the way (HTTP errors
    # that other tests provoke on purpose are logged too, and are not problems)
    log = page.get_log("browser")
    assert not [e for e in log if "Content Security Policy" in e["message"]], log
    problems = [
        e["message"]
        for e in log
        if e["level"] == "SEVERE" and "the server responded with a status of" not in e["message"]
    ]
    assert problems == [], problems


def test_a_letter_to_a_named_resident_is_drafted_with_placeholders(
    page: Any, live_app: LiveApp, shot: Any
) -> None:
    """Issue 18: preview with the placeholders highlighted, the staff member confirms,
    the model sees placeholders only, and the answer on the page has the values."""

    live_app.llm.reply = letter_reply
    try:
        _choose_task(page, "draft")
        _select(page, "draft-kind", "通知文")
        _fill(page, "draft-instructions", LETTER)
        page.find_element("id", "use-placeholders").click()
        page.find_element("id", "submit").click()
        preview = _placeholder_preview(page)
        assert "仮名" in preview.text
        assert live_app.llm.chat_requests == []  # nothing sent before the confirmation
        shot("9-placeholder-preview")
        answer = _confirm_and_wait_for_the_answer(page)
        assert f"{NAME}様" in answer.text and ADDRESS in answer.text and PHONE in answer.text
        assert "〈氏名1〉（氏名・1か所）" in answer.find_element("css selector", ".replaced").text
        sent = live_app.llm.all_prompt_text()
        assert "〈氏名1〉様あて" in sent
        for value in VALUES:
            assert value not in sent
        shot("10-letter-with-values-restored")
    finally:
        live_app.llm.reply = None


def _placeholder_preview(page: Any) -> Any:
    """The preview shown before sending, once it is up, checked to mark the name and the
    phone number with their placeholders."""
    from selenium.webdriver.support.ui import WebDriverWait

    preview = page.find_element("id", "placeholder-preview")
    WebDriverWait(page, WAIT_S).until(lambda d: preview.is_displayed())
    marks = preview.find_elements("css selector", "mark.ph")
    shown = {m.find_element("css selector", ".ph-token").text: m.text for m in marks}
    assert shown["→〈氏名1〉"].startswith(NAME) and shown["→〈電話1〉"].startswith(PHONE)
    return preview


def _confirm_and_wait_for_the_answer(page: Any) -> Any:
    """Confirms the preview and returns the new turn's answer once it has finished."""
    from selenium.webdriver.support.ui import WebDriverWait

    before = len(page.find_elements("css selector", "article.turn"))
    page.find_element("id", "preview-confirm").click()

    def finished(d: Any) -> Any:
        turns = d.find_elements("css selector", "article.turn")
        done = len(turns) > before and turns[-1].get_attribute("aria-busy") == "false"
        return turns[-1].find_element("css selector", ".answer") if done else False

    return WebDriverWait(page, WAIT_S).until(finished)


def test_a_file_is_summarized_with_placeholders_after_its_preview(
    page: Any, live_app: LiveApp, tmp_path: Path, shot: Any
) -> None:
    """Issue 18 on the file upload: the file's text is read on the server and shown with
    what would be replaced; nothing reaches the model before the confirmation; the model
    then sees placeholders only, and the summary on the page has the values."""

    memo = tmp_path / "窓口記録.txt"
    memo.write_text(
        f"窓口記録（令和8年12月7日）\n来庁者：{NAME}様（{ADDRESS}、電話 {PHONE}）\n"
        "児童手当の現況届の書き方について相談。次回は来週、必要書類を持参の予定。\n"
        "担当：子育て支援課",
        encoding="utf-8",
    )
    live_app.llm.reply = letter_reply
    try:
        _choose_task(page, "summarize")
        page.find_element("css selector", 'input[name="summarize-source"][value="file"]').click()
        page.find_element("id", "summarize-file").send_keys(str(memo))
        page.find_element("id", "use-placeholders").click()
        page.find_element("id", "submit").click()
        preview = _placeholder_preview(page)
        assert "来庁者" in preview.text and "子育て支援課" in preview.text  # the file's text
        assert live_app.llm.chat_requests == []  # nothing sent before the confirmation
        shot("11-file-placeholder-preview")
        answer = _confirm_and_wait_for_the_answer(page)
        assert NAME in answer.text and PHONE in answer.text
        assert "〈氏名1〉（氏名・1か所）" in answer.find_element("css selector", ".replaced").text
        sent = live_app.llm.all_prompt_text()
        assert "〈氏名1〉" in sent and "来庁者" in sent
        for value in VALUES:
            assert value not in sent
        shot("12-file-summary-with-values-restored")
    finally:
        live_app.llm.reply = None
