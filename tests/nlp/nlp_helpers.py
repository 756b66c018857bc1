"""Helpers shared by the nlp tests (a uniquely named module, importable from test files)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from nlp.data import Dataset
from nlp.model import FeedbackClassifier
from nlp.train import TrainConfig, train_model

# One point of the grid keeps training fast; selection itself is tested separately.
FAST = TrainConfig(c_values=(0.6,), weight_powers=(0.75,))
COLUMNS = ("sentiment", "topic", "urgent")


def train_at(
    train: Dataset, dev: Dataset, when: datetime, config: TrainConfig = FAST
) -> FeedbackClassifier:
    return train_model(train, dev, COLUMNS, config, now=when)


def copy_model(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
