"""Fixtures for the nlp tests: real models, trained on a slice of the in-domain corpus.

Training takes a few seconds, so the models are session-scoped and each test that changes a
registry works on its own copy in tmp_path.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nlp_helpers import train_at

from nlp.data import Dataset, read_tsv, split_by_hash, write_tsv
from nlp.indomain import corpus_files
from nlp.model import FeedbackClassifier, load
from nlp.settings import CORPUS_DIR, REGISTRY_DIR


@pytest.fixture(scope="session")
def corpus() -> Dataset:
    data = read_tsv(corpus_files(CORPUS_DIR.path()))
    # A fixed sample keeps the tests fast as the corpus grows.
    rows = sorted(random.Random(7).sample(range(len(data)), min(len(data), 1500)))
    return data.subset(rows)


@pytest.fixture(scope="session")
def split(corpus: Dataset) -> tuple[Dataset, Dataset]:
    return split_by_hash(corpus, 20)


@pytest.fixture(scope="session")
def data_files(
    split: tuple[Dataset, Dataset], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("data")
    files = {"train": directory / "train.tsv", "dev": directory / "dev.tsv"}
    write_tsv(split[0], files["train"])
    write_tsv(split[1], files["dev"])
    return files


@pytest.fixture(scope="session")
def small_model_dir(
    split: tuple[Dataset, Dataset], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    directory = tmp_path_factory.mktemp("model")
    train_at(*split, datetime(2025, 1, 1, tzinfo=UTC)).save(directory)
    return directory


@pytest.fixture(scope="session")
def worse_model_dir(
    split: tuple[Dataset, Dataset], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Trained on shuffled labels: a candidate that must never be promoted."""
    train, dev = split
    rng = random.Random(3)
    shuffled = {c: rng.sample(v, len(v)) for c, v in train.labels.items()}
    directory = tmp_path_factory.mktemp("worse")
    train_at(Dataset(train.texts, shuffled), dev, datetime(2025, 1, 2, tzinfo=UTC)).save(directory)
    return directory


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return tmp_path / "registry"


@pytest.fixture(scope="session")
def shipped() -> FeedbackClassifier:
    return load(REGISTRY_DIR.path())
