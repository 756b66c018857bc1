"""What every command shares: settings and engine from the environment, JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine

from monitor.config import Settings, load_settings
from monitor.db import check_connection, make_engine


class UsageError(ValueError):
    """Bad input from the person at the keyboard (exit 2)."""


class CommandError(RuntimeError):
    """The command could not do its work (exit 1)."""


def settings() -> Settings:
    return load_settings()


def engine_for(s: Settings) -> Engine:
    engine = make_engine(s.effective_database_url)
    check_connection(engine)
    return engine


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def print_json(doc: Any) -> None:
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="in một tài liệu JSON ra stdout")
