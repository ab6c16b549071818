"""Table rows read as a reader reads them, for the personal-data screen (`_reading`)."""

from __future__ import annotations

from ingest._loaders._reading import TableRow, row_readings, table_readings

MY_NUMBER = "123456789018"


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


def test_digit_cells_no_header_tells_apart_are_also_read_joined() -> None:
    assert row_readings([], ["090", "1234", "5678"]) == ("090、1234、5678", "09012345678")
    assert row_readings([], ["０９０", "１２３４", "５６７８"])[1] == "09012345678"
    assert row_readings(["電話", "", ""], ["090", "8765", "4321"])[1] == "09087654321"
    assert row_readings([], ["123456", "789018"])[1] == "123456789018"


def test_numbers_under_different_labels_are_not_joined() -> None:
    months = [f"{m}月" for m in range(1, 13)]
    counts = list("310245617283")
    assert row_readings(months, counts) == (
        "、".join(f"{m}: {c}" for m, c in zip(months, counts, strict=True)),
    )
    assert row_readings(["人口", "世帯"], ["1234", "5678"]) == ("人口: 1234、世帯: 5678",)
    assert row_readings(["手数料", "件数"], ["300", "円"]) == ("手数料: 300、件数: 円",)


def test_an_empty_row_has_no_reading() -> None:
    assert row_readings(["a", "b"], ["", ""]) == ()


def _rows(*rows: list[str]) -> list[TableRow]:
    return [TableRow(" | ".join(r), r, r) for r in rows]


def test_a_table_reads_its_data_rows_under_the_first_row() -> None:
    read = table_readings(
        _rows(["姓", "名", "住所"], ["山田", "太郎", "本町1-2"], ["佐藤", "花子", "本町3"])
    )
    assert [r.readings[0] for r in read] == [
        "姓、名、住所",
        "氏名: 山田 太郎、住所: 本町1-2",
        "氏名: 佐藤 花子、住所: 本町3",
    ]


def test_a_two_level_header_labels_each_column() -> None:
    # 人口 spans three columns (blank cells in a sheet), 総数 | 男 | 女 below it.
    read = table_readings(
        _rows(
            ["地区", "人口", "", "", "世帯数"],
            ["", "総数", "男", "女", ""],
            ["本町", "1234", "6012", "6333", "987"],
        )
    )
    assert read[2].readings == ("地区: 本町、人口 総数: 1234、男: 6012、女: 6333、世帯数: 987",)


def test_a_merged_header_over_digits_is_one_label() -> None:
    spanned = ["受付", *["個人番号"] * 12]
    header = TableRow("受付 | 個人番号", spanned, ["受付", "個人番号", *[""] * 11])
    data = TableRow("済 | " + " | ".join(MY_NUMBER), ["済", *MY_NUMBER], ["済", *MY_NUMBER])
    assert table_readings([header, data])[1].readings[0] == f"受付: 済、個人番号: {MY_NUMBER}"


def test_a_data_row_under_a_header_with_blank_trailing_cells_is_not_a_header() -> None:
    read = table_readings(_rows(["姓", "名", "住所", ""], ["山田", "太郎", "本町1-2", "メモ"]))
    assert read[1].readings[0] == "氏名: 山田 太郎、住所: 本町1-2、メモ"
