"""The model registry: versioned directories, promotion only when not worse, rollback.

Layout::

    registry/
      current.json        {"version": "...", "previous": "..."}
      <version>/          model.joblib, meta.json   (current)
      <version>/          the previous one, kept for rollback

Promotion compares macro-F1 per label column on the same dev data, current model against
candidate, freshly computed (stored metrics may come from another dev set). A candidate that
is lower on any column is not promoted and its directory is removed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from nlp.current import Pointer, read_pointer, write_pointer
from nlp.data import Correction, Dataset, read_tsv, split_by_hash, with_corrections
from nlp.evaluate import evaluate
from nlp.indomain import default_columns
from nlp.model import META_FILE, FeedbackClassifier, load
from nlp.normalize import normalize
from nlp.settings import DEV_PERCENT
from nlp.train import TrainConfig, train_model


class RegistryError(RuntimeError):
    pass


@dataclass(frozen=True)
class PromotionResult:
    promoted: bool
    candidate_version: str
    current_version: str | None  # in use after the decision
    previous_version: str | None
    reason: str
    candidate_macro_f1: dict[str, float | None] = field(default_factory=dict)
    current_macro_f1: dict[str, float | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def promote_if_not_worse(
    candidate_dir: Path, registry_dir: Path, dev_tsv: Path, tolerance: float = 0.0
) -> PromotionResult:
    return promote_on(candidate_dir, registry_dir, read_tsv(dev_tsv), tolerance)


def promote_on(
    candidate_dir: Path, registry_dir: Path, dev: Dataset, tolerance: float = 0.0
) -> PromotionResult:
    candidate = load(candidate_dir)
    cand_f1 = macro_f1s(candidate, dev)
    pointer = read_pointer(registry_dir)
    if pointer is None:
        return _promote(candidate, candidate_dir, registry_dir, "no current model", cand_f1, {})
    current_f1 = macro_f1s(load(registry_dir / pointer.version), dev)
    worse = _worse_columns(cand_f1, current_f1, tolerance)
    if worse:
        if candidate_dir.resolve().parent == registry_dir.resolve():
            shutil.rmtree(candidate_dir)  # a rejected candidate is not kept in the registry
        return PromotionResult(
            False,
            candidate.version,
            pointer.version,
            pointer.previous,
            "macro-F1 lower: " + "; ".join(worse),
            cand_f1,
            current_f1,
        )
    return _promote(candidate, candidate_dir, registry_dir, "not worse", cand_f1, current_f1)


def _worse_columns(
    candidate: dict[str, float | None], current: dict[str, float | None], tolerance: float
) -> list[str]:
    """Columns where the candidate is lower (or missing) than the current model."""
    worse = []
    for column, now in current.items():
        new = candidate.get(column)
        if now is not None and (new is None or new < now - tolerance):
            worse.append(f"{column} {new} < {now}")
    return worse


def macro_f1s(model: FeedbackClassifier, dev: Dataset) -> dict[str, float | None]:
    return {c: m["macro_f1"] for c, m in evaluate(model, dev).items()}


def _promote(
    candidate: FeedbackClassifier,
    candidate_dir: Path,
    registry_dir: Path,
    reason: str,
    cand_f1: dict[str, float | None],
    current_f1: dict[str, float | None],
) -> PromotionResult:
    install(candidate_dir, registry_dir, candidate.version)
    pointer = set_current(registry_dir, candidate.version)
    return PromotionResult(
        True, candidate.version, pointer.version, pointer.previous, reason, cand_f1, current_f1
    )


def install(model_dir: Path, registry_dir: Path, version: str) -> Path:
    """Copy a model directory into the registry under its version (no-op if already there)."""
    target = registry_dir / version
    if target.resolve() == model_dir.resolve():
        return target
    if target.exists():
        raise RegistryError(f"version {version} is already in {registry_dir}")
    shutil.copytree(model_dir, target)
    return target


def set_current(registry_dir: Path, version: str) -> Pointer:
    """Make ``version`` current, keep the one it replaces as previous, drop older ones."""
    old = read_pointer(registry_dir)
    if old is None:
        pointer = Pointer(version)
    else:
        # Re-installing the current version must not make it its own previous.
        pointer = Pointer(version, old.previous if old.version == version else old.version)
    write_pointer(registry_dir, pointer)
    _prune(registry_dir, keep={version, pointer.previous})
    return pointer


def rollback(registry_dir: Path) -> Pointer:
    """Go back to the previous version; the one left becomes previous (so rollback undoes)."""
    old = read_pointer(registry_dir)
    if old is None or old.previous is None:
        raise RegistryError(f"nothing to roll back to in {registry_dir}")
    pointer = Pointer(old.previous, old.version)
    write_pointer(registry_dir, pointer)
    return pointer


def versions(registry_dir: Path) -> list[str]:
    return sorted(p.name for p in registry_dir.iterdir() if (p / META_FILE).is_file())


def _prune(registry_dir: Path, keep: set[str | None]) -> None:
    for name in versions(registry_dir):
        if name not in keep:
            shutil.rmtree(registry_dir / name)


def retrain_with_corrections(
    corpus_tsvs: Sequence[Path],
    corrections: Iterable[Correction | tuple[str, str, str]],
    dev_tsv: Path | None,
    registry_dir: Path,
    columns: Sequence[str] | None = None,
    config: TrainConfig = TrainConfig(),
    now: datetime | None = None,
) -> PromotionResult:
    """The nightly job: retrain on corpus + corrections, promote only if not worse on dev.

    Without ``dev_tsv`` the dev split is the hash split of corpus + corrections (as for the
    default model), so a corrected dev text is judged by its corrected label.
    """
    fixes = [Correction._make(c) for c in corrections]
    data = with_corrections(read_tsv(list(corpus_tsvs)), fixes)
    train, dev = _train_dev(data, dev_tsv, fixes)
    model = train_model(train, dev, columns or default_columns(train), config, now=now)
    candidate_dir = registry_dir / model.version
    model.save(candidate_dir)
    return promote_on(candidate_dir, registry_dir, dev)


def _train_dev(
    data: Dataset, dev_tsv: Path | None, fixes: list[Correction]
) -> tuple[Dataset, Dataset]:
    if dev_tsv is None:
        return split_by_hash(data, DEV_PERCENT)
    dev = read_tsv(dev_tsv)
    in_dev = {normalize(t) for t in dev.texts}
    # Corrections fix dev labels but add no dev rows; train keeps no text that is in dev.
    dev = with_corrections(dev, [f for f in fixes if normalize(f.text) in in_dev])
    keep = [i for i, t in enumerate(data.texts) if normalize(t) not in in_dev]
    return data.subset(keep), dev
