"""Numbers split over units (service.pipeline.split_values): found when they are a
マイナンバー or a mobile number, never made of quantities, times or table cells."""

from __future__ import annotations

from service.pipeline.split_values import find_split_numbers, mask_split_numbers


def test_halves_in_two_units_with_words_and_a_unit_between() -> None:
    (found,) = find_split_numbers(["前半は123456", "はい", "後半は789018です"])
    assert found.type == "MY_NUMBER"
    masked = mask_split_numbers(["前半は123456", "はい", "後半は789018です"], [found])
    assert masked == ["前半は<マイナンバー>", "はい", "後半は<マイナンバー>です"]


def test_one_digit_per_message_and_a_hyphenated_mobile_number() -> None:
    units = ["確認です。1", *"23456789018"]
    assert [f.type for f in find_split_numbers(units)] == ["MY_NUMBER"]
    assert [f.type for f in find_split_numbers(["090-12", "34-5678です"])] == ["PHONE_NUMBER"]


def test_a_wrong_check_digit_is_no_my_number() -> None:
    assert find_split_numbers(["前半は123456", "後半は789011"]) == []


def test_dates_amounts_times_and_table_rows_are_not_parts() -> None:
    thread = ["令和6年の予算は1234万円", "2025年3月31日までに第12条の手続", "受付は8:30から"]
    assert find_split_numbers(thread) == []
    rows = [
        "1,222127,静岡県,焼津市,二区コミュニティ防災センター,(054)628-3359,475,",
        "2,222127,静岡県,焼津市,三区コミュニティ防災センター,(054)628-5236,531,",
    ]
    assert find_split_numbers(rows) == []
