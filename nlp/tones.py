"""One place for the tone mark in every syllable: ``hoà``→``hòa``, ``thuý``→``thúy``.

Vietnamese is typed with the tone mark on either of two vowels of an open ``oa/oe/uy``
syllable (old style ``hòa``, new style ``hoà``), and keyboards also misplace it (``qúa``,
``gìa``). The same word would then be two features. We move every tone mark to the old-style
position because it is what UIT-VSFC and most online writing use (measured on UIT-VSFC
train: hòa 71 vs hoà 11, khỏe 11 vs khoẻ 0). Works on lower-case text.
"""

from __future__ import annotations

import re

_TONED = {
    "a": "áàảãạ",
    "ă": "ắằẳẵặ",
    "â": "ấầẩẫậ",
    "e": "éèẻẽẹ",
    "ê": "ếềểễệ",
    "i": "íìỉĩị",
    "o": "óòỏõọ",
    "ô": "ốồổỗộ",
    "ơ": "ớờởỡợ",
    "u": "úùủũụ",
    "ư": "ứừửữự",
    "y": "ýỳỷỹỵ",
}
# toned vowel -> (bare vowel, tone 1..5)
_SPLIT = {t: (v, i + 1) for v, forms in _TONED.items() for i, t in enumerate(forms)}
_VOWELS = "".join(_TONED)
_HATTED = set("ăâêôơư")
_SYLLABLE = re.compile(rf"^([^{_VOWELS}]*)([{_VOWELS}]+)([^{_VOWELS}]*)$")
_WORD = re.compile(r"\w+")


def _strip_tone(syllable: str) -> tuple[str, int]:
    bare, tones = [], []
    for ch in syllable:
        base, tone = _SPLIT.get(ch, (ch, 0))
        bare.append(base)
        if tone:
            tones.append(tone)
    # Two tone marks in one syllable is not Vietnamese; report "no tone" and leave it be.
    return "".join(bare), tones[0] if len(tones) == 1 else 0


def _tone_index(bare: str) -> int | None:
    """Index in ``bare`` of the vowel that carries the tone, or None if not a syllable."""
    m = _SYLLABLE.match(bare)
    if m is None:
        return None
    onset, nucleus, coda = m.groups()
    start = len(onset)
    # In "qu-" and "gi-" (before another vowel) the u / i belong to the onset.
    if len(nucleus) > 1 and (onset, nucleus[0]) in {("q", "u"), ("g", "i")}:
        start, nucleus = start + 1, nucleus[1:]
    hatted = [i for i, ch in enumerate(nucleus) if ch in _HATTED]
    if hatted:
        pos = hatted[-1]  # ươ takes it on ơ; otherwise the only hatted vowel
    elif len(nucleus) == 1:
        pos = 0
    elif coda:
        pos = len(nucleus) - 1  # hoàn, huỳnh
    elif len(nucleus) == 3:
        pos = 1  # ngoài, khuỷu
    else:
        pos = 0  # old style: hòa, thúy, khỏe, mùa, tài
    return start + pos


def place_tone(syllable: str) -> str:
    """The syllable with its tone mark on the old-style vowel; unchanged if not a syllable."""
    bare, tone = _strip_tone(syllable)
    if not tone:
        return syllable
    idx = _tone_index(bare)
    if idx is None:
        return syllable
    return bare[:idx] + _TONED[bare[idx]][tone - 1] + bare[idx + 1 :]


def unify_tones(text: str) -> str:
    """Apply ``place_tone`` to every word of lower-case ``text``."""
    return _WORD.sub(lambda m: place_tone(m.group()), text)
