"""Promotion only when not worse, the previous model kept for rollback, corrections used."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nlp_helpers import FAST, copy_model

from nlp.current import read_pointer
from nlp.data import Correction, Dataset
from nlp.model import load
from nlp.registry import (
    RegistryError,
    promote_if_not_worse,
    retrain_with_corrections,
    rollback,
    versions,
)


def version_of(model_dir: Path) -> str:
    return json.loads((model_dir / "meta.json").read_text())["version"]


def test_first_candidate_is_promoted_when_there_is_no_current_model(
    small_model_dir: Path, registry: Path, data_files: dict[str, Path]
) -> None:
    result = promote_if_not_worse(small_model_dir, registry, data_files["dev"])
    assert result.promoted
    assert result.current_version == version_of(small_model_dir)
    assert load(registry).version == version_of(small_model_dir)


def test_worse_candidate_is_not_promoted_and_not_kept(
    small_model_dir: Path, worse_model_dir: Path, registry: Path, data_files: dict[str, Path]
) -> None:
    promote_if_not_worse(small_model_dir, registry, data_files["dev"])
    candidate = copy_model(worse_model_dir, registry / version_of(worse_model_dir))
    result = promote_if_not_worse(candidate, registry, data_files["dev"])
    assert not result.promoted
    assert "macro-F1 lower" in result.reason
    assert result.current_version == version_of(small_model_dir)
    assert not candidate.exists()
    assert load(registry).version == version_of(small_model_dir)


def test_not_worse_candidate_is_promoted_and_previous_kept_for_rollback(
    small_model_dir: Path, worse_model_dir: Path, registry: Path, data_files: dict[str, Path]
) -> None:
    promote_if_not_worse(worse_model_dir, registry, data_files["dev"])
    result = promote_if_not_worse(small_model_dir, registry, data_files["dev"])
    assert result.promoted
    assert result.previous_version == version_of(worse_model_dir)
    assert versions(registry) == sorted([version_of(worse_model_dir), version_of(small_model_dir)])
    pointer = rollback(registry)
    assert pointer.version == version_of(worse_model_dir)
    assert load(registry).version == version_of(worse_model_dir)


def test_equal_candidate_counts_as_not_worse(
    small_model_dir: Path, registry: Path, data_files: dict[str, Path], tmp_path: Path
) -> None:
    promote_if_not_worse(small_model_dir, registry, data_files["dev"])
    twin = tmp_path / "twin"
    copy_model(small_model_dir, twin)
    meta = json.loads((twin / "meta.json").read_text())
    meta["version"] += "-twin"
    (twin / "meta.json").write_text(json.dumps(meta))
    assert promote_if_not_worse(twin, registry, data_files["dev"]).promoted


def test_rollback_without_a_previous_model_is_refused(
    small_model_dir: Path, registry: Path, data_files: dict[str, Path]
) -> None:
    promote_if_not_worse(small_model_dir, registry, data_files["dev"])
    with pytest.raises(RegistryError):
        rollback(registry)


def test_only_current_and_previous_versions_are_kept(
    split: tuple[Dataset, Dataset], registry: Path, data_files: dict[str, Path]
) -> None:
    for day in (1, 2, 3):
        retrain_with_corrections(
            [data_files["train"]],
            [],
            data_files["dev"],
            registry,
            config=FAST,
            now=datetime(2025, 3, day, tzinfo=UTC),
        )
    pointer = read_pointer(registry)
    assert pointer is not None and pointer.previous is not None
    assert versions(registry) == sorted([pointer.version, pointer.previous])
    assert "20250303" in pointer.version


def test_retraining_learns_a_correction_and_records_the_version_on_labels(
    data_files: dict[str, Path], registry: Path
) -> None:
    text = "Quầy số 7 để cây xanh rất đẹp, nhìn mát mắt"
    corrections = [Correction(text, "topic", "facilities")] + [
        (f"{text} lần {i}", "topic", "facilities") for i in range(3)
    ]
    result = retrain_with_corrections(
        [data_files["train"]],
        corrections,
        data_files["dev"],
        registry,
        config=FAST,
        now=datetime(2025, 4, 1, tzinfo=UTC),
    )
    assert result.promoted
    p = load(registry).predict_one(text)
    assert p.labels["topic"].label == "facilities"
    assert p.model_version == result.current_version
