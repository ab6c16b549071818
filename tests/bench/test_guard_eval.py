"""The guard benchmark's evaluation-set generator (bench/guard_eval): fast checks."""

from __future__ import annotations

import unicodedata

import pytest

from bench.guard_eval import (
    ENTITY_TYPES,
    EVASION_TYPES,
    Pred,
    Sample,
    Span,
    generate_clean_texts,
    generate_evasion_suite,
    generate_pii_prompts,
    load_ner_samples,
    make_denylist,
    score_spans,
)
from bench.guard_eval.checkdigits import (
    is_valid_corporate_number,
    is_valid_driver_license,
    is_valid_my_number,
    is_valid_resident_code,
    luhn_is_valid,
    my_number_check_digit,
)
from bench.guard_eval.evasion import ZERO_WIDTH
from bench.guard_eval.generator import check_templates

SEED = 11


@pytest.fixture(scope="module")
def pii() -> list[Sample]:
    return generate_pii_prompts(SEED, 90)


def _digits(value: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", value) if c.isdigit())


def test_templates_name_only_known_placeholders() -> None:
    check_templates()


def test_generator_is_deterministic_for_a_seed(pii: list[Sample]) -> None:
    again = generate_pii_prompts(SEED, 90)
    assert [s.to_json() for s in again] == [s.to_json() for s in pii]
    other = generate_pii_prompts(SEED + 1, 90)
    assert [s.text for s in other] != [s.text for s in pii]
    assert make_denylist(SEED) == make_denylist(SEED)
    assert [s.to_json() for s in generate_evasion_suite(SEED, 40)] == [
        s.to_json() for s in generate_evasion_suite(SEED, 40)
    ]
    assert [s.text for s in generate_clean_texts(SEED, 30)] == [
        s.text for s in generate_clean_texts(SEED, 30)
    ]


def test_gold_spans_point_at_their_values(pii: list[Sample]) -> None:
    for sample in pii + generate_evasion_suite(SEED, 60):
        assert sample.spans, sample.id
        previous_end = -1
        for span in sorted(sample.spans, key=lambda s: s.start):
            assert span.type in ENTITY_TYPES
            assert sample.text[span.start : span.end] == span.value
            assert span.value and span.value == span.value.strip()
            assert span.start >= previous_end, f"overlapping gold spans in {sample.id}"
            previous_end = span.end


def test_every_entity_type_and_category_occurs(pii: list[Sample]) -> None:
    types = {span.type for s in pii for span in s.spans}
    assert types == set(ENTITY_TYPES)
    assert len({s.category for s in pii}) == 7
    sources = {src for s in pii for src in s.meta["name_sources"]}
    assert sources == {"faker", "jpnd"}


def test_published_check_digit_vectors() -> None:
    assert my_number_check_digit("12345678901") == "8"
    assert is_valid_corporate_number("7000012050002")  # 国税庁's own 法人番号
    assert luhn_is_valid("4111111111111111")
    assert luhn_is_valid("01130012")  # 保険者番号 of 協会けんぽ 東京支部
    assert not is_valid_my_number("123456789019")


def test_generated_identifiers_have_valid_check_digits(pii: list[Sample]) -> None:
    checks = {
        "MY_NUMBER": is_valid_my_number,
        "CORPORATE_NUMBER": is_valid_corporate_number,
        "RESIDENT_CODE": is_valid_resident_code,
        "DRIVER_LICENSE": is_valid_driver_license,
        "CREDIT_CARD": luhn_is_valid,
    }
    seen = dict.fromkeys(checks, 0)
    insurer_numbers = 0
    for sample in pii:
        for span in sample.spans:
            if span.type in checks:
                assert checks[span.type](_digits(span.value)), (span.type, span.value)
                seen[span.type] += 1
            elif span.type == "HEALTH_INSURANCE" and sample.text[: span.start].endswith(
                "保険者番号"
            ):
                if not sample.text[: span.start].endswith("被保険者番号"):
                    assert luhn_is_valid(_digits(span.value)), span.value
                    insurer_numbers += 1
    assert all(seen.values()), seen
    assert insurer_numbers > 0


def test_clean_texts_have_no_gold_and_laws_fit_the_latency_budget() -> None:
    clean = generate_clean_texts(SEED, 60)
    assert len(clean) == 60
    assert all(not s.spans and s.kind == "clean" for s in clean)
    laws = [s for s in clean if s.category == "法令"]
    assert laws and all(len(s.text) <= 400 for s in laws)
    assert {s.category for s in clean} >= {"法令", "FAQ"}


def test_evasion_suite_covers_types_and_transforms() -> None:
    suite = generate_evasion_suite(SEED, 320)
    assert len(suite) == 320
    assert {s.spans[0].type for s in suite} == set(EVASION_TYPES)
    transforms = {s.meta["transform"] for s in suite}
    assert {"fullwidth", "zero_width", "kanji_digits", "hyphen_lookalike", "newline"} <= transforms
    zero_width = [s for s in suite if s.meta["transform"] == "zero_width"]
    assert zero_width
    assert all(any(c in s.text for c in ZERO_WIDTH) for s in zero_width)


def test_overlap_scoring() -> None:
    sample = Sample(
        id="x",
        kind="pii",
        category="test",
        text="山田太郎様 090-1234-5678",
        spans=(Span("PERSON", 0, 4, "山田太郎"), Span("PHONE_NUMBER", 6, 19, "090-1234-5678")),
    )
    preds = {"x": [Pred("PERSON", 0, 5), Pred("MY_NUMBER", 6, 19)]}
    scores = score_spans([sample], preds, ["PERSON", "PHONE_NUMBER", "MY_NUMBER"])
    assert scores["PERSON"].recall == 1.0 and scores["PERSON"].precision == 1.0
    assert scores["PHONE_NUMBER"].recall == 0.0 and scores["PHONE_NUMBER"].recall_any == 1.0
    assert scores["MY_NUMBER"].precision == 0.0


def test_ner_set_loads_person_spans() -> None:
    ner = load_ner_samples()
    assert len(ner) == 500
    persons = [span for s in ner for span in s.spans]
    assert len(persons) == 162
    assert all(s.text[p.start : p.end] == p.value for s in ner for p in s.spans)


def test_fresh_held_out_part_is_deterministic_with_gold_on_its_values() -> None:
    from bench.guard_eval.fresh_heldout import (
        FRESH2,
        PART,
        generate_fresh_public,
        generate_fresh_residents,
    )

    residents = generate_fresh_residents(7)
    assert [s.text for s in residents] == [s.text for s in generate_fresh_residents(7)]
    assert len(residents) >= 150
    for s in residents:
        assert s.meta["part"] == PART and s.spans
        for g in s.spans:
            assert s.text[g.start : g.end] == g.value
        # every item also quotes a public office (never gold)
        assert s.meta["public"]
    public = generate_fresh_public(7)
    assert len(public) >= 150 and all(not s.spans for s in public)
    second = generate_fresh_residents(7, 4, FRESH2)
    assert len(second) >= 60 and {s.meta["part"] for s in second} == {"fresh2"}
    assert all(s.text[g.start : g.end] == g.value for s in second for g in s.spans)
    assert len(generate_fresh_public(7, 6, FRESH2)) >= 60
    assert {"zh", "zh_hant", "easy_ja", "ja_faq", "ja_minutes", "ja_listing"} <= {
        s.category for s in public
    }


@pytest.mark.parametrize(
    ("part", "residents", "public"),
    [
        ("dev", 250, 110),
        ("dev3", 30, 20),
        ("dev4", 45, 15),
        ("sealed", 150, 80),
        ("sealed2", 120, 80),
        ("sealed3", 150, 90),
        ("sealed4", 150, 40),
        ("sealed5", 170, 40),
        ("sealed6", 150, 40),
        ("dev5", 50, 10),
        ("public_sealed5", 12, 200),
        ("public_dev5", 5, 60),
        ("public_sealed6", 12, 200),
        ("sealed7", 200, 40),
        ("public_sealed7", 15, 200),
    ],
)
def test_recall_set_items_are_well_formed(part: str, residents: int, public: int) -> None:
    from bench.guard_eval.recall_set import LANGUAGES, load_recall_set

    items = load_recall_set(part)
    assert sum(s.kind == "resident" for s in items) >= residents
    assert sum(s.kind == "public" for s in items) >= public
    assert len({s.id for s in items}) == len(items)
    for s in items:
        assert s.category in LANGUAGES
        if s.kind == "public":
            assert not s.spans and not s.meta["public"], s.id
            continue
        assert s.spans, s.id
        marks = sorted([(g.start, g.end) for g in s.spans] + list(s.meta["public"]))
        for (_, end), (start, _) in zip(marks, marks[1:], strict=False):
            assert end <= start, f"overlapping marks in {s.id}"
        for g in s.spans:
            assert g.type in ENTITY_TYPES
            assert s.text[g.start : g.end] == g.value == g.value.strip(), s.id


def test_recall_set_parser_rejects_malformed_items() -> None:
    from bench.guard_eval.recall_set import RecallSetError, _Raw, parse_item

    def raw(kind: str, body: str, lang: str = "ja") -> _Raw:
        return _Raw(kind=kind, lang=lang, form="memo", body=body, line=1)

    ok = parse_item(raw("r", "受付 ⟦PERSON|山田 花子⟧ 様（⟪054-626-1111⟫）"), "x")
    assert ok.text == "受付 山田 花子 様（054-626-1111）"
    assert ok.spans[0].value == "山田 花子" and ok.meta["public"] == [(11, 23)]
    for bad in (
        raw("r", "名前なし"),
        raw("p", "公開 ⟦PERSON|山田⟧"),
        raw("r", "⟦NAME|山田⟧"),
        raw("r", "⟦PERSON|山田⟧", lang="xx"),
        raw("r", "⟦PERSON|山田⟧ ⟦"),
    ):
        with pytest.raises(RecallSetError):
            parse_item(bad, "x")
