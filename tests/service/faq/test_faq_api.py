"""The `/v1/faq` routes through the real app (its worker runs the job), and the FAQ
team's page driven in headless Chromium: upload, preview, run, review, export."""

from __future__ import annotations

import csv
import io
import time
import urllib.request
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from ingest import Embedder
from tests.service.faq._data import to_csv
from tests.utils.browser import WAIT_S, headless_chromium, require_browser
from tests.utils.live import serve_yakuba

ROWS = [
    {"ID": "1", "質問": "審査基準はどこで見られますか", "カテゴリ": "手続"},
    {"ID": "2", "質問": "審査基準はどこで見られるの？", "カテゴリ": "手続"},
    {"ID": "3", "質問": "行政文書の開示請求はどうやってするのですか", "カテゴリ": "情報公開"},
    {
        "ID": "4",
        "質問": "佐藤次郎（090-2222-3333）の開示請求の件で折り返し",
        "カテゴリ": "窓口記録",
    },
]
WEB = {"X-Yakuba-Client": "web"}


def _wait_done(client: TestClient, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        view: dict[str, Any] = client.get(f"/v1/faq/jobs/{job_id}").json()
        if view["status"] in ("done", "cancelled"):
            return view
        time.sleep(0.2)
    raise AssertionError("the job did not finish")


def test_submit_follow_review_and_export_through_the_api(
    make_client: Any, llm_overrides: dict[str, object]
) -> None:
    client: TestClient = make_client(**llm_overrides)
    bad = client.post("/v1/faq/preview", files={"file": ("x.csv", to_csv([{"内容": "a"}]))})
    assert (
        bad.status_code == 400 and "「質問」の列が見つかりません" in bad.json()["detail"]["message"]
    )
    # the problems found (line, column, message) travel with the shared body
    assert isinstance(bad.json()["detail"]["problems"], list)
    preview = client.post(
        "/v1/faq/preview", files={"file": ("q.csv", to_csv(ROWS, encoding="cp932"))}
    )
    assert preview.status_code == 200 and preview.json()["rows"] == 4

    created = client.post(
        "/v1/faq/jobs", files={"file": ("q.csv", to_csv(ROWS))}, data={"purpose": "FAQ更新"}
    )
    assert created.status_code == 201, created.text
    job_id = created.json()["id"]
    view = _wait_done(client, job_id)
    assert view["counts"]["blocked"] == 1 and view["done"] == 4
    rows = client.get(f"/v1/faq/jobs/{job_id}/rows").json()
    blocked = next(r for r in rows if r["status"] == "blocked")
    assert "090-2222-3333" not in blocked["question"]
    assert client.get(f"/v1/faq/jobs/{job_id}/groups").json() == [{"lines": [2, 3]}]

    ok = next(r for r in rows if r["status"] == "ok")
    approved = client.patch(
        f"/v1/faq/jobs/{job_id}/rows/{ok['line']}",
        json={"answer": "審査基準は窓口で閲覧できます。", "review": "approved"},
    )
    assert approved.status_code == 200 and approved.json()["review"] == "approved"
    refused = client.patch(
        f"/v1/faq/jobs/{job_id}/rows/{blocked['line']}", json={"review": "approved"}
    )
    assert refused.status_code == 409
    export = client.get(f"/v1/faq/jobs/{job_id}/export?format=csv&approved_only=true")
    assert export.status_code == 200 and export.content.startswith(b"\xef\xbb\xbf")
    out = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [r["answer"] for r in out] == ["審査基準は窓口で閲覧できます。"]
    assert client.get("/v1/faq/jobs/nope").status_code == 404


def test_the_faq_page_in_headless_chromium(
    indexed_data_dir: Path, warm_embedder: Embedder, tmp_path: Path
) -> None:
    require_browser()
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    source = tmp_path / "質問.csv"
    source.write_bytes(to_csv(ROWS, encoding="cp932"))  # as Excel saves it
    with (
        serve_yakuba(indexed_data_dir, warm_embedder, tmp_path / "audit.sqlite3") as (url, _, llm),
        headless_chromium(window="1400,1000", logging={"browser": "ALL"}) as driver,
    ):
        # Rows are re-rendered after each action; a lookup may meet the old ones.
        wait = WebDriverWait(driver, WAIT_S, ignored_exceptions=[StaleElementReferenceException])
        driver.get(f"{url}/faq/")
        driver.find_element(By.ID, "file").send_keys(str(source))
        driver.find_element(By.ID, "check").click()
        summary = wait.until(ec.visibility_of_element_located((By.ID, "preview-summary")))
        assert "Shift_JIS" in summary.text and "4 件" in summary.text
        wait.until(ec.element_to_be_clickable((By.ID, "submit"))).click()
        wait.until(
            lambda d: d.find_element(By.ID, "job-status").get_attribute("data-status") == "done"
        )
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#rows tbody tr")) == 4)
        blocked = driver.find_element(By.CSS_SELECTOR, "#rows tr[data-line='5']")
        assert "送信せず" in blocked.text and "090-2222-3333" not in blocked.text
        assert not llm.chat_requests or all(
            "090-2222-3333" not in r.prompt_text() for r in llm.chat_requests
        )

        # One answer for the near-duplicate pair, then edit and approve it.
        driver.find_element(By.CSS_SELECTOR, "#groups button.share").click()
        # The rows are drawn again once the shared answer is stored: row 3 shows 編集済み.
        wait.until(
            lambda d: (
                "edited"
                in (
                    d.find_element(By.CSS_SELECTOR, "#rows tr[data-line='3']").get_attribute(
                        "class"
                    )
                    or ""
                )
            )
        )
        row = driver.find_element(By.CSS_SELECTOR, "#rows tr[data-line='2']")
        area = row.find_element(By.TAG_NAME, "textarea")
        area.clear()
        area.send_keys("審査基準は担当課の窓口で閲覧できます。[1]")
        row.find_element(By.CSS_SELECTOR, "button.approve").click()
        wait.until(
            lambda d: (
                "review-approved"
                in d.find_element(By.CSS_SELECTOR, "#rows tr[data-line='2']").get_attribute("class")
            )
        )
        calls = len(llm.chat_requests)
        driver.find_element(By.CSS_SELECTOR, "#rows tr[data-line='4'] button.regenerate").click()
        wait.until(lambda _: len(llm.chat_requests) == calls + 1)

        href = driver.find_element(By.ID, "export-approved").get_attribute("href")
        with urllib.request.urlopen(href) as response:  # noqa: S310 - the local test server
            exported = response.read().decode("utf-8-sig")
        out = list(csv.DictReader(io.StringIO(exported)))
        assert [(r["id"], r["answer"]) for r in out] == [
            ("1", "審査基準は担当課の窓口で閲覧できます。[1]")
        ]
        driver.save_screenshot(str(Path(__file__).parents[1] / "screenshots" / "faq-page.png"))
        severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert severe == []
