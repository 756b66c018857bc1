"""Metrics per label column, in the JSON shape ``motcua nlp eval --json`` prints."""

from __future__ import annotations

import warnings
from typing import Any

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.metrics import precision_recall_fscore_support as prfs

from nlp.data import Dataset
from nlp.model import FeedbackClassifier


def evaluate(model: FeedbackClassifier, data: Dataset) -> dict[str, dict[str, Any]]:
    """Metrics for every label column that both the model and the data have."""
    columns = [c for c in model.heads if c in data.labels]
    predictions = model.predict(data.texts)
    report = {}
    for column in columns:
        pairs = [
            (y, p.labels[column].label)
            for y, p in zip(data.labels[column], predictions, strict=True)
            if y
        ]
        report[column] = metrics([y for y, _ in pairs], [p for _, p in pairs])
    return report


def metrics(y_true: list[str], y_pred: list[str]) -> dict[str, Any]:
    """Accuracy, macro/weighted F1, per-class P/R/F1/support and the confusion matrix.

    Labels are those seen in either list, sorted, so rows and columns are stable.
    """
    labels = sorted(set(y_true) | set(y_pred))
    if not y_true:
        return {
            "accuracy": None,
            "macro_f1": None,
            "weighted_f1": None,
            "per_class": {},
            "confusion": {"labels": [], "matrix": []},
        }
    p, r, f, s = prfs(y_true, y_pred, labels=labels, zero_division=0)
    return {
        "accuracy": _r(accuracy_score(y_true, y_pred)),
        "macro_f1": _r(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
        "weighted_f1": _r(
            f1_score(y_true, y_pred, labels=labels, average="weighted", zero_division=0)
        ),
        "per_class": {
            label: {"precision": _r(p[i]), "recall": _r(r[i]), "f1": _r(f[i]), "support": int(s[i])}
            for i, label in enumerate(labels)
        },
        # rows: true label, columns: predicted label, both in the order of "labels"
        "confusion": {"labels": labels, "matrix": _confusion(y_true, y_pred, labels)},
    }


def _confusion(y_true: list[str], y_pred: list[str], labels: list[str]) -> list[list[int]]:
    with warnings.catch_warnings():
        # One label only (a dev subset of questions, say) is fine: we pass the labels.
        warnings.filterwarnings("ignore", message="A single label was found")
        return confusion_matrix(y_true, y_pred, labels=labels).tolist()


def _r(x: float) -> float:
    return round(float(x), 4)
