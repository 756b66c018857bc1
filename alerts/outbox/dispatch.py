"""Dispatch: send what the outbox holds, at least once, never twice at the receiver.

1. Claim a batch with one conditional UPDATE (pending and due, or a claim whose lease ran out:
   its dispatcher died) → ``sending`` until ``claimed_until``; on PostgreSQL the candidate rows
   are picked FOR UPDATE SKIP LOCKED, and the state test is repeated in the UPDATE so a row
   another dispatcher claimed first is not taken again.
2. Send each claimed row outside any transaction.
3. Record the outcome, again conditionally. A crash between 2 and 3 leaves the row
   ``sending``; when the lease runs out it is sent again with the same idempotency key, which
   the receiver uses to drop the repeat.

Failures are data: the row goes back to ``pending`` with a doubling delay and its error; the
channel records ``last_error`` and its run of consecutive failures, and a channel failing too
long is disabled and reported to the administrators. A channel that failed once in a pass is
not tried again in that pass (its other messages wait, unblamed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, or_, select, update

from alerts.channels import DeliveryError, Message, Transport, select_transport
from alerts.kinds import NotificationState
from alerts.outbox.failures import record_channel_failure, record_channel_success
from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Notification, NotificationChannel, User

LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)
BATCH = 100
N = Notification

TransportFactory = Callable[[NotificationChannel, Settings], Transport]


@dataclass
class DispatchResult:
    sent: int = 0
    failed: int = 0  # attempts that failed (retried later)
    gave_up: int = 0  # rows marked failed for good
    deferred: int = 0  # not tried: their channel failed earlier in this pass
    disabled_channels: int = 0

    def as_json(self) -> dict[str, int]:
        return dict(self.__dict__)


def backoff(settings: Settings, attempts: int) -> timedelta:
    delay = timedelta(seconds=settings.notify_retry_seconds * 2 ** max(attempts - 1, 0))
    # At least a second: a row that failed at ``now`` is never due again in the same pass.
    return max(min(delay, MAX_BACKOFF), timedelta(seconds=1))


def _claimable(now: datetime) -> object:
    return or_(
        and_(N.state == NotificationState.PENDING, N.next_attempt_at <= now),
        and_(N.state == NotificationState.SENDING, N.claimed_until < now),
    )


def claim(engine: Engine, now: datetime, skip_channels: set[int], batch: int = BATCH) -> list[int]:
    due = _claimable(now)
    pick = (
        select(N.id)
        .join(NotificationChannel, NotificationChannel.id == N.channel_id)
        .where(due, NotificationChannel.enabled.is_(True), N.channel_id.not_in(skip_channels))  # type: ignore[arg-type]
        .order_by(N.id)
        .limit(batch)
    )
    if engine.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True, of=N)
    stmt = (
        update(N)
        .where(N.id.in_(pick.scalar_subquery()), due)  # type: ignore[arg-type]
        .values(state=NotificationState.SENDING, claimed_until=now + LEASE)
        .returning(N.id)
    )
    with engine.begin() as conn:
        return sorted(conn.execute(stmt).scalars())


def _load(
    engine: Engine, ids: list[int]
) -> list[tuple[Notification, NotificationChannel, User | None]]:
    with session_scope(engine) as s:
        rows = s.execute(
            select(N, NotificationChannel, User)
            .join(NotificationChannel, NotificationChannel.id == N.channel_id)
            .outerjoin(User, User.id == N.recipient_id)
            .where(N.id.in_(ids))
            .order_by(N.id)
        ).all()
        s.expunge_all()
        return [(n, c, u) for n, c, u in rows]


def _message(n: Notification, user: User | None) -> Message:
    return Message(
        idempotency_key=n.idempotency_key,
        kind=n.kind,
        subject=n.subject,
        text=n.body,
        payload=dict(n.payload or {}),
        to_email=user.email if user else None,
        to_name=(user.full_name or user.username) if user else "",
    )


def _sent(engine: Engine, n: Notification, channel: NotificationChannel, now: datetime) -> None:
    with session_scope(engine) as s:
        s.execute(
            update(N)
            .where(N.id == n.id, N.state == NotificationState.SENDING)
            .values(
                state=NotificationState.SENT,
                sent_at=now,
                claimed_until=None,
                attempts=N.attempts + 1,
                last_error=None,
            )
        )
        if channel.consecutive_failures or channel.last_error:
            record_channel_success(s, channel.id)
            channel.consecutive_failures, channel.last_error = 0, None


def _release(engine: Engine, ids: list[int], retry_at: datetime) -> None:
    """Give back claims not tried because their channel just failed: no attempt is counted,
    and they wait as long as the message that failed, so a channel that is down is probed
    by one message at a time with a growing delay rather than once a minute."""
    with session_scope(engine) as s:
        s.execute(
            update(N)
            .where(N.id.in_(ids), N.state == NotificationState.SENDING)
            .values(state=NotificationState.PENDING, claimed_until=None, next_attempt_at=retry_at)
        )


def _failed(
    engine: Engine, n: Notification, err: DeliveryError, settings: Settings, now: datetime
) -> tuple[bool, bool, datetime]:
    """Record a failed attempt; returns (gave up on the row, disabled the channel, when the
    channel may be tried again)."""
    attempts = n.attempts + 1
    give_up = err.permanent or attempts >= settings.notify_max_attempts
    retry_at = now + backoff(settings, attempts)
    with session_scope(engine) as s:
        s.execute(
            update(N)
            .where(N.id == n.id, N.state == NotificationState.SENDING)
            .values(
                state=NotificationState.FAILED if give_up else NotificationState.PENDING,
                attempts=attempts,
                claimed_until=None,
                next_attempt_at=retry_at,
                last_error=err.reason,
            )
        )
        disabled = (
            record_channel_failure(s, n.channel_id, err.reason, settings, now)
            if err.channel_fault
            else False
        )
    return give_up, disabled, retry_at


def _pass(
    engine: Engine,
    settings: Settings,
    now: datetime,
    transport_for: TransportFactory,
    batch: int,
    res: DispatchResult,
    down: dict[int, datetime],
    transports: dict[int, Transport],
) -> None:
    while ids := claim(engine, now, set(down), batch):
        for n, channel, user in _load(engine, ids):
            if channel.id in down:
                _release(engine, [n.id], down[channel.id])
                res.deferred += 1
                continue
            try:
                if channel.id not in transports:
                    transports[channel.id] = transport_for(channel, settings)
                transports[channel.id].send(_message(n, user))
            except DeliveryError as err:
                give_up, disabled, retry_at = _failed(engine, n, err, settings, now)
                res.failed += 1
                res.gave_up += int(give_up)
                res.disabled_channels += int(disabled)
                if err.channel_fault:
                    down[channel.id] = retry_at
                continue
            _sent(engine, n, channel, now)
            res.sent += 1


def dispatch(
    engine: Engine,
    settings: Settings,
    now: datetime,
    transport_for: TransportFactory = select_transport,
    batch: int = BATCH,
) -> DispatchResult:
    """Send everything due at ``now``; returns what happened."""
    res = DispatchResult()
    down: dict[int, datetime] = {}  # channel -> when to try it again
    transports: dict[int, Transport] = {}
    try:
        _pass(engine, settings, now, transport_for, batch, res, down, transports)
    finally:
        for t in transports.values():
            t.close()
    return res
