"""The default in-domain model: trained from data/feedback/corpus_*.tsv, shipped in the repo.

Train/dev split: a row is dev when the first four bytes of sha256(normalised text), read as
an integer, are < DEV_PERCENT (20) modulo 100 (``nlp.data.is_dev``). It depends on nothing
but the text, so it is the same on every machine, whatever the file order, and a text that
occurs twice (or reappears in a correction) stays on one side.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from nlp.data import DataError, Dataset, read_tsv, split_by_hash
from nlp.model import FeedbackClassifier
from nlp.settings import CORPUS_GLOB, DEFAULT_LABELS, DEV_PERCENT
from nlp.train import TrainConfig, train_model


def corpus_files(corpus_dir: Path) -> list[Path]:
    files = sorted(corpus_dir.glob(CORPUS_GLOB))
    if not files:
        raise DataError(f"no {CORPUS_GLOB} in {corpus_dir}")
    return files


def default_columns(data: Dataset) -> list[str]:
    """The default label columns the data has, or every column if it has none of them."""
    return [c for c in DEFAULT_LABELS if c in data.labels] or data.columns


def train_default(
    corpus_dir: Path, config: TrainConfig = TrainConfig(), now: datetime | None = None
) -> FeedbackClassifier:
    files = corpus_files(corpus_dir)
    train, dev = split_by_hash(read_tsv(files), DEV_PERCENT)
    model = train_model(train, dev, default_columns(train), config, now=now)
    model.meta["data"]["sources"] = [f.name for f in files]
    model.meta["data"]["split"] = f"sha256(normalised text) % 100 < {DEV_PERCENT} -> dev"
    return model
