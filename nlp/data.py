"""Labelled TSV files: reading, the hash train/dev split, corrections, a content hash.

Any UTF-8 TSV with a header, a ``text`` column and label columns will do (no quoting, as in
UIT-VSFC and data/feedback). An empty label cell means "not labelled for this column", which
lets a correction add a row that carries a single label.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from nlp.normalize import normalize


class DataError(ValueError):
    """A data file that cannot be used; the message names the file and the problem."""


class Correction(NamedTuple):
    """A supervisor's label for one text (who and when are kept by the database)."""

    text: str
    label_column: str
    new_label: str


@dataclass(frozen=True)
class Dataset:
    texts: list[str]
    labels: dict[str, list[str]]  # column -> one label per text, "" where unlabelled

    @property
    def columns(self) -> list[str]:
        return list(self.labels)

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, rows: Sequence[int]) -> Dataset:
        return Dataset(
            [self.texts[i] for i in rows],
            {c: [v[i] for i in rows] for c, v in self.labels.items()},
        )

    def labelled(self, column: str) -> tuple[list[str], list[str]]:
        pairs = [(t, y) for t, y in zip(self.texts, self.labels[column], strict=True) if y]
        return [t for t, _ in pairs], [y for _, y in pairs]

    def sha256(self) -> str:
        digest = hashlib.sha256("\t".join(["text", *self.columns]).encode())
        for i, text in enumerate(self.texts):
            row = [text, *(self.labels[c][i] for c in self.columns)]
            digest.update(("\n" + "\t".join(row)).encode())
        return digest.hexdigest()


def read_tsv(paths: Path | Iterable[Path]) -> Dataset:
    """Rows of one or more TSV files; columns missing from a file are unlabelled there."""
    files = [paths] if isinstance(paths, Path) else list(paths)
    if not files:
        raise DataError("no data files")
    tables = [_read_one(p) for p in files]
    columns = list(dict.fromkeys(c for rows in tables for c in rows[0] if c != "text"))
    texts = [r["text"] for rows in tables for r in rows]
    labels = {c: [(r.get(c) or "").strip() for rows in tables for r in rows] for c in columns}
    return Dataset(texts, labels)


def _read_one(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{path}: {exc}") from exc
    if not rows or "text" not in rows[0]:
        raise DataError(f"{path}: no rows, or no 'text' column in the header")
    if any(None in r for r in rows):
        raise DataError(f"{path}: a row has more cells than the header")
    return rows


def is_dev(text: str, dev_percent: int) -> bool:
    """Stable across runs, machines and file order; duplicates land on the same side."""
    digest = hashlib.sha256(normalize(text).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < dev_percent


def split_by_hash(data: Dataset, dev_percent: int) -> tuple[Dataset, Dataset]:
    dev = [is_dev(t, dev_percent) for t in data.texts]
    train_rows = [i for i, d in enumerate(dev) if not d]
    dev_rows = [i for i, d in enumerate(dev) if d]
    return data.subset(train_rows), data.subset(dev_rows)


def with_corrections(data: Dataset, corrections: Iterable[Correction]) -> Dataset:
    """Corrections override the label of the same (normalised) text, or add a new row."""
    texts, labels = list(data.texts), {c: list(v) for c, v in data.labels.items()}
    row_of = {normalize(t): i for i, t in enumerate(texts)}
    for text, column, label in map(Correction._make, corrections):
        if column not in labels:
            labels[column] = [""] * len(texts)
        key = normalize(text)
        if key not in row_of:
            row_of[key] = len(texts)
            texts.append(text)
            for values in labels.values():
                values.append("")
        labels[column][row_of[key]] = label
    return Dataset(texts, labels)


def write_tsv(data: Dataset, path: Path) -> None:
    lines = ["\t".join(["text", *data.columns])]
    for i, text in enumerate(data.texts):
        lines.append("\t".join([text, *(data.labels[c][i] for c in data.columns)]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
