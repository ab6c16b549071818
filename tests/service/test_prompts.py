"""Prompt templates: the bundled files, administrator overrides and their checks."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from service.errors import ConfigurationError
from service.main import create_app
from service.pipeline.prompting import SPECS, load_prompt, load_prompts
from service.settings import Settings

TASKS = ("ask", "draft", "summarize", "translate", "proofread", "faq")


def bundled(task: str) -> str:
    return resources.files("prompts").joinpath(f"{task}.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("task", TASKS)
def test_bundled_prompt_has_identity_and_the_task_inputs(task: str) -> None:
    data = tomllib.loads(bundled(task))
    prompt = load_prompt(task)
    assert prompt.id == data["id"] == task
    assert prompt.ref == f"{task}@{data['version']}"
    assert SPECS[task].required <= set(prompt.template.input_variables)


def test_every_task_has_a_prompt_and_nothing_else() -> None:
    assert set(SPECS) == set(TASKS)
    assert set(load_prompts().refs()) == set(TASKS)


@pytest.mark.parametrize(
    ("task", "values", "expected"),
    [
        ("translate", {"text": "転入届", "target": "easy_ja"}, "やさしい日本語"),
        ("translate", {"text": "転入届", "target": "vi"}, "ベトナム語"),
        (
            "draft",
            {"instructions": "x", "kind": "通知文", "tone": "簡潔", "length": "短め"},
            "公用文",
        ),
        ("summarize", {"text": "x", "length": "長め", "format": "箇条書き"}, "「・」"),
    ],
)
def test_choices_are_replaced_by_their_descriptions(
    task: str, values: dict[str, str], expected: str
) -> None:
    messages = load_prompt(task).format_messages(**values)
    rendered = "\n".join(str(m.content) for m in messages)
    assert expected in rendered


def write(folder: Path, task: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{task}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_override_replaces_only_its_own_task(tmp_path: Path) -> None:
    custom = (
        bundled("draft")
        .replace('version = "', 'version = "custom-')
        .replace("あなたは地方自治体", "あなたは山里町役場")
    )
    write(tmp_path, "draft", custom)
    library = load_prompts(tmp_path)
    assert library["draft"].version.startswith("custom-")
    assert "山里町役場" in str(
        library["draft"]
        .format_messages(instructions="x", kind="メール", tone="丁寧", length="標準")[0]
        .content
    )
    assert library["ask"].ref == load_prompt("ask").ref


BROKEN = [
    (
        "unknown variable",
        "draft",
        lambda t: t.replace("{instructions}", "{instructions}{secret}"),
        "{secret}",
    ),
    ("input dropped", "summarize", lambda t: t.replace("{text}", "（本文）"), "{text}"),
    ("unbalanced brace", "faq", lambda t: t.replace("{question}", "{question"), "書式"),
    ("choice missing", "translate", lambda t: t.replace('"ne" = ', '"nepal" = '), "ne の説明"),
    ("missing key", "proofread", lambda t: t.replace('id = "proofread"', ""), "id"),
    ("unknown key", "ask", lambda t: t.replace("system = ", "sytem = "), "sytem"),
    ("not TOML", "ask", lambda t: t + "\n[[[", "読み込めませんでした"),
]


@pytest.mark.parametrize(
    ("task", "edit", "fragment"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_broken_override_is_a_clear_configuration_error(
    tmp_path: Path, task: str, edit: object, fragment: str
) -> None:
    assert callable(edit)
    path = write(tmp_path, task, edit(bundled(task)))
    with pytest.raises(ConfigurationError) as info:
        load_prompts(tmp_path)
    message = str(info.value)
    assert str(path) in message
    assert fragment in message


def test_misspelt_override_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "summarise", bundled("summarize"))
    with pytest.raises(ConfigurationError, match="summarise.toml"):
        load_prompts(tmp_path)


def test_missing_override_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="YAKUBA_PROMPTS_DIR"):
        load_prompts(tmp_path / "nowhere")


def test_the_app_does_not_start_with_a_broken_override(tmp_path: Path) -> None:
    write(tmp_path / "prompts", "draft", "id = 'draft'\nversion = '1'\nsystem = 'x'\nhuman = 'y'\n")
    settings = Settings(data_dir=tmp_path / "data", prompts_dir=tmp_path / "prompts")
    with pytest.raises(ConfigurationError, match=r"\{instructions\}"):
        create_app(settings)
