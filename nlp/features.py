"""Feature views over normalised text, and the no-diacritics training copies.

Measured on UIT-VSFC (docs/nlp.md has the tables): syllable 1-3 grams are as accurate as
word n-grams over underthesea.word_tokenize (which segments ~1,400 texts/s, too slow for the
3,000 texts/s target) and ~8x faster than character 3-7 grams, which gain under a point of
topic F1. The syllable view also reads a start and an end token around the text, so the
first and last words count as such ("thầy ..." opens remarks on a lecturer, "kính gửi ..." a
petition): topic weighted-F1 +0.014 to +0.016 in 5-fold cross-validation on UIT-VSFC train,
+0.006 on dev. So "syllable" is the default view and the others stay available to measure again
(``TrainConfig.views``).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from nlp.charvec import CharNgramVectorizer
from nlp.lexicon import with_markers
from nlp.normalize import strip_diacritics

VIEWS = ("syllable", "char", "word")
# Normalised text has punctuation split off, so no token of it can look like these.
TEXT_START, TEXT_END = "<s>", "</s>"
_EDGE_GRAMS = (TEXT_START, TEXT_END, f"{TEXT_START} {TEXT_END}")


def make_vectorizer(view: str) -> TfidfVectorizer | CharNgramVectorizer:
    # Text is already normalised (lower case, punctuation split off), so no second pass.
    common = {"sublinear_tf": True, "lowercase": False, "dtype": np.float32}
    if view == "syllable":
        # min_df=2: n-grams seen once are a third of the vocabulary and none of the accuracy.
        return TfidfVectorizer(
            preprocessor=with_boundaries,
            token_pattern=r"\S+",
            ngram_range=(1, 3),
            min_df=2,
            **common,
        )
    if view == "char":
        return CharNgramVectorizer(ngram_range=(3, 7), min_df=3)
    if view == "word":
        return TfidfVectorizer(
            tokenizer=word_tokens, token_pattern=None, ngram_range=(1, 3), **common
        )
    raise ValueError(f"unknown feature view {view!r}; choose from {VIEWS}")


def with_boundaries(doc: str) -> str:
    """The document between start and end tokens (a module function, so models pickle)."""
    return f"{TEXT_START} {doc} {TEXT_END}"


def content_features(vectorizer: object, x: csr_matrix) -> np.ndarray:
    """Per row, how many features come from the text itself rather than its boundaries.

    Every document has the start and end tokens; a text of nothing but unseen words must
    still count as unknown to the model.
    """
    vocabulary = getattr(vectorizer, "vocabulary_", None)
    per_row = x.getnnz(axis=1)
    if getattr(vectorizer, "preprocessor", None) is not with_boundaries or vocabulary is None:
        return per_row
    edges = [vocabulary[g] for g in _EDGE_GRAMS if g in vocabulary]
    return per_row - x[:, edges].getnnz(axis=1) if edges else per_row


def word_tokens(text: str) -> list[str]:
    from underthesea import word_tokenize  # slow to import; only the "word" view needs it

    return [w.replace(" ", "_") for w in word_tokenize(text)]


def document(normalized: str) -> str:
    """What the vectorisers read: the normalised text plus its lexicon markers."""
    return with_markers(normalized)


def with_unaccented_copies(texts: list[str]) -> tuple[list[str], list[int]]:
    """Documents of normalised texts and of their diacritic-free copies, and the source row
    of each (for CV groups).

    Measured on UIT-VSFC dev: trained on accented text only, unaccented input drops to
    weighted-F1 0.60 (sentiment) and 0.66 (topic); with these copies it stays at 0.91 / 0.87
    while accented input loses nothing. Unaccented texts produce the same copy twice, which
    only weights them double.
    """
    rows = list(range(len(texts)))
    docs = [document(t) for t in texts] + [document(strip_diacritics(t)) for t in texts]
    return docs, rows + rows
