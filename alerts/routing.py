"""Who hears about an alert: the supervisors of its unit, then, as it escalates, those of the
units above, level by level. A unit without supervisors hands over to the nearest unit above
that has some; an alert with no unit (a stale source) goes to the administrators."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.enums import Role
from monitor.models import Unit, User


@dataclass(frozen=True)
class Recipient:
    id: int
    username: str
    full_name: str
    email: str | None

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


@dataclass
class Directory:
    parent: dict[int, int | None] = field(default_factory=dict)
    supervisors: dict[int, list[Recipient]] = field(default_factory=dict)
    admins: list[Recipient] = field(default_factory=list)
    _chains: dict[int | None, list[int]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, session: Session) -> Directory:
        d = cls(parent=dict(session.execute(select(Unit.id, Unit.parent_id)).all()))
        users = session.execute(
            select(User.id, User.username, User.full_name, User.email, User.role, User.unit_id)
            .where(User.active.is_(True))
            .order_by(User.id)
        )
        for uid, username, full_name, email, role, unit_id in users:
            r = Recipient(uid, username, full_name or "", email or None)
            if role == Role.SUPERVISOR and unit_id is not None:
                d.supervisors.setdefault(unit_id, []).append(r)
            elif role == Role.ADMIN:
                d.admins.append(r)
        return d

    def chain(self, unit_id: int | None) -> list[int]:
        """The unit and its ancestors that have supervisors, nearest first."""
        if unit_id not in self._chains:
            self._chains[unit_id] = self._walk(unit_id)
        return self._chains[unit_id]

    def _walk(self, unit_id: int | None) -> list[int]:
        out: list[int] = []
        seen: set[int] = set()
        current = unit_id
        while current is not None and current not in seen:
            seen.add(current)
            if self.supervisors.get(current):
                out.append(current)
            current = self.parent.get(current)
        return out

    def max_level(self, unit_id: int | None) -> int:
        return max(len(self.chain(unit_id)) - 1, 0)

    def recipients(self, unit_id: int | None, level: int) -> list[Recipient]:
        """Everyone who hears about an alert at escalation ``level`` (0 = the unit itself)."""
        chain = self.chain(unit_id)
        if not chain:
            return list(self.admins)
        out: dict[int, Recipient] = {}
        for unit in chain[: level + 1]:
            for r in self.supervisors[unit]:
                out.setdefault(r.id, r)
        return list(out.values())
