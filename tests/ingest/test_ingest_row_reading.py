"""Table rows read as a reader reads them, for the personal-data screen (`_reading`)."""

from __future__ import annotations

from ingest._loaders._reading import row_readings


def test_a_header_labels_each_cell() -> None:
    assert row_readings(["名称", "電話番号"], ["焼津図書館", "054-629-7722"]) == (
        "名称: 焼津図書館、電話番号: 054-629-7722",
    )


def test_surname_and_given_name_columns_read_as_one_name() -> None:
    assert row_readings(["姓", "名", "住所"], ["山田", "太郎", "焼津市本町2-16-32"])[0] == (
        "氏名: 山田 太郎、住所: 焼津市本町2-16-32"
    )
    assert row_readings(["姓（カナ）", "名（カナ）"], ["ヤマダ", "タロウ"])[0] == (
        "氏名(カナ): ヤマダ タロウ"
    )
    # A 名 column that does not follow a 姓 column is left as it is.
    assert row_readings(["名", "姓"], ["太郎", "山田"])[0] == "名: 太郎、姓: 山田"


def test_digits_under_one_merged_header_are_one_number() -> None:
    labels = ["氏名", *["個人番号"] * 12]
    cells = ["山田 太郎", *"123456789018"]
    assert row_readings(labels, cells)[0] == "氏名: 山田 太郎、個人番号: 123456789018"


def test_digit_cells_side_by_side_are_also_read_joined() -> None:
    readings = row_readings(["市外局番", "局番", "番号"], ["090", "1234", "5678"])
    assert readings == ("市外局番: 090、局番: 1234、番号: 5678", "09012345678")
    # Full-width digits, no header.
    assert row_readings([], ["０９０", "１２３４", "５６７８"])[1] == "09012345678"


def test_short_numbers_in_separate_columns_are_not_joined() -> None:
    assert row_readings(["人口", "世帯"], ["12", "7"]) == ("人口: 12、世帯: 7",)
    assert row_readings(["手数料", "件数"], ["300", "円"]) == ("手数料: 300、件数: 円",)


def test_an_empty_row_has_no_reading() -> None:
    assert row_readings(["a", "b"], ["", ""]) == ()
