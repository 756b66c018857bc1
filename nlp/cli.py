"""``motcua nlp train|eval|classify``: the lead wires ``motcua nlp ...`` to ``main(argv)``.

Exit status 0 on success, 2 on bad input with one line on stderr (as the rest of motcua).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from nlp import messages as msg
from nlp.current import resolve_model_dir
from nlp.data import DataError, read_tsv, split_by_hash
from nlp.evaluate import evaluate
from nlp.features import VIEWS
from nlp.indomain import default_columns, train_default
from nlp.model import load
from nlp.registry import set_current
from nlp.settings import CORPUS_DIR, DEV_PERCENT, REGISTRY_DIR
from nlp.train import TrainConfig, train_model


class BadInput(Exception):
    """Reported as one line on stderr with exit status 2."""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BadInput as exc:
        print(exc, file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=msg.PROG, description=msg.DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    train = sub.add_parser("train", help=msg.HELP_TRAIN)
    train.add_argument("--data", type=Path, nargs="+", help=msg.HELP_DATA)
    train.add_argument("--dev", type=Path, help=msg.HELP_DEV)
    train.add_argument("--labels", help=msg.HELP_LABELS)
    train.add_argument("-o", "--out", type=Path, help=msg.HELP_OUT)
    train.add_argument("--views", default="syllable", help=msg.HELP_VIEWS)
    train.add_argument("--json", action="store_true", help=msg.HELP_JSON)
    train.set_defaults(func=cmd_train)
    ev = sub.add_parser("eval", help=msg.HELP_EVAL)
    ev.add_argument("--model", type=Path, default=REGISTRY_DIR.path(), help=msg.HELP_MODEL)
    ev.add_argument("--data", type=Path, nargs="+", required=True, help=msg.HELP_DATA)
    ev.add_argument("--json", action="store_true", help=msg.HELP_JSON)
    ev.set_defaults(func=cmd_eval)
    cl = sub.add_parser("classify", help=msg.HELP_CLASSIFY)
    cl.add_argument("text", nargs="+", help=msg.HELP_TEXT)
    cl.add_argument("--model", type=Path, default=REGISTRY_DIR.path(), help=msg.HELP_MODEL)
    cl.add_argument("--json", action="store_true", help=msg.HELP_JSON)
    cl.set_defaults(func=cmd_classify)
    return parser


def cmd_train(args: argparse.Namespace) -> int:
    config = TrainConfig(views=_views(args.views))
    try:
        if args.data is None:
            registry = args.out or REGISTRY_DIR.path()
            model = train_default(CORPUS_DIR.path(), config)
            path = registry / model.version
            model.save(path)
            set_current(registry, model.version)
        else:
            if args.out is None:
                raise BadInput(msg.ERR_OUT_REQUIRED)
            data = read_tsv(args.data)
            train, dev = (
                (data, read_tsv(args.dev)) if args.dev else split_by_hash(data, DEV_PERCENT)
            )
            columns = args.labels.split(",") if args.labels else default_columns(data)
            model = train_model(train, dev, columns, config)
            path = args.out
            model.save(path)
    except DataError as exc:
        raise BadInput(msg.ERR_READ_DATA.format(detail=exc)) from exc
    _print_metrics(
        model.meta["metrics"]["dev"],
        args.json,
        msg.DONE_TRAIN.format(version=model.version, path=path),
    )
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    model = _load(args.model)
    try:
        data = read_tsv(args.data)
    except DataError as exc:
        raise BadInput(msg.ERR_READ_DATA.format(detail=exc)) from exc
    report = evaluate(model, data)
    if not report:
        raise BadInput(msg.ERR_BAD_LABELS)
    _print_metrics(report, args.json, None)
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    texts = sys.stdin.read().splitlines() if args.text == ["-"] else args.text
    if not texts:
        raise BadInput(msg.ERR_NO_TEXT)
    predictions = _load(args.model).predict(texts)
    if args.json:
        docs = [{"text": t, **p.to_dict()} for t, p in zip(texts, predictions, strict=True)]
        _print_json(docs[0] if len(docs) == 1 else docs)
        return 0
    for p in predictions:
        labels = ", ".join(f"{c}={s.label} ({s.confidence:.2f})" for c, s in p.labels.items())
        notes = f"; {', '.join(p.notes)}" if p.notes else ""
        print(msg.CLASSIFY_LINE.format(labels=labels, version=p.model_version, notes=notes))
    return 0


def _views(value: str) -> tuple[str, ...]:
    views = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in views if v not in VIEWS]
    if unknown or not views:
        raise BadInput(msg.ERR_BAD_VIEW.format(detail=value))
    return views


def _load(path: Path) -> Any:
    try:
        return load(path)
    except (OSError, ValueError, KeyError) as exc:
        raise BadInput(
            msg.ERR_LOAD_MODEL.format(detail=f"{resolve_model_dir(path)}: {exc}")
        ) from exc


def _print_metrics(report: dict[str, Any], as_json: bool, headline: str | None) -> None:
    if as_json:
        _print_json(report)
        return
    if headline:
        print(headline)
    for column, m in report.items():
        print(
            msg.METRIC_LINE.format(
                column=column, **{k: m[k] for k in ("accuracy", "macro_f1", "weighted_f1")}
            )
        )


def _print_json(doc: Any) -> None:
    print(json.dumps(doc, ensure_ascii=False, indent=2))
