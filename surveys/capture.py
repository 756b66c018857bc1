"""Storing a rating: one per dossier (the database's UNIQUE constraint decides), committed
before the caller answers, its comment copied to the feedback table for classification.

On SQLite the writes of one process go through one lock: the database serialises writers
anyway, and queueing on a Python lock costs nothing while SQLite's busy handler sleeps in
steps of milliseconds. A resend of the same rating (same channel and idempotency key) finds
the rating it already made and is answered as a duplicate, never counted twice.
"""

from __future__ import annotations

import contextlib
import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, update

from monitor.db import is_sqlite
from monitor.ingest.sql import Dialect
from monitor.models import KioskDevice, Rating
from surveys.checkpoint import Checkpointer
from surveys.rating_sql import DossierRef, cursor, find_dossier, insert_feedback, insert_rating

COMMENT_MAX = 1000
CODE_MAX = 64
_KEEP = {"\n", "\t"}
_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029|\x85")


class AlreadyRated(Exception):
    """The dossier already has a rating."""


class UnknownDossier(Exception):
    """No dossier has this code."""


class StoreUnavailable(Exception):
    """The database could not take the rating now (locked too long, connection lost)."""


def clean_comment(text: str | None) -> str | None:
    """NFC, newlines unified, control and format characters (bidi overrides, zero-width)
    removed, tabs made spaces, outer blanks trimmed; empty becomes None. Length is checked
    by the caller on the result."""
    if text is None:
        return None
    text = _NEWLINES.sub("\n", unicodedata.normalize("NFC", text))
    kept = "".join(
        ch for ch in text if ch in _KEEP or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )
    kept = kept.replace("\t", " ").strip()
    return kept or None


def clean_code(code: str | None) -> str | None:
    if code is None:
        return None
    code = unicodedata.normalize("NFC", code).strip().upper()
    return code or None


@dataclass(frozen=True)
class NewRating:
    channel: str
    overall: int
    criteria: Mapping[str, int | None]
    created_at: datetime
    dossier_code: str | None = None
    comment: str | None = None
    external_ref: str | None = None
    device_id: int | None = None
    unit_id: int | None = None  # the device's centre: used when the dossier names none
    counter: str | None = None
    officer_id: int | None = None  # the officer on duty at the device


@dataclass(frozen=True)
class Saved:
    rating_id: int
    duplicate: bool = False
    dossier_id: int | None = None


@dataclass
class RatingStore:
    engine: Engine
    checkpoints: Checkpointer | None = None  # SQLite: made with the defaults when not given
    _lock: Any = field(init=False)
    _d: Dialect = field(init=False)
    _integrity_error: type[Exception] = field(init=False)
    _operational_error: type[Exception] = field(init=False)

    def __post_init__(self) -> None:
        sqlite = is_sqlite(self.engine)
        self._lock = threading.Lock() if sqlite else contextlib.nullcontext()
        if sqlite and self.checkpoints is None:
            self.checkpoints = Checkpointer(self.engine)
        with self.engine.connect() as conn:
            self._d = Dialect(conn)
        dbapi = self.engine.dialect.loaded_dbapi
        self._integrity_error = dbapi.IntegrityError
        self._operational_error = dbapi.OperationalError

    def find_dossier(self, code: str) -> DossierRef | None:
        with self.engine.connect() as conn:
            return find_dossier(cursor(conn), self._d, code)

    def save(self, new: NewRating) -> Saved:
        """Commit ``new``; raise UnknownDossier or AlreadyRated; a resend gives duplicate."""
        try:
            with self._lock:
                dossier, values = self._write(new)
        except self._integrity_error:
            return self._conflict(new)
        except self._operational_error as exc:
            raise StoreUnavailable(str(exc).splitlines()[0] if str(exc) else "") from exc
        return Saved(int(values["rating_id"]), False, None if dossier is None else dossier.id)

    def _write(self, new: NewRating) -> tuple[DossierRef | None, dict[str, Any]]:
        # Straight on the DB-API connection: the hot path of the service. On SQLite the
        # transaction takes the write lock up front (BEGIN IMMEDIATE), so the dossier read
        # and the insert see one snapshot even with other processes writing.
        raw = self.engine.raw_connection()
        try:
            if self.checkpoints is not None:
                self.checkpoints.prepare(raw)
            cur = raw.cursor()
            if self._d.sqlite:
                cur.execute("BEGIN IMMEDIATE")
            dossier = None
            if new.dossier_code is not None:
                dossier = find_dossier(cur, self._d, new.dossier_code)
                if dossier is None:
                    raise UnknownDossier(new.dossier_code)
            values = rating_values(new, dossier)
            values["rating_id"] = insert_rating(cur, self._d, values)
            if new.comment:
                insert_feedback(cur, self._d, values, values["rating_id"])
            raw.commit()
            if self.checkpoints is not None:
                self.checkpoints.committed(cur)
            return dossier, values
        except BaseException:
            raw.rollback()
            raise
        finally:
            raw.close()

    def _conflict(self, new: NewRating) -> Saved:
        with self.engine.connect() as conn:
            if new.external_ref is not None:
                same = conn.execute(
                    select(Rating.id, Rating.dossier_id).where(
                        Rating.channel == new.channel, Rating.external_ref == new.external_ref
                    )
                ).first()
                if same is not None:
                    return Saved(int(same[0]), True, same[1])
            if new.dossier_code is not None:
                found = find_dossier(cursor(conn), self._d, new.dossier_code)
                if found is not None and found.rated:
                    raise AlreadyRated(new.dossier_code)
        raise RuntimeError("a rating was refused by the database for another reason")

    def touch_device(self, device_id: int, at: datetime) -> None:
        with self._lock, self.engine.begin() as conn:
            conn.execute(
                update(KioskDevice).where(KioskDevice.id == device_id).values(last_seen_at=at)
            )


def rating_values(new: NewRating, dossier: DossierRef | None) -> dict[str, Any]:
    values: dict[str, Any] = {f"crit_{code}": level for code, level in new.criteria.items()}
    # The agency that resolves the dossier is the one rated; a counter rating (no dossier)
    # rates the device's centre. The officer on duty at the device, else the receiving one.
    unit_id = dossier.unit_id if dossier is not None and dossier.unit_id is not None else None
    officer_id = new.officer_id
    if officer_id is None and dossier is not None:
        officer_id = dossier.officer_id
    values.update(
        dossier_id=None if dossier is None else dossier.id,
        unit_id=unit_id if unit_id is not None else new.unit_id,
        officer_id=officer_id,
        counter=new.counter,
        channel=new.channel,
        device_id=new.device_id,
        external_ref=new.external_ref,
        overall=new.overall,
        comment=new.comment,
        created_at=new.created_at,
    )
    return values
