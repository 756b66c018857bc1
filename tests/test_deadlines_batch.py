"""The batch evaluation (numpy, many dossiers at once) gives exactly what the one-dossier rules
give, on generated dossiers around Tết 2025, the Hùng Kings day and the 30/4–1/5 break, with
two calendars, every status code, both supplement policies and both apology bases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from deadline_facts import CAL, apology, at, facts, step, supplement
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.deadlines import (
    ApologyBasis,
    ApologyLetter,
    DossierFacts,
    Policy,
    Step,
    SupplementPolicy,
    SupplementRequest,
    evaluate_at,
)
from monitor.deadlines.batch import evaluate_columns, plain_rows
from monitor.deadlines.columns import BREACHES, NA, STATUSES, Outcome, columns_of
from monitor.enums import TimeUnit

# A unit that works Saturday 8/2/2025 and takes Monday 3/3/2025 off.
OTHER = CAL.with_overrides(days_off=[date(2025, 3, 3)], working_days=[date(2025, 2, 8)])
CALENDARS = [CAL, OTHER]

T0, T1 = at("2024-12-20 00:00") or 0, at("2025-05-20 00:00") or 0
instants = st.integers(T0, T1).map(lambda t: t - t % 60)
maybe = st.none() | instants
steps = st.builds(Step, st.sampled_from(["Phòng A", "Phòng B", "Xã"]), maybe, maybe, maybe)
# Mostly plain dossiers (the batch path); some with what sends them to evaluate_at.
rare_supplements = (
    st.just(())
    | st.just(())
    | st.lists(st.builds(SupplementRequest, instants, maybe, maybe), min_size=1, max_size=2).map(
        tuple
    )
)
rare_apologies = (
    st.just(())
    | st.just(())
    | st.lists(st.builds(ApologyLetter, instants, maybe), min_size=1, max_size=2).map(tuple)
)
dossiers = st.builds(
    DossierFacts,
    status=st.integers(0, 11),
    received_at=instants,
    paper=st.booleans(),
    due_at=maybe,
    legal_amount=st.none()
    | st.integers(0, 25).map(float)
    | st.sampled_from([-1.0, 0.5, 1.5, 5000.0]),
    legal_unit=st.none() | st.sampled_from(list(TimeUnit)),
    finished_at=maybe,
    returned_at=maybe,
    steps=st.lists(steps, max_size=3).map(tuple),
    supplements=rare_supplements,
    apologies=rare_apologies,
)
policies = st.builds(
    Policy,
    st.sampled_from(list(SupplementPolicy)),
    st.integers(0, 3),
    st.sampled_from(list(ApologyBasis)),
)


def _row(out: Outcome, i: int) -> tuple[object, ...]:
    """What evaluate stores, from the batch outcome."""
    t = lambda v: None if v == NA else int(v)  # noqa: E731
    bits = int(out.breaches[i])
    breaches = tuple(b for k, b in enumerate(BREACHES) if bits & (1 << k))
    return (
        STATUSES[int(out.status[i])],
        t(out.legal[i]),
        t(out.effective[i]),
        breaches,
        out.units.get(i, ()),
        int(out.next_change[i]),
    )


def _expected(f: DossierFacts, policy: Policy, cal_index: int, now: int) -> tuple[object, ...]:
    ev = evaluate_at(f, policy, CALENDARS[cal_index], now)
    return (
        ev.due_status,
        ev.legal_due_at,
        ev.effective_due_at,
        ev.breaches,
        ev.responsible_units,
        ev.next_change_at,
    )


def _check(batch: Sequence[DossierFacts], cals: Sequence[int], policy: Policy, now: int) -> None:
    out = evaluate_columns(columns_of(batch, cals), CALENDARS, policy, now)
    for i, f in enumerate(batch):
        assert _row(out, i) == _expected(f, policy, cals[i], now), (i, f)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(dossiers, st.integers(0, 1)), max_size=12), policies, instants)
def test_the_batch_gives_what_the_rules_give(
    rows: list[tuple[DossierFacts, int]], policy: Policy, now: int
) -> None:
    _check([f for f, _ in rows], [c for _, c in rows], policy, now)


def test_plain_dossiers_across_tet_are_evaluated_by_the_batch_and_agree() -> None:
    batch = [
        # Received the Friday before Tết (24/1/2025): 10 working days end after the break.
        facts("2025-01-24 10:00"),
        facts("2025-01-24 16:00", paper=True),  # after the cut-off: counted from Monday
        facts("2025-01-24 16:00", paper=False),  # online, before closing: counted from Friday
        facts("2025-01-24 10:00", unit="calendar_days", amount=7),  # ends in Tết: next day
        facts("2025-01-24 10:00", status=10, finished="2025-02-12 09:00"),
        facts("2025-01-24 10:00", status=9, finished="2025-02-03 16:00"),
        facts("2025-01-24 10:00", due="2025-02-20 17:00"),  # inflated appointment
        facts("2025-01-24 10:00", amount=None, unit=None),
        facts("2025-01-24 10:00", status=5),
        facts(
            "2025-01-24 10:00",
            steps=(
                step("Phòng A", "2025-02-04 17:00", done="2025-02-06 09:00"),
                step("Phòng B", "2025-02-07 17:00"),
            ),
        ),
    ]
    columns = columns_of(batch, [0] * 5 + [1] * 5)
    assert plain_rows(columns, Policy(), at("2025-02-10 09:00") or 0).all()
    for now in ("2025-01-24 12:00", "2025-02-06 23:59", "2025-02-07 00:00", "2025-02-12 08:00"):
        _check(batch, [0] * 5 + [1] * 5, Policy(), at(now) or 0)


def test_letters_requests_and_hours_are_batched_odd_ones_go_to_the_rules() -> None:
    batch = [
        facts(apologies=(apology("2025-03-10 09:00", "2025-03-25 17:00"),)),
        facts(supplements=(supplement("2025-03-05 09:00", "2025-03-07 09:00"),)),
        facts(
            supplements=(
                supplement("2025-03-05 09:00", "2025-03-07 09:00", "2025-03-28 17:00"),
                supplement("2025-03-10 09:00", "2025-03-12 09:00"),
            ),
            apologies=(apology("2025-03-20 09:00", None), apology("2025-03-21 09:00", None)),
        ),
        facts(),
        facts("2025-03-03 12:00", unit="hours", amount=8),  # from the lunch break
        facts("2025-03-03 09:00", unit="hours", amount=2.5),  # ends as the morning ends
        facts("2025-03-03 09:00", unit="hours", amount=22),
        facts(amount=1.5),  # a fraction of a working day: office hours
        facts(unit="hours", amount=0),
        facts(unit="hours", amount=8, supplements=(supplement("2025-03-04 09:00", None),)),
        facts("1980-01-01 09:00"),
        facts(apologies=(apology("2190-01-01 09:00", None),)),
        facts(supplements=(supplement("2025-03-05 09:00", "2040-03-07 09:00"),)),
    ]
    for now in ("2025-03-11 09:00", "2025-03-20 09:00", "2025-04-20 09:00"):
        plain = plain_rows(columns_of(batch), Policy(), at(now) or 0)
        assert plain.tolist() == [True] * 7 + [False] * 6
        for policy in (Policy(), Policy(SupplementPolicy.LEGAL, 2, ApologyBasis.RESET)):
            _check(batch, [0] * len(batch), policy, at(now) or 0)
