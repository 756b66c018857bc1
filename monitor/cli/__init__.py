"""The ``motcua`` command line. Each command lives in a small module with ``register``.

Exit status: 0 on success, 2 on bad input (one clear line on stderr), 1 on failure.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from monitor.cli.common import CommandError, UsageError
from monitor.config import SettingsError
from monitor.db import DatabaseError

COMMAND_MODULES = (
    "monitor.cli.core",
    "monitor.cli.users",
    "monitor.cli.up",
    "monitor.cli.scheduler",
    "monitor.cli.ingest",
    "monitor.cli.collect",
    "monitor.cli.calendar",
    "monitor.cli.deadline",
    "monitor.cli.evaluate",
    "monitor.cli.dossiers",
    "monitor.cli.report",
    "monitor.cli.alerts",
    "monitor.cli.demo",
    "monitor.cli.ratings",
    "monitor.cli.kiosks",
    "monitor.cli.feedback",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="motcua",
        description="motcua-monitor: giám sát hồ sơ, cảnh báo trễ hạn và mức độ hài lòng.",
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    nlp = sub.add_parser(
        "nlp", help="mô hình phân loại phản ánh (train, eval, classify)", add_help=False
    )
    nlp.set_defaults(func=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["nlp"]:
        from nlp.cli import main as nlp_main

        return nlp_main(args_list[1:])
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(args_list)
    try:
        return int(args.func(args) or 0)
    except (UsageError, SettingsError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except (CommandError, DatabaseError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`); nothing left to say
        return 0


if __name__ == "__main__":
    sys.exit(main())
