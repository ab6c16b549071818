"""The learned public-document gate (``guardrails/_public_document.py``, ``[public_document]``).

Public documents whose names no role rule covers pass; residents' texts dressed as a
roster, a 人物紹介 or a 講師紹介 still block (identifiers, a person's contact, resident
words, or a low probability); switched off, the same public documents block again.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
import tomlkit

from bench.guard_eval.recall_set import NEVER_TRAINED
from guardrails import Action, Guard, GuardConfigError, PublicBasis, build_guard
from guardrails._normalize import normalize
from guardrails._public_document import (
    HASH_BITS,
    document_features,
    hashed,
    load_model,
    read_model,
    save_model,
)

# Published texts whose names only the gate judges public (no role rule covers them).
PUBLIC = [
    (
        "男女共同参画講演会\n\n演題　「地域で支える子育て」\n講演　望月さおり（子育て支援NPO代表）\n"
        "日時　令和7年3月8日（土）午前10時から\n会場　焼津市総合福祉会館\n申込　不要（当日先着80人）\n"
        "問い合わせ　市民協働課",
        "望月さおり",
    ),
    (
        "令和6年度　焼津市スポーツ表彰\n\n優秀選手賞\n　陸上競技　大石健二（焼津高校3年）\n　水泳　"
        "片山悦子（焼津水泳クラブ）\n功労賞\n　坂本隆（焼津市体育協会理事）\n\n表彰式は1月12日に"
        "市役所で行われました。",
        "片山悦子",
    ),
    (
        "焼津市環境審議会　委員名簿\n\n会長　大塚正典（学識経験者）\n副会長　石川由美（焼津市"
        "自治会連合会）\n委員　木村誠（焼津漁業協同組合）\n委員　望月さおり（公募委員）\n"
        "任期　令和6年4月1日から令和8年3月31日まで",
        "望月さおり",
    ),
]

# Residents' texts in the shapes of public documents: each must still block.
RESIDENTS = [
    # a roster of welfare visits (the model reads it as staff's text)
    "生活保護受給者　訪問予定一覧\n\n1　山田太郎さん（独居、要見守り）\n2　佐藤花子さん"
    "（精神疾患、服薬管理）\n3　鈴木一郎さん（家賃滞納）\n担当　福祉課",
    # a 人物紹介 of a resident's private life
    "広報やいづ　まちの人\n\nDV被害から立ち直った　杉山良子さん\n\n夫の暴力から逃れ、現在は"
    "市内のシェルターで暮らす杉山さん。",
    # a 委員名簿 with a birth date (an identifier shuts the gate)
    "焼津市環境審議会　委員名簿\n\n会長　大塚正典（昭和40年5月3日生）\n委員　木村誠（焼津漁業協同組合）",
    # a 講師紹介 with a mobile number (a person's contact shuts the gate)
    "講師紹介\n\n講師　森川恭子さん（携帯 090-1234-5678）\nテーマ　駿河湾の深海生物",
    # a 委員名簿 with a home address
    "委員名簿\n\n会長　大塚正典（焼津市本町3丁目4番5号）\n委員　木村誠",
    # a reception note
    "相談記録\n\n12月3日　大塚正典さん来庁。固定資産税の分納について。次回1月10日。",
    # first person and kin
    "まちの人\n\n私の母、杉山良子は昨年から認知症で、デイサービスに通っています。",
    # a case list of a child-protection council
    "令和6年度　要保護児童対策地域協議会　ケース一覧\n\n・永井蓮（中2）不登校、ネグレクトの"
    "疑い\n・田村美咲（小4）身体的虐待の通告あり\n・森本翔太（小1）保護者の養育困難",
    # a list of tax arrears
    "固定資産税　滞納者一覧（令和6年度）\n\n1　大塚正典　滞納額 352,000円\n2　石川由美　"
    "滞納額 128,500円\n3　木村誠　滞納額 76,000円",
    # a notice's shape around a resident's application
    "表彰のお知らせ\n\n次の方の生活保護の申請を受理しました。\n長島一郎さん（無職）",
    # a member roster with health and debt details (a resident word shuts the gate)
    "焼津市環境審議会　委員名簿\n\n会長　大塚正典（生活保護受給中）\n副会長　石川由美（精神科に"
    "通院中）\n委員　木村誠（家賃を滞納）\n任期　令和6年4月1日から令和8年3月31日まで",
    # a 人物紹介 with a resident's health and welfare situation
    "広報やいづ　まちの人\n\n港の朝を支えて40年　杉山良平さん\n\n焼津漁港で競りの声を響かせる"
    "杉山さん。昨年からアルコール依存症で入院しており、生活保護の申請を検討中です。",
    # a 講座 notice naming its participants' care levels
    "市民教養講座のご案内\n\n日時　令和7年2月15日（土）午後2時から\n会場　焼津市文化センター\n"
    "参加者　森川恭子さん、大石健二さん（いずれも要介護2、認知症）",
    # a closed council's minutes draft handed to the model (the bench's PII prompts)
    "次の文章の誤字脱字をチェックしてください。\n「第4回情報公開・個人情報保護審査会　議事概要\n"
    "委員長（吉田翼）：費用対効果を検証すべきだ\n事務局（岩間）：児童福祉法との関係を整理します。」",
    "2024年12月5日 教育委員会定例会\n委員：高橋 菜々生、北 貴音、高橋\nパブリックコメントを"
    "実施すべきだとの意見が多数。次回は2025/7/30。\n\nFAQに載せられるように一般化してください。",
    # an English letter to a resident
    "Dear Sakura Ito,\nご依頼の件、Yaizu City Hall, Citizens Division で受け付けました。",
]


@pytest.fixture(scope="module")
def gate_off(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Guard]:
    built = build_guard(_policy(tmp_path_factory.mktemp("gate"), {"enabled": False}))
    yield built
    built.close()


def _policy(folder: Path, settings: dict[str, object]) -> Path:
    bundled = resources.files("guardrails").joinpath("conf", "policy.toml")
    document = tomlkit.parse(bundled.read_text(encoding="utf-8"))
    table = tomlkit.table()
    for key, value in settings.items():
        table[key] = value
    document["public_document"] = table
    path = folder / "policy.toml"
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "name"), PUBLIC)
def test_a_public_document_passes_with_its_names_public(guard: Guard, text: str, name: str) -> None:
    result = guard.scan(text)
    assert result.action is not Action.BLOCK
    names = [f for f in result.findings if text[f.start : f.end] == name]
    assert names and all(f.public is PublicBasis.PUBLIC_GENRE for f in names)


@pytest.mark.parametrize(("text", "name"), PUBLIC)
def test_switched_off_the_same_document_blocks(gate_off: Guard, text: str, name: str) -> None:
    result = gate_off.scan(text)
    assert result.action is Action.BLOCK
    assert any(text[f.start : f.end] == name and f.public is None for f in result.findings)


@pytest.mark.parametrize("text", RESIDENTS)
def test_a_residents_text_in_a_public_shape_still_blocks(guard: Guard, text: str) -> None:
    result = guard.scan(text)
    assert result.action is Action.BLOCK
    assert not any(f.public is PublicBasis.PUBLIC_GENRE for f in result.findings)


def test_the_explanation_names_the_gate(guard: Guard) -> None:
    text, name = PUBLIC[0]
    finding = next(f for f in guard.scan(text).findings if text[f.start : f.end] == name)
    assert finding.cues is not None and finding.cues[0] == "公開文書の判定"


def test_names_judged_by_the_gate_are_not_harvested(guard: Guard) -> None:
    text, name = PUBLIC[2]
    review = guard.review_public_text(text)
    assert any(
        text[f.start : f.end] == name and f.public is PublicBasis.PUBLIC_GENRE
        for f in review.findings
    )
    assert not any(v.kind == "PERSON" and v.value == name for v in review.values)


@pytest.mark.parametrize(
    "settings",
    [
        {"enabled": "yes"},
        {"threshold": 0.3},
        {"threshold": 1.5},
        {"threshold": True},
        {"resident_words": ["私", ""]},
        {"resident_words": "私"},
        {"unknown": 1},
    ],
)
def test_a_wrong_setting_is_a_config_error(tmp_path: Path, settings: dict[str, object]) -> None:
    with pytest.raises(GuardConfigError):
        build_guard(_policy(tmp_path, settings))


def test_the_data_file_is_small_and_loads_once() -> None:
    assert load_model() is load_model()
    data = resources.files("guardrails").joinpath("data", "public_document.npz")
    assert len(data.read_bytes()) < 400_000


@pytest.mark.parametrize("file", ["public_document.npz", "name_tagger.npz"])
def test_the_shipped_models_never_saw_the_final_test(file: str) -> None:
    data = resources.files("guardrails").joinpath("data", file)
    with data.open("rb") as handle, np.load(handle, allow_pickle=False) as npz:
        meta = str(npz["meta"])
    assert "parts=" in meta and "sealed7" not in meta
    parts = set(meta.split("parts=")[1].split()[0].split(","))
    assert not parts & set(NEVER_TRAINED)


def test_a_saved_model_reads_back_the_same(tmp_path: Path) -> None:
    model = load_model()
    path = tmp_path / "again.npz"
    save_model(path, model.weights, model.intercept, "test")
    again = read_model(path)
    assert np.array_equal(again.weights, model.weights)
    text = normalize(PUBLIC[0][0]).text
    assert again.probability(text) == model.probability(text)


def test_a_data_file_of_another_size_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "small.npz"
    save_model(path, np.zeros(1 << (HASH_BITS - 1), dtype=np.float32), 0.0, "test")
    with pytest.raises(ValueError):
        read_model(path)


def test_features_are_stable_and_distinct() -> None:
    features = document_features("委員名簿\n会長　大塚正典")
    assert "c2:名簿" in features and "lines:2" in features
    buckets = hashed(features)
    assert buckets == sorted(set(buckets)) and buckets == hashed(list(reversed(features)))
