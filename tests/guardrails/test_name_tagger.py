"""NameTaggerRecognizer (PERSON, learned): names in sentences written for these tests
(none of them is in the training parts), public words and roles left alone, the policy
switch, and the data file."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
import tomlkit

from guardrails import Action, Guard, GuardConfigError, build_guard
from guardrails._name_tagger import (
    HASH_BITS,
    MODEL_FILE,
    decode,
    featurise,
    hashed,
    load_model,
    read_model,
    resident_cues,
    save_model,
)
from guardrails._nlp_engine import LANGUAGE, SudachiNlpEngine
from guardrails._normalize import normalize
from guardrails.recognizers.name_tagger import MAX_SCORE, MIN_SCORE, NameTaggerRecognizer


@pytest.fixture(scope="module")
def engine() -> SudachiNlpEngine:
    built = SudachiNlpEngine()
    built.load()
    return built


@pytest.fixture(scope="module")
def tagger() -> NameTaggerRecognizer:
    return NameTaggerRecognizer()


def tagged(tagger: NameTaggerRecognizer, engine: SudachiNlpEngine, text: str) -> list[str]:
    """What the tagger alone finds in ``text`` (normalised as the guard does)."""
    analysed = normalize(text).text
    results = tagger.analyze(analysed, ["PERSON"], engine.process_text(analysed, LANGUAGE))
    for result in results:
        assert MIN_SCORE <= result.score <= MAX_SCORE
    return [analysed[r.start : r.end] for r in results]


NAMES = [
    pytest.param(
        "The caseworker visited Mrs. Okonkwo and her son Emeka on Tuesday.",
        ["Okonkwo", "Emeka"],
        id="en-title-and-kin",
    ),
    pytest.param(
        "Meu marido Rafael Souza perdeu o cartão de residência.", ["Rafael Souza"], id="pt-kin"
    ),
    pytest.param(
        "Chị Trần Thị Hoa hỏi về bảo hiểm y tế cho con gái.", ["Trần Thị Hoa"], id="vi-title"
    ),
    pytest.param("Saya Dewi Lestari, mau tanya soal pajak.", ["Dewi Lestari"], id="id-self"),
    pytest.param("我叫刘洋，想问一下国民健康保险的事。", ["刘洋"], id="zh-self"),
    pytest.param("娘の紬が熱を出したと連絡がありました。", ["紬"], id="ja-kin"),
    pytest.param("昨日、岸辺宅を訪問。息子の湊も同席。", ["湊"], id="ja-kin-2"),
    pytest.param(
        "相談者：宗像 千尋（40代）、子どもの就学について。", ["宗像 千尋"], id="ja-label-spaced"
    ),
]


@pytest.mark.parametrize(("text", "names"), NAMES)
def test_finds_names_in_unseen_sentences(
    tagger: NameTaggerRecognizer, engine: SudachiNlpEngine, text: str, names: list[str]
) -> None:
    assert tagged(tagger, engine, text) == names


def test_finds_a_korean_given_name_with_its_particle(
    tagger: NameTaggerRecognizer, engine: SudachiNlpEngine
) -> None:
    # Sudachi keeps a Hangul word whole: the finding covers the particle too.
    assert tagged(tagger, engine, "우리 딸 서윤이가 내일 학교에 못 가요.") == ["서윤이가"]


PUBLIC = [
    pytest.param(
        "Garbage collection days change from April. Contact the Environment Division.",
        id="en-notice",
    ),
    pytest.param("焼津市役所 本町2-16-32 開庁時間 8時30分から17時15分", id="ja-facility"),
    pytest.param("Mayor Kenji Arai opened the new library on Monday.", id="en-mayor-no-cues"),
    pytest.param("市長 田中一郎は記者会見で予算を発表しました。", id="ja-mayor-no-cues"),
    pytest.param("住民票の写しは市民課の窓口で申請してください。", id="ja-procedure"),
]


@pytest.mark.parametrize("text", PUBLIC)
def test_leaves_public_text_alone(
    tagger: NameTaggerRecognizer, engine: SudachiNlpEngine, text: str
) -> None:
    assert tagged(tagger, engine, text) == []


ROLES = [
    pytest.param("議長の皆さん、田中一郎市長から挨拶があります。", "田中一郎", id="ja-mayor"),
    pytest.param(
        "Dear residents, Mayor Kenji Arai will speak at the festival.",
        "Kenji Arai",
        id="en-mayor",
    ),
]


@pytest.mark.parametrize(("text", "name"), ROLES)
def test_a_name_in_a_public_role_stays_public(guard: Guard, text: str, name: str) -> None:
    result = guard.scan(text)
    assert result.action is not Action.BLOCK
    persons = [f for f in result.findings if f.type == "PERSON"]
    assert all(f.public is not None for f in persons)


NOT_NAMES = [
    pytest.param("お客様と大家さんと課長様", id="ja-honoured-nouns"),
    pytest.param("マスコットキャラクター「はなちゃん」が来ます", id="ja-mascot"),
    pytest.param("Aさんから問い合わせ", id="placeholder-letter"),
    pytest.param("Tôi tên là Trần Văn Minh, đến từ Hà Nội.", id="vi-place"),
    pytest.param("I am Sri Lankan.", id="nationality"),
    pytest.param("저는 유학생입니다.", id="ko-occupation"),
    pytest.param(
        "本人は、国又は地方公共団体の機関に申し出ることができる。", id="ja-law-conjunction"
    ),
    pytest.param("CRECHE TIA SUZI（焼津市田尻1589）をご利用ください。", id="caps-business"),
    pytest.param("手続きは岡本石井病院保育所でもできます。本人確認書類が必要です。", id="hospital"),
    pytest.param(
        "Dear Mr. Saito, we will send the form to 4-22-16 Chuo-cho, Sakura-shi, Chiba.",
        id="romanised-city",
    ),
    pytest.param("我叫吴秀珍，住在千叶县佐仓市中央町3-191-6。", id="zh-prefecture"),
    pytest.param(
        "名称: 親子ふれあい広場、名称_カナ: オヤコフレアイヒロバ、住所: 静岡県焼津市本町5-6-1",
        id="facility-reading",
    ),
]


@pytest.mark.parametrize("text", NOT_NAMES)
def test_the_rules_vocabularies_veto(
    tagger: NameTaggerRecognizer, engine: SudachiNlpEngine, text: str
) -> None:
    # What the tagger alone adds (the rules may still find the real name, Trần Văn Minh).
    vetoed = {
        *("大家", "はな", "A", "Hà Nội", "Sri", "유학생입니다", "国又", "TIA", "石井"),
        *("Sakura", "叶", "千叶", "オヤコフレアイヒロバ"),
    }
    assert not vetoed & set(tagged(tagger, engine, text))


@pytest.mark.parametrize(
    ("text", "cues"),
    [
        pytest.param("娘の紬が熱を出しました", True, id="ja-kin"),
        pytest.param("My wife is sick", True, id="en-kin"),
        pytest.param("제 이름은 모릅니다", True, id="ko-name"),
        pytest.param("開庁時間は8時30分からです", False, id="ja-notice"),
        pytest.param("Garbage collection days change", False, id="en-notice"),
    ],
)
def test_resident_cues(text: str, cues: bool) -> None:
    assert resident_cues(text) is cues


# -- the policy switch ---------------------------------------------------------------------


def _policy(folder: Path, **settings: object) -> Path:
    bundled = resources.files("guardrails").joinpath("conf", "policy.toml")
    document = tomlkit.parse(bundled.read_text(encoding="utf-8"))
    table: tomlkit.items.Table = document["name_tagger"]
    for key, value in settings.items():
        table[key] = value
    path = folder / "policy.toml"
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def guard_without_tagger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Guard]:
    built = build_guard(_policy(tmp_path_factory.mktemp("policy"), enabled=False))
    yield built
    built.close()


# Found by the tagger only: the rules leave these unframed names alone (checked with the
# tagger switched off, below).
TAGGER_ONLY = [
    pytest.param("Left a message for Okonkwo about the bill, no answer yet.", "Okonkwo", id="en"),
    pytest.param("Called Adeyemi twice this morning, the line was busy.", "Adeyemi", id="en-2"),
    pytest.param(
        "Falei com a Benedita sobre o auxílio escolar, ela volta amanhã.", "Benedita", id="pt"
    ),
]


@pytest.mark.parametrize(("text", "name"), TAGGER_ONLY)
def test_the_guard_blocks_what_only_the_tagger_finds(guard: Guard, text: str, name: str) -> None:
    result = guard.scan(text)
    assert result.action is Action.BLOCK
    assert name not in result.redacted


@pytest.mark.parametrize(("text", "name"), TAGGER_ONLY)
def test_switched_off_the_tagger_finds_nothing(
    guard_without_tagger: Guard, text: str, name: str
) -> None:
    assert not any(
        isinstance(r, NameTaggerRecognizer)
        for r in guard_without_tagger._analyzer.registry.recognizers
    )
    result = guard_without_tagger.scan(text)
    assert result.action is Action.ALLOW
    assert name in result.redacted


@pytest.mark.parametrize(
    "settings",
    [
        pytest.param({"enabled": "no"}, id="enabled-not-bool"),
        pytest.param({"threshold": 0}, id="threshold-zero"),
        pytest.param({"threshold_without_cues": 3.0}, id="threshold-too-high"),
        pytest.param({"thresold": 0.5}, id="misspelt-key"),
    ],
)
def test_a_wrong_setting_is_a_config_error(tmp_path: Path, settings: dict[str, object]) -> None:
    with pytest.raises(GuardConfigError):
        build_guard(_policy(tmp_path, **settings))


# -- the data file ---------------------------------------------------------------------------


def test_the_data_file_loads_once_and_is_small() -> None:
    resource = resources.files("guardrails").joinpath("data", MODEL_FILE)
    assert len(resource.read_bytes()) < 5_000_000
    model = load_model()
    assert load_model() is model
    assert model.weights.shape == (1 << HASH_BITS,)
    assert np.count_nonzero(model.weights) > 1000


def test_reading_the_data_file_twice_gives_the_same_model() -> None:
    resource = resources.files("guardrails").joinpath("data", MODEL_FILE)
    with resource.open("rb") as a, resource.open("rb") as b:
        first, second = read_model(a), read_model(b)
    assert np.array_equal(first.weights, second.weights)
    assert first.intercept == second.intercept


def test_a_saved_model_reads_back(tmp_path: Path) -> None:
    weights = np.zeros(1 << HASH_BITS, dtype=np.float32)
    weights[hashed(["w=emeka"])[0]] = 3.0
    save_model(tmp_path / "m.npz", weights, -1.0, "test")
    model = read_model(tmp_path / "m.npz")
    assert model.weights[hashed(["w=emeka"])[0]] == 3.0
    assert model.intercept == -1.0


def test_a_data_file_of_another_size_is_refused(tmp_path: Path) -> None:
    np.savez(
        tmp_path / "bad.npz",
        weights=np.zeros(16, dtype=np.float16),
        intercept=np.zeros(1),
        version=np.asarray([1, HASH_BITS]),
        meta=np.asarray("bad"),
    )
    with pytest.raises(ValueError):
        read_model(tmp_path / "bad.npz")


def test_hashing_is_stable() -> None:
    # CRC-32, not Python's salted hash: the trained weights depend on these buckets.
    mask = (1 << HASH_BITS) - 1
    assert hashed(["w=emeka", "b"]) == [zlib.crc32(b"w=emeka") & mask, zlib.crc32(b"b") & mask]


def test_scores_are_deterministic(tagger: NameTaggerRecognizer, engine: SudachiNlpEngine) -> None:
    text = "Meu marido Rafael Souza perdeu o cartão de residência."
    artifacts = engine.process_text(text, LANGUAGE)
    spans, rows = featurise(text, artifacts.morphemes)
    first = tagger.model.probabilities(rows)
    assert first == tagger.model.probabilities(rows)
    assert decode(text, spans, first, 0.5) == decode(text, spans, first, 0.5)
