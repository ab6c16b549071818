"""The placeholder policy: per task actions, the never list, and a city's file checked
against the bundled one (stricter only)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from guardrails import (
    PLACEHOLDER_LABELS,
    Action,
    GuardConfigError,
    TaskAction,
)
from guardrails._config import load_policy

BUNDLED = resources.files("guardrails").joinpath("conf", "policy.toml").read_text("utf-8")
NEVER = (
    "MY_NUMBER",
    "BANK_ACCOUNT",
    "CREDIT_CARD",
    "HEALTH_INSURANCE",
    "PASSPORT_NUMBER",
    "PENSION_NUMBER",
    "RESIDENCE_CARD",
    "DRIVER_LICENSE",
    "RESIDENT_CODE",
    "CONFIDENTIAL_MARKER",
    "DENYLIST_TERM",
    "ENCODED_DATA",
)
WRITING_TASKS = ("draft", "summarize", "translate", "proofread")


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "city-policy.toml"
    path.write_text(body, encoding="utf-8")
    return path


def _bundled_plus(extra: str) -> str:
    return BUNDLED + "\n" + extra


def test_bundled_tasks_placeholder_residents_contacts() -> None:
    policy = load_policy()
    rules = policy.placeholders
    for task in WRITING_TASKS:
        assert rules.placeholder_types(task) == frozenset(PLACEHOLDER_LABELS), task
    # Retrieval questions and bulk FAQ keep blocking (no table: [actions] applies).
    for task in ("ask", "faq"):
        assert rules.placeholder_types(task) == frozenset()
        assert rules.action_for(task, "PERSON", policy.action_for("PERSON")) is TaskAction.BLOCK
    assert rules.never == frozenset(NEVER)


@pytest.mark.parametrize("entity", NEVER)
@pytest.mark.parametrize("task", [*WRITING_TASKS, "chat", "ask"])
def test_never_types_block_in_every_task(task: str, entity: str) -> None:
    policy = load_policy()
    action = policy.placeholders.action_for(task, entity, policy.action_for(entity))
    assert action is TaskAction.BLOCK


@pytest.mark.parametrize(
    ("task", "entity", "general", "expected"),
    [
        # A table entry wins over [actions] for its task …
        pytest.param("draft", "PERSON", Action.BLOCK, TaskAction.PLACEHOLDER, id="table-entry"),
        # … a type the table does not list follows [actions] (warn sends the value).
        pytest.param("draft", "CORPORATE_NUMBER", Action.WARN, TaskAction.ALLOW, id="warn-is-allow"),
        pytest.param("ask", "PHONE_NUMBER", Action.MASK, TaskAction.MASK, id="no-table-mask"),
        pytest.param("letters", "PERSON", Action.BLOCK, TaskAction.BLOCK, id="unknown-task"),
        # never wins even over a careless [actions].
        pytest.param("draft", "MY_NUMBER", Action.ALLOW, TaskAction.BLOCK, id="never-wins"),
    ],
)  # fmt: skip
def test_action_for(task: str, entity: str, general: Action, expected: TaskAction) -> None:
    assert load_policy().placeholders.action_for(task, entity, general) is expected


# -- a city's file: stricter is accepted -------------------------------------------------
@pytest.mark.parametrize(
    ("body", "task", "entity", "expected"),
    [
        pytest.param(_bundled_plus('[tasks.faq]\nblock = ["PERSON"]\n'), "faq", "PERSON", TaskAction.BLOCK, id="explicit-block"),
        pytest.param(BUNDLED.replace('[tasks.draft]\nplaceholder = ["PERSON", ', '[tasks.draft]\nmask = ["PERSON"]\nplaceholder = [', 1), "draft", "PERSON", TaskAction.MASK, id="mask-instead"),
        pytest.param(BUNDLED.replace('[tasks.translate]\nplaceholder = ["PERSON", ', "[tasks.translate]\nplaceholder = [", 1), "translate", "PERSON", TaskAction.BLOCK, id="dropped-from-table"),
        pytest.param(BUNDLED.replace('never = [\n', 'never = [\n  "BIRTH_DATE",\n', 1).replace('"EMAIL_ADDRESS", "BIRTH_DATE", "POSTAL_CODE"]', '"EMAIL_ADDRESS", "POSTAL_CODE"]'), "draft", "BIRTH_DATE", TaskAction.BLOCK, id="never-extended"),
        pytest.param('default_action = "block"\n', "draft", "PERSON", TaskAction.BLOCK, id="old-file-no-tasks"),
        pytest.param('[actions]\nPHONE_NUMBER = "mask"\n', "draft", "PHONE_NUMBER", TaskAction.MASK, id="old-file-general-mask"),
    ],
)  # fmt: skip
def test_city_file_may_be_stricter(
    tmp_path: Path, body: str, task: str, entity: str, expected: TaskAction
) -> None:
    policy = load_policy(_write(tmp_path, body))
    assert policy.placeholders.action_for(task, entity, policy.action_for(entity)) is expected
    # The bundled never list holds whatever the city's file says.
    assert policy.placeholders.never >= frozenset(NEVER)


def test_a_city_never_list_cannot_remove_types(tmp_path: Path) -> None:
    body = BUNDLED.replace('  "MY_NUMBER", "RESIDENT_CODE", ', '  "RESIDENT_CODE", ', 1)
    policy = load_policy(_write(tmp_path, body))
    assert "MY_NUMBER" in policy.placeholders.never
    assert policy.placeholders.action_for("draft", "MY_NUMBER", Action.BLOCK) is TaskAction.BLOCK


# -- a city's file: looser is refused, in Japanese, naming the key -------------------------
@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        pytest.param(_bundled_plus('[tasks.letters]\nplaceholder = ["MY_NUMBER"]\n'), "tasks.letters.placeholder", "MY_NUMBER（マイナンバー）は仮名化", id="my-number-placeholdered"),
        pytest.param(BUNDLED.replace('[tasks.draft]\nplaceholder = ["PERSON", ', '[tasks.draft]\nmask = ["HEALTH_INSURANCE"]\nplaceholder = ["PERSON", ', 1), "tasks.draft.mask", "HEALTH_INSURANCE（健康保険証番号）", id="insurance-masked"),
        pytest.param(_bundled_plus('[tasks.ask]\nplaceholder = ["PERSON"]\n'), "tasks.ask.placeholder", "同梱のポリシーでは block", id="ask-placeholdered"),
        pytest.param(_bundled_plus('[tasks.faq]\nallow = ["ADDRESS"]\n'), "tasks.faq.allow", "厳しくすること", id="faq-allowed"),
        pytest.param(BUNDLED.replace('[tasks.draft]\nplaceholder = ["PERSON", ', '[tasks.draft]\nallow = ["PERSON"]\nplaceholder = [', 1), "tasks.draft.allow", "PERSON（氏名）を allow", id="draft-allow-name"),
        pytest.param(BUNDLED.replace('MY_NUMBER = "block"', 'MY_NUMBER = "mask"', 1), "actions.MY_NUMBER", "常に送信を止める", id="general-mask-my-number"),
        pytest.param('default_action = "allow"\n[actions]\nPERSON = "block"\n', "actions.BANK_ACCOUNT", "default_action", id="default-allow"),
        pytest.param(_bundled_plus('[tasks.letters]\nplaceholder = ["CORPORATE_NUMBER"]\n'), "tasks.letters.placeholder", "仮名（〈氏名1〉のような置き換え）がありません", id="no-label"),
        pytest.param(_bundled_plus('[tasks.letters]\nplaceholder = ["PERSON"]\nblock = ["PERSON"]\n'), "tasks.letters.block", "両方", id="two-actions"),
        pytest.param(_bundled_plus('[tasks.letters]\nhide = ["PERSON"]\n'), "tasks.letters", "不明な動作", id="unknown-action"),
        pytest.param(_bundled_plus('[tasks.letters]\nblock = ["NAME"]\n'), "tasks.letters.block", "不明な検出種類", id="unknown-type"),
        pytest.param(_bundled_plus('[tasks."Letters!"]\nblock = ["PERSON"]\n'), "tasks.Letters!", "業務名", id="bad-task-name"),
        pytest.param(BUNDLED.replace("titles = [", "prefixes = [", 1), "placeholders", "不明な項目", id="unknown-key"),
        pytest.param(BUNDLED.replace('honorifics = [\n  "様",', 'honorifics = [\n  "  ",', 1), "placeholders.honorifics", "空でない", id="blank-honorific"),
    ],
)  # fmt: skip
def test_city_file_cannot_loosen(tmp_path: Path, body: str, key: str, words: str) -> None:
    with pytest.raises(GuardConfigError) as caught:
        load_policy(_write(tmp_path, body))
    assert caught.value.key == key
    assert words in str(caught.value)


def test_bundled_file_is_its_own_floor() -> None:
    # Loading the bundled file by path applies the floor check to itself: no error.
    path = Path(str(resources.files("guardrails").joinpath("conf", "policy.toml")))
    assert load_policy(path).placeholders == load_policy().placeholders
