"""The feedback classifier: predictions with confidence and model version, saving, loading.

A model is a directory holding ``model.joblib`` (vectorisers and one linear head per label
column) and ``meta.json`` (version, data hashes, label sets, metrics, library versions). A
registry directory (see nlp.registry) may be given instead; its current version is loaded.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy.sparse import spmatrix
from sklearn.svm import LinearSVC

from nlp.calibration import softmax
from nlp.current import resolve_model_dir
from nlp.features import content_features, document
from nlp.screening import Note, Screened, screen
from nlp.settings import MAX_CHARS

MODEL_FILE = "model.joblib"
META_FILE = "meta.json"


@dataclass(frozen=True)
class LabelScore:
    label: str
    confidence: float


@dataclass(frozen=True)
class Prediction:
    labels: dict[str, LabelScore]
    model_version: str
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "labels": {
                c: {"label": s.label, "confidence": s.confidence} for c, s in self.labels.items()
            },
            "model_version": self.model_version,
            "notes": list(self.notes),
        }


@dataclass
class Head:
    """One label column: a linear classifier over one feature view, with its calibration."""

    column: str
    view: str
    classifier: LinearSVC
    temperature: float
    fallback: str
    positive: str | None = None  # set for recall-tuned yes/no columns
    threshold: float | None = None

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.classifier.classes_]

    def probabilities(self, x: spmatrix) -> np.ndarray:
        return softmax(self.classifier.decision_function(x), self.temperature)

    def decide(self, probs: np.ndarray) -> list[LabelScore]:
        classes = self.classes
        if self.positive is not None and self.threshold is not None:
            pos = classes.index(self.positive)
            neg = classes[1 - pos]
            return [
                LabelScore(self.positive, _round(p[pos]))
                if p[pos] >= self.threshold
                else LabelScore(neg, _round(1.0 - p[pos]))
                for p in probs
            ]
        best = probs.argmax(axis=1)
        return [LabelScore(classes[b], _round(p[b])) for b, p in zip(best, probs, strict=True)]

    def fallback_score(self) -> LabelScore:
        # As sure as a blind guess among the labels: low by construction.
        return LabelScore(self.fallback, _round(1.0 / len(self.classes)))


@dataclass
class FeedbackClassifier:
    vectorizers: dict[str, Any]
    heads: dict[str, Head]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unversioned"))

    @property
    def max_chars(self) -> int:
        return int(self.meta.get("max_chars", MAX_CHARS))

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """One prediction per text, in order; unusable texts get the fallback labels."""
        screened = [screen(t, self.max_chars) for t in texts]
        rows = [i for i, s in enumerate(screened) if s.usable]
        docs = [document(screened[i].normalized) for i in rows]
        labelled = dict(zip(rows, self._label(docs), strict=True))
        return [self._prediction(s, labelled.get(i)) for i, s in enumerate(screened)]

    def predict_one(self, text: str) -> Prediction:
        return self.predict([text])[0]

    def _label(self, docs: list[str]) -> list[dict[str, LabelScore] | None]:
        """Labels per document, or None where no feature of it is known to the model."""
        if not docs:
            return []
        matrices = {view: vec.transform(docs) for view, vec in self.vectorizers.items()}
        known = np.zeros(len(docs), dtype=bool)
        for view, m in matrices.items():
            known |= content_features(self.vectorizers[view], m) > 0
        decided = {c: h.decide(h.probabilities(matrices[h.view])) for c, h in self.heads.items()}
        return [
            {c: decided[c][j] for c in self.heads} if known[j] else None for j in range(len(docs))
        ]

    def _prediction(self, s: Screened, labels: dict[str, LabelScore] | None) -> Prediction:
        notes = [str(n) for n in s.notes]
        if s.usable and labels is None:
            notes.append(str(Note.UNKNOWN_WORDS))
        if labels is None:
            labels = {c: h.fallback_score() for c, h in self.heads.items()}
        return Prediction(labels, self.version, tuple(notes))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        joblib.dump(
            {"vectorizers": self.vectorizers, "heads": self.heads},
            directory / MODEL_FILE,
            compress=3,
        )
        (directory / META_FILE).write_text(
            json.dumps(self.meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


def _round(p: float) -> float:
    return round(float(p), 4)


_cache: dict[tuple[Path, int], FeedbackClassifier] = {}
_lock = threading.Lock()


def load(path: Path) -> FeedbackClassifier:
    """The model at ``path`` (a model dir or a registry), loaded once per process."""
    directory = resolve_model_dir(path)
    # The file's mtime is in the key so a model retrained in place is read again.
    key = (directory, (directory / META_FILE).stat().st_mtime_ns)
    with _lock:
        if key not in _cache:
            _cache.clear()  # a newly promoted model replaces the old one in memory
            _cache[key] = read_model(directory)
        return _cache[key]


def read_model(directory: Path) -> FeedbackClassifier:
    """Read a model directory, bypassing the cache (load() is what callers want)."""
    state = joblib.load(directory / MODEL_FILE)
    meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    return FeedbackClassifier(state["vectorizers"], state["heads"], meta)
