"""The unit tree: subtrees for scoping what a person sees."""

from __future__ import annotations

from sqlalchemy import Engine, select

from monitor.db import session_scope
from monitor.models import Unit


def subtree_ids(engine: Engine, root_id: int) -> set[int]:
    """The unit and every unit below it (retired units included, for history)."""
    with session_scope(engine) as s:
        edges = s.execute(select(Unit.id, Unit.parent_id)).all()
    children: dict[int, list[int]] = {}
    for uid, parent in edges:
        if parent is not None:
            children.setdefault(parent, []).append(uid)
    seen, stack = {root_id}, [root_id]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def unit_id_by_code(engine: Engine, code: str) -> int | None:
    with session_scope(engine) as s:
        return s.scalar(select(Unit.id).where(Unit.code == code))


def unit_choices(engine: Engine, scope: set[int] | None = None) -> list[tuple[int, str]]:
    """Units a person may pick, as (id, "name (level)"), the tree's roots first.

    ``scope`` None means every unit; retired units are left out of the choice (their history
    still counts under the subtree of their parent)."""
    with session_scope(engine) as s:
        rows = s.execute(
            select(Unit.id, Unit.name, Unit.level, Unit.parent_id, Unit.valid_to).order_by(
                Unit.name
            )
        ).all()
    depth_order = {"province": 0, "department": 1, "district": 2, "commune": 3}
    picked = [r for r in rows if r.valid_to is None and (scope is None or r.id in scope)]
    picked.sort(key=lambda r: (depth_order.get(r.level, 9), r.name))
    return [(r.id, r.name) for r in picked]
