"""Normalisation: one spelling per word, whatever keyboard or habit produced it."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp.abbreviations import ABBREVIATIONS
from nlp.normalize import normalize, strip_diacritics
from nlp.tones import place_tone


@pytest.mark.parametrize(("short", "full"), sorted(ABBREVIATIONS.items()))
def test_every_abbreviation_in_the_table_is_written_out(short: str, full: str) -> None:
    assert normalize(f"xin {short} nhé") == f"xin {normalize(full)} nhé"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ko dc", "không được"),
        ("hok đc", "không được"),
        ("cb ubnd", "cán bộ ủy ban nhân dân"),
        ("hs tthc", "hồ sơ thủ tục hành chính"),
        ("K", "không"),
    ],
)
def test_common_teencode_of_the_issue(typed: str, expected: str) -> None:
    assert normalize(typed) == expected


@pytest.mark.parametrize(
    ("new_style", "old_style"),
    [("hoà", "hòa"), ("thuý", "thúy"), ("khoẻ", "khỏe"), ("hoạ", "họa"), ("tuỳ", "tùy")],
)
def test_new_style_tone_placement_becomes_old_style(new_style: str, old_style: str) -> None:
    assert normalize(new_style) == old_style
    assert normalize(old_style) == old_style


@pytest.mark.parametrize(
    ("misplaced", "expected"),
    [("qúa", "quá"), ("gìa", "già"), ("cuả", "của"), ("hoàn", "hoàn"), ("ngoaì", "ngoài")],
)
def test_misplaced_tone_marks_move_to_their_vowel(misplaced: str, expected: str) -> None:
    assert place_tone(misplaced) == expected


@pytest.mark.parametrize("word", ["người", "nước", "huỳnh", "khuỷu", "giữa", "quý", "gìn", "việt"])
def test_correctly_placed_tones_are_left_alone(word: str) -> None:
    assert place_tone(word) == word


def test_decomposed_unicode_is_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "Cán bộ nhiệt tình")
    assert normalize(decomposed) == "cán bộ nhiệt tình"


def test_upper_case_and_punctuation_are_split_and_lowered() -> None:
    assert normalize("CÁN BỘ Rất Tốt!!!") == "cán bộ rất tốt ! ! !"


def test_stretched_letters_are_cut_back() -> None:
    assert normalize("nhanh quáaaaa, ngonnnn") == "nhanh quá , ngon"


def test_numbers_keep_their_digits() -> None:
    assert normalize("chờ 1000 ngày") == "chờ 1000 ngày"


def test_emoticons_and_emoji_become_polarity_tokens_and_others_vanish() -> None:
    assert normalize("tốt :) 👍 🎉") == "tốt colonsmile colonsmile"
    assert normalize("chán :( 😡") == "chán colonsad colonsad"


def test_strip_diacritics_gives_the_unaccented_view() -> None:
    assert strip_diacritics("đăng ký sổ đỏ ở ủy ban") == "dang ky so do o uy ban"


@given(st.text(max_size=200))
def test_normalize_never_fails_and_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


def test_controls_and_ascii_accents_go_whether_or_not_the_text_is_ascii() -> None:
    # Found by the property above: "R\x1b" gave "rồi \x1b", and that gave "rồi".
    assert normalize("R\x1b") == normalize("rồi\x1b") == "rồi"
    assert (normalize("ok^`\x07"), normalize("ổn^`\x07")) == ("ok", "ổn")
