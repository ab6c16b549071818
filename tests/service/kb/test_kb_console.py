"""The console's 資料の管理 section in headless Chromium against the real service (uvicorn,
trusted-proxy header mode, an administrator): upload a document, watch its progress,
find it, see that staff's questions now cite it, remove it.

Needs Debian's `chromium` and `chromium-driver` (tests/utils/browser.py): skipped locally
without them, failed in CI. Screenshot: tests/service/screenshots/admin-documents.png.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from ingest import Embedder
from service.settings import Settings
from tests.service.test_web_page import SCREENSHOTS
from tests.utils.browser import WAIT_S, headless_chromium, require_browser
from tests.utils.live import serve_yakuba

MANUAL = (
    "# 粗大ごみ収集の手引き\n\n## 収集日\n\n粗大ごみの収集は毎月第二水曜日です。"
    "午前八時までに指定場所へ出してください。手数料は一点につき四百円です。\n"
)
_RECORD_STATUS = """
const node = document.getElementById("kb-status");
window.kbTexts = [];
new MutationObserver(() => window.kbTexts.push(node.textContent))
    .observe(node, {childList: true, characterData: true, subtree: true});
"""


def _headers(user: str, department: str, role: str) -> dict[str, str]:
    return {"X-Yakuba-User": user, "X-Yakuba-Department": quote(department), "X-Yakuba-Role": role}


def test_an_admin_uploads_finds_and_removes_a_document(
    settings: Settings, warm_embedder: Embedder, tmp_path: Path
) -> None:
    require_browser()
    from selenium.webdriver.support.ui import WebDriverWait

    document = tmp_path / "粗大ごみ収集の手引き.md"
    document.write_text(MANUAL, encoding="utf-8")
    staff = _headers("sato", "市民課", "staff")
    with (
        serve_yakuba(
            settings.data_dir,
            warm_embedder,
            tmp_path / "audit.sqlite3",
            auth_mode="header",
            auth_trusted_proxies="127.0.0.1",
        ) as (url, _, _),
        headless_chromium(window="1400,1200", logging={"browser": "ALL"}) as browser,
    ):
        wait = WebDriverWait(browser, WAIT_S)
        browser.execute_cdp_cmd("Network.enable", {})
        browser.execute_cdp_cmd(
            "Network.setExtraHTTPHeaders",
            {"headers": _headers("kanri", "情報政策課", "admin")},
        )
        browser.get(f"{url}/admin/")
        wait.until(lambda d: d.find_element("id", "kb").is_displayed())
        wait.until(lambda d: d.find_elements("css selector", "#kb-body tr"))
        browser.execute_script(_RECORD_STATUS)

        browser.find_element("id", "kb-file").send_keys(str(document))
        browser.find_element("id", "kb-department").send_keys("環境政策課")
        browser.find_element("id", "kb-upload").click()
        wait.until(lambda d: d.find_element("id", "kb-status").get_attribute("data-outcome"))
        status = browser.find_element("id", "kb-status")
        assert status.get_attribute("data-outcome") == "indexed", status.text
        assert "追加しました" in status.text
        seen = browser.execute_script("return window.kbTexts")
        # Progress was shown while the job ran: queued or indexing, with the elapsed time.
        assert any(("待って" in t or "登録して" in t) and "秒" in t for t in seen), seen

        browser.find_element("id", "kb-filter").send_keys("粗大ごみ")
        rows = browser.find_elements("css selector", "#kb-body tr")
        assert [r.find_element("css selector", "td").text for r in rows] == [document.name]
        browser.execute_script("document.getElementById('kb').scrollIntoView()")
        SCREENSHOTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(SCREENSHOTS / "admin-documents.png"))

        # Staff's questions find it at once, through the same service.
        with httpx.Client(base_url=url, timeout=60) as http:
            asked = http.post("/v1/ask", json={"question": "粗大ごみの収集日は？"}, headers=staff)
            assert asked.status_code == 200, asked.text
            assert any(c["source"] == document.name for c in asked.json()["citations"])

            rows[0].find_element("css selector", "button[data-source]").click()
            wait.until(lambda d: d.switch_to.alert).accept()
            wait.until(
                lambda d: (
                    d.find_element("id", "kb-status").get_attribute("data-outcome") == "removed"
                )
            )
            assert "削除しました" in browser.find_element("id", "kb-status").text
            wait.until(lambda d: not d.find_elements("css selector", "#kb-body tr"))
            asked = http.post("/v1/ask", json={"question": "粗大ごみの収集日は？"}, headers=staff)
            assert all(c["source"] != document.name for c in asked.json()["citations"])

            # Staff cannot reach the section's API.
            assert http.get("/v1/admin/documents", headers=staff).status_code == 403
            records = http.get(
                "/v1/admin/audit/records",
                params={"user": "kanri"},
                headers=_headers("kansa", "情報政策課", "auditor"),
            ).json()["records"]
        assert [(r["task"], r["channel"]) for r in records] == [
            ("kb_remove", "web"),
            ("kb_add", "web"),
        ]
        problems: list[Any] = [
            e["message"]
            for e in browser.get_log("browser")
            if e["level"] == "SEVERE" or "Content Security Policy" in e["message"]
        ]
        assert not problems, problems
