"""The registry's ``current.json``: which version is in use and which came before it.

A small JSON file rather than a symlink: it survives git, Windows and copying, and it is
replaced atomically (write a temporary file, then ``os.replace``), so a reader never sees
half a pointer.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

CURRENT_FILE = "current.json"


@dataclass(frozen=True)
class Pointer:
    version: str
    previous: str | None = None


def read_pointer(registry: Path) -> Pointer | None:
    path = registry / CURRENT_FILE
    if not path.exists():
        return None
    doc = json.loads(path.read_text(encoding="utf-8"))
    return Pointer(doc["version"], doc.get("previous"))


def write_pointer(registry: Path, pointer: Pointer) -> None:
    registry.mkdir(parents=True, exist_ok=True)
    tmp = registry / f".{CURRENT_FILE}.tmp"
    tmp.write_text(json.dumps(asdict(pointer), indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, registry / CURRENT_FILE)


def resolve_model_dir(path: Path) -> Path:
    """A model directory as given, or the current version when ``path`` is a registry."""
    pointer = read_pointer(path)
    directory = path / pointer.version if pointer else path
    return directory.resolve()
