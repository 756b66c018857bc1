"""Where the feedback classifier lives at run time.

The model shipped in the repo (``data/models/feedback``) is read-only: it is what a fresh
install classifies with. Nightly retraining writes to a registry of its own in the data
directory (setting ``retrain_model_dir``, default ``<data_dir>/runtime/models/feedback``),
seeded with a copy of the shipped model so that the first candidate is judged against it and
a rollback can return to it. Whichever registry has a current model is the one in use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.config import Settings
from nlp.current import read_pointer, resolve_model_dir
from nlp.settings import CORPUS_DIR, REGISTRY_DIR

if TYPE_CHECKING:
    # scikit-learn takes seconds to import: only the commands that classify pay for it.
    from nlp.model import FeedbackClassifier


@dataclass(frozen=True)
class ModelPaths:
    registry: Path  # writable: retrained models, current.json, the previous one for rollback
    shipped: Path  # read-only registry (or model directory) that comes with the code
    corpus_dir: Path  # the labelled in-domain corpus, corpus_*.tsv
    work_dir: Path  # exports made for a retraining run

    def active(self) -> Path:
        """The registry whose current model classifies: ours once it has one."""
        return self.registry if read_pointer(self.registry) else self.shipped


def model_paths(settings: Settings) -> ModelPaths:
    runtime = settings.data_path / "runtime"
    default = runtime / "models" / "feedback"
    registry = Path(settings.retrain_model_dir) if settings.retrain_model_dir else default
    return ModelPaths(registry, REGISTRY_DIR.path(), CORPUS_DIR.path(), runtime / "retrain")


def active_model(paths: ModelPaths) -> FeedbackClassifier:
    """The model in use, loaded once per process (reloaded after a promotion or rollback)."""
    from nlp.model import load

    return load(paths.active())


def seed_registry(paths: ModelPaths) -> str:
    """Copy the shipped model into the writable registry if it has no current model yet;
    the version that is current there afterwards."""
    from nlp.model import load
    from nlp.registry import install, set_current

    pointer = read_pointer(paths.registry)
    if pointer is not None:
        return pointer.version
    shipped = resolve_model_dir(paths.shipped)
    version = load(shipped).version
    paths.registry.mkdir(parents=True, exist_ok=True)
    if not (paths.registry / version).exists():
        install(shipped, paths.registry, version)
    return set_current(paths.registry, version).version
