"""Policy: per-type actions (block / mask / warn / allow), allowlist, config errors."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from guardrails import ENTITY_LABELS_JA, Action, Guard, GuardConfigError, build_guard
from guardrails._config import load_policy
from guardrails._guard import _Candidate, _overall_action, _resolve_overlaps
from tests.guardrails._assertions import make_my_number

MY_NUMBER = make_my_number("12345678901")
PHONE = "090-1234-5678"
EMAIL = "taro@example.jp"
CITY_HALL = "03-1234-5678"  # a (fictitious) 代表電話, public on every web page


def _write(tmp_path: Path, body: str, name: str = "policy.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def custom_guard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Guard]:
    path = _write(
        tmp_path_factory.mktemp("policy"),
        'default_action = "block"\n'
        "[actions]\n"
        'PHONE_NUMBER = "mask"\n'
        'EMAIL_ADDRESS = "warn"\n'
        "[allowlist]\n"
        f'PHONE_NUMBER = ["{CITY_HALL}"]\n'
        'EMAIL_ADDRESS = ["Info@City.Example.lg.jp"]\n',
    )
    guard = build_guard(path)
    yield guard
    guard.close()


@pytest.fixture(scope="module")
def ignoring_guard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Guard]:
    path = _write(tmp_path_factory.mktemp("allow"), '[actions]\nEMAIL_ADDRESS = "allow"\n')
    guard = build_guard(path)
    yield guard
    guard.close()


def test_bundled_policy_blocks_every_personal_data_type() -> None:
    policy = load_policy()
    assert policy.default_action is Action.BLOCK
    # 法人番号 is public (国税庁公表), not personal data: only warned about.
    expected = dict.fromkeys(ENTITY_LABELS_JA, Action.BLOCK) | {"CORPORATE_NUMBER": Action.WARN}
    assert {name: policy.action_for(name) for name in ENTITY_LABELS_JA} == expected


def test_default_policy_blocks(guard: Guard) -> None:
    result = guard.scan(f"携帯は{PHONE}です")
    assert result.action is Action.BLOCK
    assert result.blocked


def test_mask_policy_masks(custom_guard: Guard) -> None:
    result = custom_guard.scan(f"携帯は{PHONE}です")
    assert result.action is Action.MASK
    assert not result.blocked
    assert result.redacted == "携帯は<電話番号>です"
    assert result.entity_counts() == {"PHONE_NUMBER": 1}


def test_block_wins_over_mask(custom_guard: Guard) -> None:
    result = custom_guard.scan(f"携帯{PHONE}、マイナンバー{MY_NUMBER}")
    assert result.action is Action.BLOCK
    assert result.entity_counts() == {"MY_NUMBER": 1, "PHONE_NUMBER": 1}


def test_warn_is_reported_but_allowed(custom_guard: Guard) -> None:
    result = custom_guard.scan(f"宛先は{EMAIL}です")
    assert result.action is Action.ALLOW
    assert [f.type for f in result.findings] == ["EMAIL_ADDRESS"]
    # The audit copy still hides the value.
    assert result.redacted == "宛先は<メールアドレス>です"


def test_warn_and_mask_give_mask(custom_guard: Guard) -> None:
    result = custom_guard.scan(f"{EMAIL} / {PHONE}")
    assert result.action is Action.MASK
    assert result.redacted == "<メールアドレス> / <電話番号>"


def _candidate(
    entity: str, start: int, end: int, score: float, action: Action, checked: bool = False
) -> _Candidate:
    return _Candidate(entity, start, end, score, action, checked)


@pytest.mark.parametrize(
    "weaker",
    [Action.WARN, Action.MASK],
    ids=["warn", "mask"],
)
def test_overlap_never_lets_a_weaker_action_hide_a_block(weaker: Action) -> None:
    # A 法人番号 (warn) scored 1.0 on the same digits as a ゆうちょ account (block, 0.45).
    stronger = _candidate("BANK_ACCOUNT", 10, 23, 0.45, Action.BLOCK)
    candidates = [_candidate("CORPORATE_NUMBER", 10, 23, 1.0, weaker, checked=True), stronger]
    kept = _resolve_overlaps(candidates)
    assert kept == [stronger]
    assert _overall_action(c.action for c in kept) is Action.BLOCK


def test_overlap_block_survives_whatever_the_length() -> None:
    # A longer, higher-scored warn finding covering a short block finding.
    block = _candidate("MY_NUMBER", 5, 17, 0.45, Action.BLOCK)
    warn = _candidate("CORPORATE_NUMBER", 4, 17, 0.9, Action.WARN)
    assert _resolve_overlaps([warn, block]) == [block]


def test_overlap_mask_beats_warn() -> None:
    mask = _candidate("PHONE_NUMBER", 0, 10, 0.45, Action.MASK)
    warn = _candidate("EMAIL_ADDRESS", 0, 22, 1.0, Action.WARN)
    assert _resolve_overlaps([warn, mask]) == [mask]


def test_overlap_same_action_keeps_the_higher_score_then_the_longer() -> None:
    high = _candidate("DRIVER_LICENSE", 0, 12, 0.9, Action.BLOCK)
    low = _candidate("MY_NUMBER", 0, 12, 0.45, Action.BLOCK)
    assert _resolve_overlaps([low, high]) == [high]
    long = _candidate("ADDRESS", 0, 20, 0.85, Action.BLOCK)
    short = _candidate("POSTAL_CODE", 0, 8, 0.85, Action.BLOCK)
    assert _resolve_overlaps([short, long]) == [long]


def test_overlap_context_checked_breaks_a_full_tie() -> None:
    labelled = _candidate("DRIVER_LICENSE", 0, 12, 1.0, Action.BLOCK, checked=True)
    shape = _candidate("MY_NUMBER", 0, 12, 1.0, Action.BLOCK)
    assert _resolve_overlaps([shape, labelled]) == [labelled]


def test_overlap_keeps_disjoint_findings_of_every_action() -> None:
    warn = _candidate("CORPORATE_NUMBER", 0, 13, 0.75, Action.WARN)
    block = _candidate("MY_NUMBER", 20, 32, 1.0, Action.BLOCK)
    assert _resolve_overlaps([block, warn]) == [warn, block]


def test_overlapping_warn_finding_does_not_hide_a_masked_one(custom_guard: Guard) -> None:
    # The same ten digits are an e-mail local part (warn here, scored 1.0) and a bare
    # phone number (mask here, scored lower): the stricter action must survive.
    result = custom_guard.scan("0398765432@example.jp")
    assert result.action is Action.MASK
    assert [f.type for f in result.findings] == ["PHONE_NUMBER"]
    assert "0398765432" not in result.redacted


def test_allow_policy_ignores_the_type(ignoring_guard: Guard) -> None:
    result = ignoring_guard.scan(f"宛先は{EMAIL}です")
    assert result.action is Action.ALLOW
    assert result.findings == []
    assert result.redacted == f"宛先は{EMAIL}です"


@pytest.mark.parametrize(
    "text",
    [
        f"市役所の代表電話は{CITY_HALL}です",
        "市役所の代表電話は０３－１２３４－５６７８です",
        "市役所の代表電話は03(1234)5678です",
        "問い合わせはinfo@city.example.lg.jpへ",
    ],
)
def test_allowlisted_public_values_never_trigger(custom_guard: Guard, text: str) -> None:
    result = custom_guard.scan(text)
    assert result.action is Action.ALLOW
    assert result.findings == []
    assert result.redacted == text


def test_allowlist_is_exact(custom_guard: Guard) -> None:
    # A neighbouring number is not public just because the city hall's is.
    result = custom_guard.scan("代表電話は03-1234-5679です")
    assert result.entity_counts() == {"PHONE_NUMBER": 1}


def test_allowlist_is_per_type(tmp_path: Path) -> None:
    policy = load_policy(_write(tmp_path, f'[allowlist]\nPHONE_NUMBER = ["{CITY_HALL}"]\n'))
    assert policy.is_allowlisted("PHONE_NUMBER", CITY_HALL)
    assert not policy.is_allowlisted("MY_NUMBER", CITY_HALL)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param('default_action = "ignore"\n', id="unknown-default-action"),
        pytest.param('[actions]\nPHONE_NUMBER = "hide"\n', id="unknown-action"),
        pytest.param('[actions]\nPHONE = "block"\n', id="unknown-entity"),
        pytest.param("[alowlist]\nPHONE_NUMBER = []\n", id="misspelt-table"),
        pytest.param('[allowlist]\nPHONE_NUMBER = "03-1234-5678"\n', id="allowlist-not-a-list"),
        pytest.param('[allowlist]\nPHONE_NUMBER = [""]\n', id="allowlist-empty-value"),
        pytest.param("actions = [1, 2]\n", id="actions-not-a-table"),
        pytest.param("[actions\n", id="broken-toml"),
        pytest.param('[public]\naction = "pass"\n', id="public-unknown-action"),
        pytest.param('[public]\naction = "warn"\nroles = ["市長"]\n', id="public-unknown-key"),
        pytest.param('[public]\npublic_roles = "市長"\n', id="public-roles-not-a-list"),
        pytest.param('[public]\nminutes_speakers = "yes"\n', id="public-flag-not-bool"),
        pytest.param('[public]\n[ownership]\nperson_words = [""]\n', id="ownership-empty-word"),
        pytest.param('[public]\n[ownership]\nhome_words = ["自宅"]\n', id="ownership-unknown-key"),
        pytest.param('[ingest]\nwithhold = ["MYNUMBER"]\n', id="ingest-unknown-type"),
        pytest.param("[ingest]\nwithhold_private_contact = 1\n", id="ingest-flag-not-bool"),
        pytest.param("public = 1\n", id="public-not-a-table"),
        pytest.param('[public]\nnamed_mailboxes = "staff"\n', id="public-mailboxes-choice"),
        pytest.param('[public]\ncontext_roles = "表彰"\n', id="context-roles-not-tables"),
        pytest.param(
            '[[public.context_roles]]\ncontexts = ["表彰"]\nroles = ["会長"]\n',
            id="context-roles-no-label",
        ),
        pytest.param(
            '[[public.context_roles]]\nlabel = "表彰"\nroles = ["会長"]\n',
            id="context-roles-no-contexts",
        ),
        pytest.param(
            '[[public.context_roles]]\nlabel = "表彰"\ncontexts = ["表彰"]\n',
            id="context-roles-nothing-public",
        ),
        pytest.param(
            '[[public.context_roles]]\nlabel = "表彰"\ncontexts = ["表彰"]\nrole = ["会長"]\n',
            id="context-roles-unknown-key",
        ),
        pytest.param('[public]\nnamesake_words = [""]\n', id="namesake-empty-word"),
        pytest.param(
            '[[public.context_roles]]\nlabel = "x"\ncontexts = ["x"]\nsignatures = true\nletter_lines = "yes"\n',
            id="context-roles-letter-lines-not-bool",
        ),
        pytest.param(
            '[public]\n[ownership]\nlegal_forms = "株式会社"\n', id="legal-forms-not-a-list"
        ),
    ],
)
def test_invalid_policy_is_rejected(tmp_path: Path, body: str) -> None:
    with pytest.raises(GuardConfigError):
        load_policy(_write(tmp_path, body))


def test_missing_policy_file_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(GuardConfigError):
        build_guard(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("", id="empty"),
        pytest.param(
            '[[recognizers]]\nmodule = "guardrails.recognizers.nope"\nclass = "X"\n',
            id="unknown-module",
        ),
        pytest.param(
            '[[recognizers]]\nmodule = "guardrails.recognizers.my_number"\nclass = "Nope"\n',
            id="unknown-class",
        ),
        pytest.param(
            '[[recognizers]]\nmodule = "guardrails._models"\nclass = "Finding"\n',
            id="not-a-recognizer",
        ),
        pytest.param(
            '[[recognizers]]\nmodule = "guardrails.recognizers.my_number"\n'
            'class = "MyNumberRecognizer"\nenabled = false\n',
            id="nothing-enabled",
        ),
        pytest.param(
            '[[recognizers]]\nmodule = "guardrails.recognizers.my_number"\n'
            'class = "MyNumberRecognizer"\nenabled = "yes"\n',
            id="enabled-not-bool",
        ),
        pytest.param(
            '[[recognizers]]\nmodule = "guardrails.recognizers.my_number"\n'
            'class = "MyNumberRecognizer"\nscore = 1\n',
            id="unknown-key",
        ),
    ],
)
def test_invalid_recognizer_config_is_rejected(tmp_path: Path, body: str) -> None:
    path = _write(tmp_path, body, "recognizers.toml")
    with pytest.raises(GuardConfigError):
        build_guard(recognizers_path=path)


def test_disabled_recognizer_is_not_loaded(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '[[recognizers]]\nmodule = "guardrails.recognizers.my_number"\n'
        'class = "MyNumberRecognizer"\n'
        '[[recognizers]]\nmodule = "guardrails.recognizers.email_address"\n'
        'class = "EmailAddressRecognizer"\nenabled = false\n',
        "recognizers.toml",
    )
    guard = build_guard(recognizers_path=path)
    try:
        result = guard.scan(f"{EMAIL} {MY_NUMBER}")
        assert result.entity_counts() == {"MY_NUMBER": 1}
    finally:
        guard.close()


def test_bundled_policy_passes_public_information() -> None:
    public = load_policy().public
    assert public.action is Action.WARN
    assert "議員" in public.public_roles and "課長" not in public.public_roles
    assert public.minutes_speakers and public.area_information
    assert "090" in public.ownership.personal_phone_prefixes
    assert load_policy().ingest.withhold >= {"MY_NUMBER", "BANK_ACCOUNT", "HEALTH_INSURANCE"}


def test_a_policy_without_public_section_blocks_public_information_too(tmp_path: Path) -> None:
    # The step is switched on by [public]: an older policy keeps blocking as before.
    guard = build_guard(_write(tmp_path, 'default_action = "block"\n'))
    try:
        result = guard.scan("問い合わせ：市民課 054-626-1111")
        assert result.blocked
        assert [f.public for f in result.findings] == [None]
    finally:
        guard.close()


@pytest.mark.parametrize(
    ("old", "new", "text", "reported"),
    [
        pytest.param('action = "warn"', 'action = "allow"', "問い合わせ：市民課 054-626-1111", False, id="allow-silently"),
        pytest.param("public_roles = [", 'public_roles = [\n  "課長",', "田中課長の説明", True, id="staff-as-public-roles"),
        pytest.param('label = "講演・催しの案内"', 'label = "講演・催しの案内"\nhonorifics = ["氏"]', "講演会のお知らせ　森田一郎氏", True, id="context-role-honorific-added"),
    ],
)  # fmt: skip
def test_the_bundled_policy_is_tuned_by_data(
    tmp_path: Path, old: str, new: str, text: str, reported: bool
) -> None:
    bundled = resources.files("guardrails").joinpath("conf", "policy.toml").read_text("utf-8")
    guard = build_guard(_write(tmp_path, bundled.replace(old, new, 1)))
    try:
        result = guard.scan(text)
        assert not result.blocked
        assert bool(result.findings) is reported
    finally:
        guard.close()
