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
