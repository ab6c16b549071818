"""The public register end to end: `yakuba ingest` of 焼津市's facility list (credit
焼津市, bench/guard_eval/data/yaizu) fills it with provenance, a staff prompt quoting a
facility's number passes the guard of the running service, an administrator revokes the
number (API) and the same prompt blocks at once, a resident's data is caught throughout
and never harvested, re-ingest replaces and pruning removes a document's values, and the
roles: staff see nothing, auditors read, administrators revoke."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from guardrails import Finding, PublicBasis, PublicTextReview, PublicValue
from ingest import Embedder
from service.cli import app as cli
from service.register import RegisterQuery, RegisterStore
from service.settings import Settings, get_settings

from .test_auth_support import bearer, jwt_settings, start, token

ROOT = Path(__file__).resolve().parents[2]
FACILITIES = (
    ROOT / "bench" / "guard_eval" / "data" / "yaizu" / "222127_child_rearing_support_center.csv"
)
# 子育て支援センター　みなみ, as 焼津市 publishes it.
CENTRE_PHONE = "054-293-7474"
CENTRE_ADDRESS = "静岡県焼津市焼津5丁目13-14"
# No organisation word in it: only the register can tell that the number is public.
STAFF_PROMPT = f"折り返しは{CENTRE_PHONE}へお願いします、と来館者に伝える文を作って"
RESIDENT_PROMPT = "申請者 山田花子（焼津市栄町3丁目4-5、090-2345-6789）への通知文を作って"
NOTICE = (
    "市民課からのお知らせ\n"
    "問い合わせ先：焼津市役所 市民課 054-626-1111 shimin@city.yaizu.lg.jp\n"
    "〒425-8502 静岡県焼津市本町2丁目16番32号\n"
    "焼津市長 中野弘道は次のように述べた。\n"
)
# A careless or hostile "public" document: a resident with their contact data.
RESIDENT_DOC = "相談記録\n相談者 山田花子さん（焼津市栄町3丁目4-5）電話 090-2345-6789\n"
runner = CliRunner()


@dataclass
class World:
    docs: Path
    settings: Settings
    store: RegisterStore


def _ingest(*args: str) -> str:
    result = runner.invoke(cli, ["ingest", *args])
    assert result.exit_code in (0, 3), result.output  # 3: the resident's file withheld
    return result.output


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, indexed_data_dir: Path) -> Iterator[World]:
    base = tmp_path_factory.mktemp("register")
    docs = base / "docs"
    docs.mkdir()
    shutil.copy(FACILITIES, docs / FACILITIES.name)
    (docs / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (docs / "soudan.txt").write_text(RESIDENT_DOC, encoding="utf-8")
    settings = Settings(data_dir=base / "data", database_url=f"sqlite:///{base / 'audit.sqlite3'}")
    patch = pytest.MonkeyPatch()
    patch.setenv("YAKUBA_DATA_DIR", str(settings.data_dir))
    patch.setenv("YAKUBA_DATABASE_URL", settings.audit_database_url)
    get_settings.cache_clear()
    store = RegisterStore(settings.audit_database_url)
    try:
        _ingest(str(docs))
        yield World(docs, settings, store)
    finally:
        store.close()
        patch.undo()
        get_settings.cache_clear()


def _values(store: RegisterStore, **query: str) -> set[tuple[str, str]]:
    page = store.search(RegisterQuery(**query), limit=500)  # type: ignore[arg-type]
    return {(e.kind, e.value) for e in page.entries}


def test_ingest_harvests_public_values_with_their_provenance(world: World) -> None:
    page = world.store.search(RegisterQuery(text=CENTRE_PHONE), limit=500)
    assert page.entries, "the centre's number was not harvested"
    assert all(e.source.endswith(FACILITIES.name) for e in page.entries)
    assert all(e.locator.startswith("行") for e in page.entries)  # the table's rows
    assert ("ADDRESS", CENTRE_ADDRESS) in _values(world.store, source=FACILITIES.name)
    notice = _values(world.store, source="notice.txt")
    assert {
        ("PHONE_NUMBER", "054-626-1111"),
        ("EMAIL_ADDRESS", "shimin@city.yaizu.lg.jp"),
        ("POSTAL_CODE", "425-8502"),
        ("ADDRESS", "静岡県焼津市本町2丁目16番32号"),
        ("ORGANIZATION", "市民課"),
        ("PERSON", "中野弘道"),  # an official in their role
    } <= notice
    counts = page.counts
    assert counts["PHONE_NUMBER"]["active"] >= 7 and counts["ADDRESS"]["active"] >= 9


def test_a_residents_data_in_a_public_document_is_never_harvested(world: World) -> None:
    assert _values(world.store, source="soudan.txt") == set()
    for value in ("090-2345-6789", "山田花子", "栄町3丁目4-5"):
        assert world.store.search(RegisterQuery(text=value)).total == 0, value


def test_a_name_next_to_a_contact_far_away_keeps_the_contact_out() -> None:
    # The chunk names a private person and, with no owner evidence, a number: the
    # number may be theirs, so it is not published (defence beyond the withholding rule).
    review = PublicTextReview(
        withhold=False,
        findings=[
            Finding(type="PERSON", start=0, end=4, score=0.9),
            Finding(
                type="PHONE_NUMBER", start=90, end=102, score=0.9,
                public=PublicBasis.PUBLIC_DOCUMENT,
            ),
            Finding(
                type="PHONE_NUMBER", start=120, end=132, score=0.9,
                public=PublicBasis.ORGANISATION,
            ),
        ],
        values=[
            PublicValue(kind="PHONE_NUMBER", value="054-611-9876", start=90, end=102),
            PublicValue(kind="PHONE_NUMBER", value="054-626-1111", start=120, end=132),
            PublicValue(kind="PERSON", value="田中", start=140, end=142),  # a surname only
        ],
    )  # fmt: skip
    assert [v.value for v in review.published()] == ["054-626-1111"]
    assert PublicTextReview(withhold=True, values=review.values).published() == []


@pytest.fixture(scope="module")
def api(
    world: World,
    indexed_data_dir: Path,
    warm_embedder: Embedder,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[TestClient]:
    # The service over the shared laws index (the embedded index is one process's at a
    # time, and `yakuba ingest` below writes the facility index), and over the database
    # that ingest fills: the register is the database's, not the index's.
    settings = jwt_settings(
        world.settings,
        tmp_path_factory.mktemp("jwks"),
        data_dir=indexed_data_dir,
        database_url=world.settings.audit_database_url,
        register_refresh_s=0.2,
    )
    client = start(settings, warm_embedder)
    yield client
    client.__exit__(None, None, None)


# Signed when used: a token made at import time expires before a long test run gets here.
def _as(user: str, role: str) -> dict[str, str]:
    return bearer(token(user, roles=[role], department="市民課"))


def _admin() -> dict[str, str]:
    return _as("kanri", "admin")


def _auditor() -> dict[str, str]:
    return _as("kansa", "auditor")


def _staff() -> dict[str, str]:
    return _as("sato", "staff")


def _ask(api: TestClient, question: str) -> str:
    response = api.post("/v1/ask", json={"question": question}, headers=_staff())
    assert response.status_code == 200, response.text
    return str(response.json()["status"])


def test_revoking_a_number_blocks_it_at_once_and_restoring_lets_it_through(
    api: TestClient, world: World
) -> None:
    guard = api.app.state.runtime.guard  # type: ignore[attr-defined]
    scanned = guard.scan(STAFF_PROMPT)
    assert not scanned.blocked, scanned
    assert [f.public for f in scanned.findings] == [PublicBasis.REGISTER]
    assert _ask(api, STAFF_PROMPT) != "blocked"
    assert _ask(api, RESIDENT_PROMPT) == "blocked"

    listed = api.get(
        "/v1/admin/register",
        params={"text": CENTRE_PHONE, "kind": "PHONE_NUMBER"},
        headers=_admin(),
    )
    assert listed.status_code == 200, listed.text
    assert listed.headers["cache-control"] == "no-store"
    body = listed.json()
    assert body["kind_labels"]["PHONE_NUMBER"] == "電話番号"
    entry = body["entries"][0]
    version = guard.config_version
    revoked = api.post(f"/v1/admin/register/{entry['id']}/revoke", headers=_admin())
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked"] and revoked.json()["changed"]
    # No waiting: the revoking request reloaded the register of this process.
    assert guard.config_version != version
    assert guard.scan(STAFF_PROMPT).blocked
    assert _ask(api, STAFF_PROMPT) == "blocked"
    assert _ask(api, RESIDENT_PROMPT) == "blocked"
    shown = api.get("/v1/admin/register", params={"status": "revoked"}, headers=_admin()).json()
    assert [e["revoked_by"] for e in shown["entries"]] == ["kanri"] * shown["total"]

    restored = api.post(f"/v1/admin/register/{entry['id']}/restore", headers=_admin())
    assert restored.status_code == 200 and not restored.json()["revoked"]
    assert not guard.scan(STAFF_PROMPT).blocked


def test_only_administrators_revoke_and_only_they_and_auditors_read(api: TestClient) -> None:
    assert api.get("/v1/admin/register", headers=_staff()).status_code == 403
    assert api.get("/v1/admin/register", headers=_auditor()).status_code == 200
    first = api.get("/v1/admin/register", params={"limit": 1}, headers=_auditor()).json()
    entry_id = first["entries"][0]["id"]
    assert api.post(f"/v1/admin/register/{entry_id}/revoke", headers=_auditor()).status_code == 403
    assert api.post(f"/v1/admin/register/{entry_id}/revoke", headers=_staff()).status_code == 403
    assert api.get("/v1/admin/register").status_code == 401
    missing = api.post("/v1/admin/register/999999/revoke", headers=_admin())
    assert missing.status_code == 404
    assert missing.json()["detail"]["code"] == "register_entry_not_found"
    bad = api.get("/v1/admin/register", params={"kind": "MY_NUMBER"}, headers=_admin())
    assert bad.status_code == 422 and "種類" in bad.text


def test_a_revocation_from_the_command_line_reaches_the_running_service(
    api: TestClient, world: World
) -> None:
    import time

    guard = api.app.state.runtime.guard  # type: ignore[attr-defined]
    assert not guard.scan(STAFF_PROMPT).blocked
    listed = runner.invoke(cli, ["register", "list", "--text", CENTRE_PHONE])
    assert listed.exit_code == 0, listed.output
    assert CENTRE_PHONE in listed.output and "有効" in listed.output
    entry_id = world.store.search(RegisterQuery(text=CENTRE_PHONE)).entries[0].id
    revoked = runner.invoke(cli, ["register", "revoke", str(entry_id), "--by", "cli:kanri"])
    assert revoked.exit_code == 0, revoked.output
    assert "取り消しました" in revoked.output
    deadline = time.monotonic() + 10
    while not guard.scan(STAFF_PROMPT).blocked:
        assert time.monotonic() < deadline, "the service did not follow the revocation"
        time.sleep(0.1)
    again = runner.invoke(cli, ["register", "restore", str(entry_id)])
    assert again.exit_code == 0 and "復元しました" in again.output
    assert runner.invoke(cli, ["register", "revoke", "999999"]).exit_code == 1
    assert runner.invoke(cli, ["register", "list", "--kind", "MY_NUMBER"]).exit_code == 2


def test_reingest_replaces_a_documents_values_and_pruning_removes_them(world: World) -> None:
    notice = world.docs / "notice.txt"
    notice.write_text(NOTICE.replace("054-626-1111", "054-626-2222"), encoding="utf-8")
    _ingest(str(world.docs))
    phones = {v for k, v in _values(world.store, source="notice.txt") if k == "PHONE_NUMBER"}
    assert phones == {"054-626-2222"}
    notice.unlink()
    _ingest(str(world.docs), "--prune")
    assert _values(world.store, source="notice.txt") == set()
    assert world.store.harvested(str(notice)) is None
    assert world.store.search(RegisterQuery(text=CENTRE_PHONE)).total >= 1  # others stay


def test_an_index_built_before_the_register_is_harvested_on_the_next_ingest(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Same index, a fresh database: ingest finds no harvest for the unchanged files and
    # screens them again instead of reporting them unchanged.
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    monkeypatch.setenv("YAKUBA_DATABASE_URL", fresh)
    get_settings.cache_clear()
    try:
        _ingest(str(world.docs))
        store = RegisterStore(fresh)
        try:
            assert store.search(RegisterQuery(text=CENTRE_PHONE)).total >= 1
            assert store.harvested(str(world.docs / FACILITIES.name)) is not None
        finally:
            store.close()
    finally:
        get_settings.cache_clear()
