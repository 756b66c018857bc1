"""Feature views: the numpy char n-grams match scikit-learn's; text boundaries; the lexicon
markers."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from nlp.charvec import CharNgramVectorizer
from nlp.features import TEXT_START, content_features, make_vectorizer
from nlp.lexicon import markers
from nlp.model import FeedbackClassifier
from nlp.normalize import normalize

DOCS = [
    normalize(t)
    for t in [
        "Cán bộ nhiệt tình, hồ sơ xong nhanh",
        "Chờ lâu quá, cán bộ không nhiệt tình",
        "Hồ sơ trễ hẹn, chờ lâu",
        "Phòng chờ nóng, cán bộ nhiệt tình",
    ]
]


def test_char_ngrams_equal_scikit_learns_tfidf_features() -> None:
    ours = CharNgramVectorizer((3, 7), min_df=2).fit(DOCS)
    theirs = TfidfVectorizer(
        analyzer="char", ngram_range=(3, 7), min_df=2, sublinear_tf=True, lowercase=False
    ).fit(DOCS)
    assert len(ours.hashes_) == len(theirs.vocabulary_)
    a = np.sort(ours.transform(DOCS).toarray(), axis=1)
    b = np.sort(theirs.transform(DOCS).toarray(), axis=1)
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_char_ngrams_never_span_two_documents() -> None:
    vec = CharNgramVectorizer((3, 3), min_df=1).fit(["abc", "def"])
    assert len(vec.hashes_) == 2  # "abc", "def"; not "bcd" or "c\x00d"


def test_char_ngrams_of_unseen_or_empty_text_are_empty_rows() -> None:
    vec = CharNgramVectorizer().fit(DOCS)
    x = vec.transform(["", "zzzzzzz"])
    assert x.shape == (2, len(vec.hashes_)) and x.nnz == 0


def test_lexicon_marks_evaluative_words_and_negation_flips_them() -> None:
    assert markers(normalize("Cán bộ tận tình, rất hài lòng")) == ["lexpos", "lexpos"]
    assert markers(normalize("không hài lòng")) == ["lexneg"]
    assert markers(normalize("lam viec tac trach")) == ["lexneg"]


def test_syllable_view_gives_the_first_and_last_words_features_of_their_own() -> None:
    docs = [normalize(t) for t in ("Hồ sơ trễ hẹn, chờ lâu", "Hồ sơ bị trả, chờ lâu")]
    vec = make_vectorizer("syllable").fit(docs)
    assert f"{TEXT_START} hồ sơ" in vec.vocabulary_
    same_words = [normalize("chờ lâu, hồ sơ trễ hẹn"), normalize("hồ sơ trễ hẹn, chờ lâu")]
    a, b = vec.transform(same_words).toarray()
    assert not np.allclose(a, b)  # same bag of syllables, different first and last words


def test_text_of_unseen_words_has_no_content_features_despite_its_boundaries() -> None:
    vec = make_vectorizer("syllable").fit(DOCS)
    x = vec.transform(["khuỷu ngoẵng", "", DOCS[0]])
    assert x.getnnz(axis=1)[0] > 0  # the start and end tokens are always there
    assert list(content_features(vec, x) > 0) == [False, False, True]


def test_shipped_model_notes_vietnamese_text_it_has_never_seen(
    shipped: FeedbackClassifier,
) -> None:
    p = shipped.predict_one("khuỷu ngoẵng quềnh")
    assert "unknown_words" in p.notes
    assert p.labels["topic"].label == "other" and p.labels["topic"].confidence < 0.5
