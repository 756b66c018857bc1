"""Citizen ratings and comments for the simulated province's returned dossiers.

A share of returned dossiers is rated at the kiosk when the result is handed over, or online
(online dossiers, and some people who scan the receipt's QR code at home). Levels follow what
happened: a late dossier is rated badly on time (criterion a), an officer with a bad attitude
on attitude (đ), a worse unit worse overall. Some ratings carry a Vietnamese comment, stored on
the rating and as a feedback row for the classifier.

Each dossier's rating is drawn from its own Random seeded by (seed, dossier code), so a run
rates the same dossiers the same way, and a later run only adds dossiers returned since.
Rows go in with Core bulk inserts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random
from typing import Any

from sqlalchemy import Connection, Engine, and_, exists, func, insert, select

from monitor.calendar import local_date
from monitor.demo.comments import compose, pick_topic
from monitor.demo.province import build_province
from monitor.demo.staff import counter_officers
from monitor.enums import DossierStatus, RatingChannel
from monitor.models import Dossier, Feedback, Field, Officer, Rating, Source, Supplement, Unit

RATED_SHARE = 0.32
COMMENT_SHARE = {1: 0.65, 2: 0.2, 3: 0.18}  # by overall level: the unhappy write more
FEEDBACK_SOURCE = "rating"
CRITERIA = ("crit_a", "crit_b", "crit_c", "crit_dd", "crit_e", "crit_h")
_CHUNK = 2000


@dataclass(frozen=True)
class RatingsResult:
    ratings: int
    comments: int


@dataclass(frozen=True, slots=True)
class _Candidate:
    dossier_id: int
    code: str
    unit_id: int | None
    officer_code: str | None
    channel: int
    procedure_name: str
    due_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime
    is_land: bool


def _level(r: Random, bad: float) -> int:
    """1 / 2 / 3 with a chance of 1 that grows with ``bad`` (0 = an ordinary experience)."""
    u = r.random()
    unhappy = min(0.9, 0.02 + bad)
    if u < unhappy:
        return 1
    return 2 if u < unhappy + (1 - unhappy) * 0.42 else 3


def _levels(
    r: Random, *, late: bool, quality: float, attitude: float, land: bool, online: bool
) -> tuple[dict[str, int | None], int]:
    """The overall level from the whole experience, and each criterion mostly in line with it
    except the one that went wrong: time (a) for a late dossier, attitude (đ) for the officer
    people complain about. Online service (h) is asked of online dossiers only."""
    unit_bad = 0.03 * max(0.0, quality - 1)
    bad = unit_bad + (0.4 if late else 0) + (0.15 if attitude > 1 else 0) + (0.03 if land else 0)
    overall = _level(r, bad)
    own = {
        "crit_a": 0.6 if late else unit_bad,
        "crit_b": unit_bad + (0.05 if land else 0),
        "crit_c": unit_bad,
        "crit_dd": 0.35 if attitude > 1 else unit_bad / 2,
        "crit_e": unit_bad / 2,
        "crit_h": 0.06 + unit_bad,
    }
    levels: dict[str, int | None] = {}
    for name, chance in own.items():
        if name == "crit_h" and not online:
            levels[name] = None
        elif chance > 0.2 or r.random() < 0.3:
            levels[name] = _level(r, chance)
        else:
            levels[name] = overall
    return levels, overall


def _hash(seed: int, code: str) -> int:
    digest = hashlib.blake2b(f"{seed}|{code}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class _Rater:
    def __init__(self, conn: Connection, seed: int, as_of: datetime) -> None:
        self.seed, self.as_of = seed, as_of
        codes = dict(conn.execute(select(Unit.id, Unit.code)).all())
        province = build_province()
        self.quality = {
            uid: province.by_code[c].quality for uid, c in codes.items() if c in province.by_code
        }
        attitude = {o.code: o for o in counter_officers()}
        self.officers: dict[str, tuple[int, str | None, float]] = {}
        for oid, code, counter in conn.execute(select(Officer.id, Officer.code, Officer.counter)):
            known = attitude.get(code)
            self.officers[code] = (oid, counter, known.attitude if known else 1.0)

    def rate(self, c: _Candidate) -> tuple[dict[str, Any], str | None] | None:
        h = _hash(self.seed, c.code)
        if (h >> 11) / (1 << 53) >= RATED_SHARE:
            return None
        r = Random(h)
        online = c.channel == 2 or r.random() < 0.2
        delay = r.random() * (3 * 86_400 if online else 900) + 60
        created = c.returned_at + timedelta(seconds=delay)
        if created > self.as_of:
            return None  # not rated yet
        oid, counter, attitude = self.officers.get(c.officer_code or "", (None, None, 1.0))
        quality = self.quality.get(c.unit_id or -1, 1.0)
        late_days = _days_late(c)
        levels, overall = _levels(
            r,
            late=late_days > 0,
            quality=quality,
            attitude=attitude,
            land=c.is_land,
            online=c.channel == 2,
        )
        text = None
        if r.random() < COMMENT_SHARE[overall]:
            topic = pick_topic(
                r,
                overall,
                late=late_days > 0,
                land=c.is_land,
                online=c.channel == 2,
                bad_attitude=attitude > 1,
            )
            text = compose(
                r,
                topic,
                proc=c.procedure_name,
                days_late=late_days,
                counter=(counter or "Quầy 1").split()[-1],
            )
        row = {
            "dossier_id": c.dossier_id,
            "unit_id": c.unit_id,
            "officer_id": oid,
            "counter": counter,
            "channel": RatingChannel.ONLINE if online else RatingChannel.KIOSK,
            **levels,
            "overall": overall,
            "comment": text,
            "created_at": created,
        }
        return row, text


def _days_late(c: _Candidate) -> int:
    if c.due_at is None or c.finished_at is None:
        return 0
    return max(0, (local_date(c.finished_at) - local_date(c.due_at)).days)


def _candidates(conn: Connection, source_id: int) -> Iterator[_Candidate]:
    """Returned dossiers of the source without a rating, in code order."""
    new_due = (
        select(func.max(Supplement.new_due_at))
        .where(Supplement.dossier_id == Dossier.id)
        .scalar_subquery()
    )
    rated = exists().where(Rating.dossier_id == Dossier.id)
    q = (
        select(
            Dossier.id,
            Dossier.code,
            func.coalesce(Dossier.resolving_unit_id, Dossier.receiving_unit_id),
            Dossier.receiving_officer_code,
            Dossier.channel,
            Dossier.procedure_name,
            func.coalesce(new_due, Dossier.due_at),
            Dossier.finished_at,
            Dossier.returned_at,
            func.coalesce(Field.is_land, False),
        )
        .outerjoin(Field, Field.id == Dossier.field_id)
        .where(
            and_(
                Dossier.source_id == source_id,
                Dossier.status == int(DossierStatus.RETURNED),
                Dossier.returned_at.is_not(None),
                ~rated,
            )
        )
        .order_by(Dossier.code)
    )
    for did, code, unit, officer, channel, name, due, finished, returned, land in conn.execute(q):
        assert returned is not None  # filtered above
        yield _Candidate(did, code, unit, officer, channel, name, due, finished, returned, land)


def _insert(conn: Connection, rows: Sequence[tuple[dict[str, Any], str | None]]) -> int:
    if not rows:
        return 0
    conn.execute(insert(Rating), [row for row, _ in rows])
    with_text = {row["dossier_id"]: (row, text) for row, text in rows if text}
    if not with_text:
        return 0
    ids = conn.execute(
        select(Rating.dossier_id, Rating.id).where(Rating.dossier_id.in_(list(with_text)))
    ).all()
    feedback = [
        {
            "source": FEEDBACK_SOURCE,
            "rating_id": rating_id,
            "dossier_id": dossier_id,
            "unit_id": with_text[dossier_id][0]["unit_id"],
            "text": with_text[dossier_id][1],
            "received_at": with_text[dossier_id][0]["created_at"],
        }
        for dossier_id, rating_id in ids
    ]
    conn.execute(insert(Feedback), feedback)
    return len(feedback)


def write_ratings(engine: Engine, *, seed: int, as_of: datetime, source: str) -> RatingsResult:
    """Rate the source's returned, unrated dossiers (those rated by ``as_of``)."""
    with engine.begin() as conn:
        source_id = conn.execute(select(Source.id).where(Source.name == source)).scalar()
        if source_id is None:
            return RatingsResult(0, 0)
        rater = _Rater(conn, seed, as_of)
        rated = comments = 0
        batch: list[tuple[dict[str, Any], str | None]] = []
        for candidate in list(_candidates(conn, source_id)):
            made = rater.rate(candidate)
            if made is not None:
                batch.append(made)
            if len(batch) >= _CHUNK:
                comments += _insert(conn, batch)
                rated, batch = rated + len(batch), []
        comments += _insert(conn, batch)
        rated += len(batch)
    return RatingsResult(rated, comments)
