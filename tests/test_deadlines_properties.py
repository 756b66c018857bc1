"""Properties of the deadline engine over generated dossiers (hypothesis).

The dossiers live around Tết 2025, the Hùng Kings day and the 30/4–1/5 break, with every
status code, both supplement policies and both apology bases.
"""

from __future__ import annotations

from dataclasses import replace

from deadline_facts import CAL, at
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.deadlines import (
    NEVER,
    ApologyBasis,
    ApologyLetter,
    DossierFacts,
    Evaluation,
    Policy,
    Step,
    SupplementPolicy,
    SupplementRequest,
    evaluate_at,
)
from monitor.deadlines.dues import day_of
from monitor.enums import Breach, DueStatus, TimeUnit

T0, T1 = at("2024-12-20 00:00") or 0, at("2025-05-20 00:00") or 0
instants = st.integers(T0, T1).map(lambda t: t - t % 60)
maybe = st.none() | instants
steps = st.builds(Step, st.sampled_from(["Phòng A", "Phòng B"]), maybe, maybe, maybe)
supplements = st.builds(SupplementRequest, instants, maybe, maybe)
apologies = st.builds(ApologyLetter, instants, maybe)
dossiers = st.builds(
    DossierFacts,
    status=st.integers(1, 10),
    received_at=instants,
    paper=st.booleans(),
    due_at=maybe,
    legal_amount=st.none() | st.integers(0, 25).map(float) | st.sampled_from([0.5, 1.5]),
    legal_unit=st.none() | st.sampled_from(list(TimeUnit)),
    finished_at=maybe,
    returned_at=maybe,
    steps=st.lists(steps, max_size=3).map(tuple),
    supplements=st.lists(supplements, max_size=3).map(tuple),
    apologies=st.lists(apologies, max_size=2).map(tuple),
)
policies = st.builds(
    Policy,
    st.sampled_from(list(SupplementPolicy)),
    st.integers(0, 3),
    st.sampled_from(list(ApologyBasis)),
)


def stored(ev: Evaluation) -> tuple[object, ...]:
    """What evaluate writes to the dossier, apart from next_change_at itself."""
    return (ev.due_status, ev.legal_due_at, ev.effective_due_at, ev.breaches, ev.responsible_units)


@settings(max_examples=250, deadline=None)
@given(dossiers, policies, instants, st.integers(0, 10**9))
def test_nothing_stored_changes_before_next_change_at(
    f: DossierFacts, policy: Policy, now: int, offset: int
) -> None:
    ev = evaluate_at(f, policy, CAL, now)
    assert ev.next_change_at > now
    last_same = min(ev.next_change_at, T1 + 400 * 86_400) - 1
    for t in (last_same, now + offset % (last_same - now + 1)):
        assert stored(evaluate_at(f, policy, CAL, t)) == stored(ev), t


def _cannot_matter(s: Step, now: int) -> bool:
    """The steps the store leaves in the database (see store.load_children)."""
    if s.deadline_at is None:
        return True
    if s.done_at is None or s.done_at > now or (s.started_at is not None and s.started_at > now):
        return False
    return day_of(s.done_at) <= day_of(s.deadline_at)


@settings(max_examples=150, deadline=None)
@given(dossiers, policies, instants)
def test_steps_the_store_leaves_out_change_nothing(
    f: DossierFacts, policy: Policy, now: int
) -> None:
    kept = tuple(s for s in f.steps if not _cannot_matter(s, now))
    assert evaluate_at(replace(f, steps=kept), policy, CAL, now) == evaluate_at(f, policy, CAL, now)


RANK = {DueStatus.IN_TIME: 0, DueStatus.DUE_SOON: 1, DueStatus.OVERDUE: 2}


@settings(max_examples=150, deadline=None)
@given(dossiers, policies, st.integers(0, 60 * 86_400), st.integers(0, 60 * 86_400))
def test_an_open_dossier_only_moves_towards_overdue_as_time_passes(
    f: DossierFacts, policy: Policy, a: int, b: int
) -> None:
    f = replace(f, status=4)
    times = [f.received_at, f.due_at, f.finished_at, f.returned_at]
    times += [t for s in f.supplements for t in (s.requested_at, s.completed_at, s.new_due_at)]
    times += [t for x in f.apologies for t in (x.issued_at, x.new_due_at)]
    times += [t for s in f.steps for t in (s.started_at, s.done_at)]
    start = max(t for t in times if t is not None)
    first = evaluate_at(f, policy, CAL, start + min(a, b))
    later = evaluate_at(f, policy, CAL, start + max(a, b))
    assert RANK[first.due_status] <= RANK[later.due_status]
    assert first.days_late <= later.days_late


@settings(max_examples=150, deadline=None)
@given(dossiers, policies, instants)
def test_conclusions_stay_in_their_domains(f: DossierFacts, policy: Policy, now: int) -> None:
    ev = evaluate_at(f, policy, CAL, now)
    if f.status in (1, 3):
        assert ev.due_status is DueStatus.NOT_ACCEPTED and ev.breaches == ()
    if f.status in (5, 6):
        assert ev.due_status is DueStatus.WAITING_CITIZEN
    if f.status in (9, 10) and (f.finished_at or f.returned_at or now) <= now:
        assert ev.due_status in (DueStatus.EARLY, DueStatus.ON_TIME, DueStatus.LATE)
        assert ev.next_change_at == NEVER or ev.next_change_at > now
    if policy.supplements is SupplementPolicy.LEGAL:
        assert Breach.MULTIPLE_SUPPLEMENTS not in ev.breaches
    assert list(ev.breaches) == sorted(ev.breaches, key=list(Breach).index)
    assert len(set(ev.responsible_units)) == len(ev.responsible_units)
    assert (ev.days_late > 0) == (ev.due_status in (DueStatus.LATE, DueStatus.OVERDUE)) or (
        Breach.MULTIPLE_SUPPLEMENTS in ev.breaches
    )
