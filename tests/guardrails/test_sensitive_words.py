"""``[public] sensitive_words``: special-care information (要配慮個人情報) turns a name that
only the kind of text made public (a roster's or notice's role, history, a memorial) back
into a person's name."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
import tomlkit

from guardrails import Guard, build_guard

SHAPES = {
    "jinji": "人事異動（4月1日付）\n総務課長　山田 太郎\n市民課主査　佐藤 花子{detail}",
    "koza": "健康づくり講座のご案内\n講師：岡村 美紀さん（焼津市立総合病院 医師）\n日時：5月10日{detail}",
    "hyosho": "市政功労表彰\n消防団長　杉本 和夫 氏\n民生委員　増田 和子 氏{detail}",
}
DETAILS = [
    pytest.param("（病気療養のため休職中）", id="sick-leave"),
    pytest.param("\n※岡村 美紀・増田 和子・佐藤 花子は生活保護を受給中", id="welfare"),
    pytest.param("\n佐藤 花子・岡村 美紀・増田 和子：減給1か月の懲戒処分", id="discipline"),
    pytest.param("\n（前科あり、被害届の件で警察から照会）", id="crime"),
]


@pytest.fixture(scope="module")
def without_sensitive_words(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Guard]:
    bundled = resources.files("guardrails").joinpath("conf", "policy.toml")
    document = tomlkit.parse(bundled.read_text(encoding="utf-8"))
    document["public"]["sensitive_words"] = []
    path = Path(tmp_path_factory.mktemp("sensitive")) / "policy.toml"
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    built = build_guard(path)
    yield built
    built.close()


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_public_shape_without_special_care_information_passes(guard: Guard, shape: str) -> None:
    assert guard.scan(SHAPES[shape].format(detail="")).action == "allow"


@pytest.mark.parametrize("detail", DETAILS)
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_special_care_information_makes_the_names_personal(
    guard: Guard, shape: str, detail: str
) -> None:
    result = guard.scan(SHAPES[shape].format(detail=detail))
    assert result.action == "block"
    assert any(f.type == "PERSON" and f.public is None for f in result.findings)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_emptied_the_list_passes_the_same_text(without_sensitive_words: Guard, shape: str) -> None:
    text = SHAPES[shape].format(detail="（病気療養のため休職中）")
    assert without_sensitive_words.scan(text).action == "allow"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "認知症予防講座のご案内\n講師：山田 花子さん（焼津市立総合病院 医師）\n日時：5月10日",
            id="lecture-on-dementia",
        ),
        pytest.param(
            "生活保護制度の説明会\n講師：社会福祉課長　川村 誠\n会場：焼津市役所 本庁舎",
            id="welfare-system-talk",
        ),
    ],
)
def test_a_notice_about_a_system_is_not_special_care_information(guard: Guard, text: str) -> None:
    assert guard.scan(text).action == "allow"
