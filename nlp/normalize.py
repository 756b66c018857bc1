"""Text normalisation: one spelling for one word, so one feature for one word.

``normalize`` applies, in order: Unicode NFC; lower case; emoticons and emoji to the two
polarity tokens of ``nlp.abbreviations`` (other emoji dropped); letters stretched for
emphasis (``quáaaa``, ``ngonnnn``) cut back; punctuation split off into its own tokens;
tone marks moved to one position (``nlp.tones``); abbreviations and teencode written out.
``strip_diacritics`` gives the no-diacritics view that lets unaccented input classify.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from nlp.abbreviations import (
    ABBREVIATIONS,
    NEGATIVE_EMOJI,
    NEGATIVE_EMOTICONS,
    NEGATIVE_TOKEN,
    POSITIVE_EMOJI,
    POSITIVE_EMOTICONS,
    POSITIVE_TOKEN,
)
from nlp.tones import _SPLIT, place_tone

_EMOTICON = re.compile(
    "|".join(
        re.escape(e) for e in sorted(POSITIVE_EMOTICONS + NEGATIVE_EMOTICONS, key=len, reverse=True)
    )
)
_EMOTICON_TOKEN = {e: POSITIVE_TOKEN for e in POSITIVE_EMOTICONS} | {
    e: NEGATIVE_TOKEN for e in NEGATIVE_EMOTICONS
}
_EMOJI_TOKEN = str.maketrans(
    {ch: f" {POSITIVE_TOKEN} " for ch in POSITIVE_EMOJI}
    | {ch: f" {NEGATIVE_TOKEN} " for ch in NEGATIVE_EMOJI}
)
# Symbols (emoji, pictographs), marks that glue emoji together, private-use characters.
_DROPPED_CATEGORIES = {"So", "Sk", "Cs", "Co", "Cf", "Cc"}
_ASCII_DROPPED = str.maketrans(
    {chr(i): " " for i in range(128) if unicodedata.category(chr(i)) in _DROPPED_CATEGORIES}
)
_NON_WORD = re.compile(r"[^\w\s]")
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")
_STRETCHED_TONED = re.compile(rf"([{''.join(_SPLIT)}])([aăâeêioôơuưy])\2*")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_VIET_TO_ASCII = str.maketrans(
    {ch: unicodedata.normalize("NFD", ch)[0] for ch in _SPLIT}
    | {ch: unicodedata.normalize("NFD", ch)[0] for ch in "ăâêôơư"}
    | {"đ": "d", "Đ": "D"}
)


def normalize(text: str) -> str:
    """The normalised form of ``text``: lower-case tokens separated by single spaces."""
    text = unicodedata.normalize("NFC", text).lower()
    text = _EMOTICON.sub(lambda m: f" {_EMOTICON_TOKEN[m.group()]} ", text)
    text = _drop_symbols(text.translate(_EMOJI_TOKEN))
    return " ".join(_normal_token(t) for t in _TOKEN.findall(text))


def strip_diacritics(text: str) -> str:
    """``text`` without tone marks or vowel hats, and with đ as d (expects NFC)."""
    return text.translate(_VIET_TO_ASCII)


def _drop_symbols(text: str) -> str:
    if text.isascii():  # the common case: no emoji, only controls and the accents ^ and `
        return text.translate(_ASCII_DROPPED)
    return "".join(" " if unicodedata.category(ch) in _DROPPED_CATEGORIES else ch for ch in text)


def _cut_toned_stretch(m: re.Match[str]) -> str:
    toned, bare = m.group(1), m.group(2)
    return toned if _SPLIT[toned][0] == bare else m.group()


@lru_cache(maxsize=200_000)
def _normal_token(token: str) -> str:
    # Cached: a feedback vocabulary is small, and this runs once per token of every text.
    if token in ABBREVIATIONS:
        return ABBREVIATIONS[token]  # before cutting stretches: "cccd" is not "cd"
    # Cutting a stretch can change where the tone goes and vice versa ("iì" -> "ìi" -> "ì"),
    # so repeat until neither changes anything; two rounds are enough in practice.
    for _ in range(4):
        respelled = place_tone(
            _STRETCHED_TONED.sub(_cut_toned_stretch, _STRETCHED.sub(r"\1", token))
        )
        if respelled == token:
            break
        token = respelled
    return ABBREVIATIONS.get(token, token)
