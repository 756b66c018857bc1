"""Decide whether a text can be classified at all, and normalise it.

Empty, emoji-only or foreign-language text gets a low-confidence fallback label instead of a
guess or an error; a very long text is cut and classified, and the cut is noted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from nlp.abbreviations import NEGATIVE_TOKEN, POSITIVE_TOKEN
from nlp.normalize import normalize, strip_diacritics


class Note(StrEnum):
    EMPTY = "empty"
    NO_WORDS = "no_words"  # only emoji, punctuation or digits
    NOT_VIETNAMESE = "not_vietnamese"
    UNKNOWN_WORDS = "unknown_words"  # words, but none the model has seen
    TRUNCATED = "truncated"


# Onset, vowel nucleus and final consonant of a Vietnamese syllable, without diacritics.
_SYLLABLE = re.compile(
    r"(ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|nh|ng|[cmnpt])?"
)
# Tokens that stand for emoticons or symbols, here and in UIT-VSFC's release text.
_MARKERS = frozenset({POSITIVE_TOKEN, NEGATIVE_TOKEN, "dotdotdot", "doubledot", "fraction"})
# Loanwords, English names and typos are common in Vietnamese feedback; below this share of
# Vietnamese syllables a text is taken to be in another language.
_MIN_VIETNAMESE_SHARE = 0.5


@dataclass(frozen=True)
class Screened:
    normalized: str
    notes: tuple[Note, ...]

    @property
    def usable(self) -> bool:
        return not {Note.EMPTY, Note.NO_WORDS, Note.NOT_VIETNAMESE} & set(self.notes)


def screen(text: str, max_chars: int) -> Screened:
    notes: list[Note] = []
    if len(text) > max_chars:
        text = _cut(text, max_chars)
        notes.append(Note.TRUNCATED)
    normalized = normalize(text)
    words = [w for w in normalized.split() if w.isalpha() and w not in _MARKERS]
    if not text.strip():
        notes.append(Note.EMPTY)
    elif not words:
        notes.append(Note.NO_WORDS)
    elif sum(map(_is_syllable, words)) < _MIN_VIETNAMESE_SHARE * len(words):
        notes.append(Note.NOT_VIETNAMESE)
    return Screened(normalized, tuple(notes))


def _cut(text: str, max_chars: int) -> str:
    head = text[:max_chars]
    # Cut at the last space so no half word becomes a feature; a text without spaces is cut hard.
    return head.rsplit(None, 1)[0] if " " in head.strip() else head


@lru_cache(maxsize=100_000)
def _is_syllable(word: str) -> bool:
    return _SYLLABLE.fullmatch(strip_diacritics(word)) is not None
