"""Debian's Chromium, headless, driven by Selenium — for the web page and console tests."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

__all__ = ["CHROMEDRIVER", "CHROMIUM", "WAIT_S", "headless_chromium", "require_browser"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT_S = 30


def require_browser() -> None:
    """Skips the test where Chromium is missing — fails it in CI, where it must be there."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if not missing:
        return
    message = (
        f"headless-browser tests need {', '.join(missing)}: "
        "install with `sudo apt-get install chromium chromium-driver` (scripts/test.sh does)"
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def headless_chromium(
    *, window: str, logging: dict[str, str], extra_args: tuple[str, ...] = ()
) -> Iterator[Any]:
    """A fresh profile in a temporary folder, nothing fetched from the network by the browser
    itself; `logging` is Chrome's goog:loggingPrefs (e.g. {"performance": "ALL"});
    `extra_args` are more Chromium switches (e.g. --host-resolver-rules)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    # Selenium Manager must never try to download a driver: the machine may be offline.
    os.environ["SE_OFFLINE"] = "true"
    profile = tempfile.mkdtemp(prefix="yakuba-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        f"--user-data-dir={profile}",
        "--lang=ja",
        f"--window-size={window}",
        *extra_args,
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", logging)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT_S)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
