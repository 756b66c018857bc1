"""Every tunable of the nlp package, declared once with its default and a line of help.

Paths may be overridden by environment variables; relative paths are taken from the repo
root so the CLI works from any directory. This module reads no project settings on purpose:
nlp uses nothing of ours, and the lead passes paths in when wiring the jobs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class PathSetting:
    env: str
    default: str
    help: str

    def path(self) -> Path:
        value = Path(os.environ.get(self.env) or self.default)
        return value if value.is_absolute() else REPO_ROOT / value


UIT_VSFC_DIR = PathSetting(
    "MOTCUA_UIT_VSFC_DIR",
    "../shared/datasets/uit-vsfc",
    "UIT-VSFC train/dev (research use only: read in place, never copied into the repo)",
)
CORPUS_DIR = PathSetting(
    "MOTCUA_NLP_CORPUS_DIR",
    "data/feedback",
    "in-domain labelled corpus: every corpus_*.tsv file in this directory",
)
REGISTRY_DIR = PathSetting(
    "MOTCUA_NLP_MODEL_DIR",
    "data/models/feedback",
    "model registry: one sub-directory per version, current.json names the one in use",
)

CORPUS_GLOB = "corpus_*.tsv"
# Labels the in-domain model learns when none are named; `kind` (the form of the text) is
# a description for evaluation, not something to predict.
DEFAULT_LABELS = ("sentiment", "topic", "urgent")
# Share of texts in the dev split, chosen by a hash of the normalised text (see nlp.data).
DEV_PERCENT = 20
# Texts longer than this are cut (at a word boundary) and the prediction says so; a petition
# is rarely over 1,500 characters, and the cost of a text grows with its length.
MAX_CHARS = 2000
# Binary yes/no columns (urgent) are tuned to catch at least this share of the yes rows.
RECALL_TARGET = 0.9
# Fallback labels for text we cannot read, in order of preference; else the commonest label.
FALLBACK_LABELS = ("other", "others", "neutral", "no")
