"""Fitting one label column's linear classifier, and calibrating it out of fold."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.svm import LinearSVC

from nlp.calibration import as_matrix, fit_temperature, recall_threshold, softmax

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

    from nlp.train import TrainConfig


@dataclass(frozen=True)
class Candidate:
    view: str
    C: float
    weight_power: float


@dataclass(frozen=True)
class HeadData:
    x: dict[str, csr_matrix]  # view -> train features (with unaccented copies)
    y: list[str]  # one label per train row, "" where unlabelled
    groups: list[int]  # source row of each train row, so a copy never leaks across folds
    x_dev: dict[str, csr_matrix]
    y_dev: list[str]

    def labelled_rows(self) -> np.ndarray:
        return np.array([i for i, y in enumerate(self.y) if y], dtype=int)


def class_weights(y: list[str], power: float) -> dict[str, float]:
    counts = Counter(y)
    n, k = len(y), len(counts)
    return {label: (n / (k * c)) ** power for label, c in counts.items()}


def fit_candidate(
    cand: Candidate, data: HeadData, seed: int, rows: np.ndarray | None = None
) -> LinearSVC:
    rows = data.labelled_rows() if rows is None else rows
    y = [data.y[i] for i in rows]
    clf = LinearSVC(C=cand.C, class_weight=class_weights(y, cand.weight_power), random_state=seed)
    clf.fit(data.x[cand.view][rows], y)
    # float32 halves the shipped model; scores change by ~1e-7, no label does.
    clf.coef_ = clf.coef_.astype(np.float32)
    clf.intercept_ = clf.intercept_.astype(np.float32)
    return clf


def dev_threshold(
    clf: LinearSVC,
    cand: Candidate,
    data: HeadData,
    temperature: float,
    positive: str,
    target: float,
) -> float | None:
    """The recall-tuned threshold on dev, or None when dev has no positive row."""
    rows = [i for i, y in enumerate(data.y_dev) if y]
    truth = np.array([data.y_dev[i] for i in rows])
    if not (truth == positive).any():
        return None
    probs = softmax(clf.decision_function(data.x_dev[cand.view][rows]), temperature)
    pos = [str(c) for c in clf.classes_].index(positive)
    return recall_threshold(probs[:, pos], truth == positive, target)


def calibrate(
    cand: Candidate,
    data: HeadData,
    classes: list[str],
    positive: str | None,
    config: TrainConfig,
) -> tuple[float, float | None]:
    """Temperature, and for a yes/no column the threshold on P(yes), from out-of-fold scores."""
    scores, truth = _out_of_fold_scores(cand, data, classes, config)
    if len(truth) == 0:
        return 1.0, (0.5 if positive else None)
    y_index = np.array([classes.index(t) for t in truth])
    temperature = fit_temperature(scores, y_index)
    if positive is None:
        return temperature, None
    p_pos = softmax(scores, temperature)[:, classes.index(positive)]
    return temperature, recall_threshold(p_pos, truth == positive, config.recall_target)


def _out_of_fold_scores(
    cand: Candidate, data: HeadData, classes: list[str], config: TrainConfig
) -> tuple[np.ndarray, np.ndarray]:
    rows = data.labelled_rows()
    y = np.array([data.y[i] for i in rows])
    groups = np.array([data.groups[i] for i in rows])
    n_splits = min(config.folds, len(set(groups.tolist())))
    if n_splits < 2:
        return np.empty((0, len(classes))), np.array([], dtype=str)
    folds = StratifiedGroupKFold(n_splits, shuffle=True, random_state=config.seed)
    scores, truth = [], []
    for fit_idx, held_idx in folds.split(rows, y, groups):
        if len(set(y[fit_idx].tolist())) < 2:
            continue  # a fold with one class cannot be fitted; its rows go uncalibrated
        clf = fit_candidate(cand, data, config.seed, rows[fit_idx])
        held = data.x[cand.view][rows[held_idx]]
        scores.append(_align(as_matrix(clf.decision_function(held)), clf, classes))
        truth.append(y[held_idx])
    if not scores:
        return np.empty((0, len(classes))), np.array([], dtype=str)
    return np.vstack(scores), np.concatenate(truth)


def _align(scores: np.ndarray, clf: LinearSVC, classes: list[str]) -> np.ndarray:
    """Scores in the column order of ``classes``; a class the fold never saw scores lowest."""
    fold_classes = [str(c) for c in clf.classes_]
    if fold_classes == classes:
        return scores
    out = np.full((scores.shape[0], len(classes)), scores.min() - 1.0)
    for j, c in enumerate(fold_classes):
        out[:, classes.index(c)] = scores[:, j]
    return out
