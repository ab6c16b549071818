"""Helpers for tests of the assistant API: the app's runtime, guard policy overrides,
and small real documents (text, DOCX, PDF) made in memory."""

from __future__ import annotations

import re
import zipfile
from importlib import resources
from io import BytesIO
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from service.audit import AuditRecord
from service.runtime import Runtime


def runtime_of(client: TestClient) -> Runtime:
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    return runtime


def audit_records(client: TestClient) -> list[AuditRecord]:
    return runtime_of(client).audit.records()


def policy_file(folder: Path, **actions: str) -> Path:
    """The bundled guard policy with some entity actions changed, e.g. PHONE_NUMBER="mask"."""
    text = resources.files("guardrails").joinpath("conf", "policy.toml").read_text("utf-8")
    for entity, action in actions.items():
        text, n = re.subn(rf'(?m)^{entity} = "\w+"', f'{entity} = "{action}"', text)
        assert n == 1, f"{entity} is not in the bundled policy"
    path = folder / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def docx_bytes(*paragraphs: str) -> bytes:
    from docx import Document

    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def pdf_bytes(*lines: str) -> bytes:
    """A one-page PDF with a Japanese text layer (reportlab's built-in CID font)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "HeiseiKakuGo-W5"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    out = BytesIO()
    page = canvas.Canvas(out)
    page.setFont(font, 11)
    for i, line in enumerate(lines):
        page.drawString(72, 760 - 18 * i, line)
    page.save()
    return out.getvalue()


def upload(client: TestClient, data: bytes, filename: str = "資料.txt", **fields: str) -> Any:
    return client.post(
        "/v1/tasks/summarize/file",
        files={"file": (filename, data, "application/octet-stream")},
        data=fields,
    )
