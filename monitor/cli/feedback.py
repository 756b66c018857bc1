"""``motcua feedback classify|retrain|rollback``: the feedback classifier against the database.

``motcua nlp ...`` works on files only (the nlp package uses nothing of ours); these are the
same steps the scheduler runs, with the model registry from the settings.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any, TypeAlias

from monitor.classify import DEFAULT_BATCH, classify_pending
from monitor.cli.common import CommandError, UsageError, add_json_flag, engine_for, print_json
from monitor.cli.common import settings as load
from monitor.feedback_model import active_model, model_paths
from monitor.vi_format import integer

Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register(sub: Sub) -> None:
    p = sub.add_parser("feedback", help="phân loại phản ánh trong CSDL, huấn luyện lại, quay lui")
    fsub = p.add_subparsers(dest="feedback_command", metavar="LỆNH", required=True)
    cl = fsub.add_parser("classify", help="gán nhãn các phản ánh chưa được phân loại")
    cl.add_argument(
        "--batch",
        type=int,
        default=DEFAULT_BATCH,
        help=f"số phản ánh mỗi lượt (mặc định {DEFAULT_BATCH})",
    )
    add_json_flag(cl)
    cl.set_defaults(func=cmd_classify)
    rt = fsub.add_parser(
        "retrain", help="huấn luyện lại từ các nhãn đã sửa; chỉ dùng mô hình mới nếu không kém hơn"
    )
    add_json_flag(rt)
    rt.set_defaults(func=cmd_retrain)
    rb = fsub.add_parser("rollback", help="quay lại mô hình trước đó")
    add_json_flag(rb)
    rb.set_defaults(func=cmd_rollback)


def cmd_classify(args: argparse.Namespace) -> int:
    if args.batch < 1:
        raise UsageError("--batch phải lớn hơn 0.")
    s = load()
    engine = engine_for(s)
    result = classify_pending(engine, datetime.now(UTC), args.batch, active_model(model_paths(s)))
    doc: dict[str, Any] = result.as_json()
    if result.urgent:
        from alerts.kinds import Condition
        from alerts.rules import RuleError
        from alerts.service import evaluate_and_plan

        try:
            only = {Condition.URGENT_FEEDBACK}
            doc["alerts"] = evaluate_and_plan(engine, s, datetime.now(UTC), only)
        except RuleError as exc:
            raise UsageError(str(exc)) from exc
    if args.json:
        print_json(doc)
    else:
        print(
            f"Đã phân loại {integer(result.classified)} phản ánh bằng mô hình "
            f"{result.model_version}: {integer(result.urgent)} khẩn, "
            f"{integer(result.unread)} không đọc được (nhãn mặc định, độ tin cậy thấp)."
        )
    return 0


def cmd_retrain(args: argparse.Namespace) -> int:
    from monitor.retrain import retrain_from_corrections
    from nlp.data import DataError
    from nlp.registry import RegistryError

    s = load()
    try:
        doc = retrain_from_corrections(engine_for(s), model_paths(s), datetime.now(UTC))
    except (DataError, RegistryError) as exc:
        raise CommandError(f"Không huấn luyện lại được: {exc}") from exc
    if args.json:
        print_json(doc)
    elif not doc["retrained"]:
        print(
            f"Không có nhãn sửa mới ({integer(doc['corrections'])} nhãn đã sửa); "
            f"vẫn dùng mô hình {doc['current_version']}."
        )
    else:
        verdict = (
            "được dùng: macro-F1 trên tập dev không thấp hơn"
            if doc["promoted"]
            else f"không được dùng: macro-F1 trên tập dev thấp hơn ({doc['reason']})"
        )
        print(
            f"Mô hình mới {doc['candidate_version']} {verdict}; học từ "
            f"{integer(doc['corrections'])} nhãn đã sửa. Đang dùng: {doc['current_version']}."
        )
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    from nlp.registry import RegistryError, rollback

    paths = model_paths(load())
    try:
        pointer = rollback(paths.registry)
    except RegistryError as exc:
        raise CommandError(
            f"Không quay lui được: {paths.registry} chưa có mô hình trước đó."
        ) from exc
    if args.json:
        print_json({"current_version": pointer.version, "previous_version": pointer.previous})
    else:
        print(f"Đang dùng mô hình {pointer.version}; mô hình {pointer.previous} được giữ lại.")
    return 0
