"""The deadline rules of one dossier (monitor.deadlines), at their boundaries.

The usual dossier: paper, received Monday 03/3/2025 09:00, 10 working days, so legally due
Monday 17/3/2025 09:00; "due soon" from Friday 14/3 (one working day before).
"""

from __future__ import annotations

import pytest
from deadline_facts import (
    CAL,
    apology,
    at,
    evaluate,
    facts,
    moment,
    shown,
    step,
    supplement,
)

from monitor.deadlines import (
    NEVER,
    ApologyBasis,
    ApologyLetter,
    DossierFacts,
    Policy,
    SupplementPolicy,
    evaluate_dossier,
)
from monitor.enums import Breach, DueStatus

LEGAL = Policy(supplements=SupplementPolicy.LEGAL)
RESET = Policy(apology_basis=ApologyBasis.RESET)


# -- legal due and appointment -----------------------------------------------------------------


def test_legal_due_is_n_working_days_after_receipt_at_the_same_time() -> None:
    ev = evaluate(facts(), "2025-03-05 10:00")
    assert shown(ev.legal_due_at) == "2025-03-17 09:00"
    assert ev.due_at == ev.effective_due_at == ev.legal_due_at


def test_paper_received_after_the_afternoon_cut_off_counts_from_the_next_morning() -> None:
    paper = evaluate(facts("2025-03-03 15:30", amount=1), "2025-03-03 16:00")
    online = evaluate(facts("2025-03-03 15:30", amount=1, paper=False), "2025-03-03 16:00")
    assert shown(paper.legal_due_at) == "2025-03-05 07:00"
    assert shown(online.legal_due_at) == "2025-03-04 15:30"


def test_legal_due_across_tet_2025() -> None:
    ev = evaluate(facts("2025-01-23 10:00", amount=3), "2025-01-23 11:00")
    assert shown(ev.legal_due_at) == "2025-02-04 10:00"


def test_the_source_appointment_is_the_due_date_and_a_later_one_is_inflated() -> None:
    ev = evaluate(facts(due="2025-03-20 17:00"), "2025-03-05 10:00")
    assert shown(ev.due_at) == "2025-03-20 17:00"
    assert ev.breaches == (Breach.INFLATED_APPOINTMENT,)
    # Later the same day as the legal due is not inflated: dates are compared.
    same_day = evaluate(facts(due="2025-03-17 17:00"), "2025-03-05 10:00")
    assert same_day.breaches == ()


def test_without_a_legal_time_the_source_due_alone_is_used() -> None:
    ev = evaluate(facts(amount=None, unit=None, due="2025-03-20 17:00"), "2025-03-21 08:00")
    assert ev.legal_due_at is None
    assert ev.due_status is DueStatus.OVERDUE
    assert ev.breaches == (Breach.LATE_WITHOUT_APOLOGY,)


def test_without_any_due_date_nothing_is_late_and_nothing_will_change() -> None:
    open_ = evaluate(facts(amount=None, unit=None), "2030-01-01 08:00")
    done = evaluate(
        facts(amount=None, unit=None, status=10, finished="2029-01-01 10:00"), "2030-01-01 08:00"
    )
    assert (open_.due_status, open_.next_change_at, open_.due_at) == (
        DueStatus.IN_TIME,
        NEVER,
        None,
    )
    assert (done.due_status, done.breaches) == (DueStatus.ON_TIME, ())


def test_an_unknown_time_unit_or_a_wild_date_gives_no_legal_due_rather_than_an_error() -> None:
    assert evaluate(facts(amount=1e9), "2025-03-05 10:00").legal_due_at is None
    ev = evaluate(facts(due="9000-01-01 00:00"), "2025-03-05 10:00")
    assert ev.due_at == ev.legal_due_at


# -- due status of open dossiers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "status"),
    [
        ("2025-03-13 23:59", DueStatus.IN_TIME),
        ("2025-03-14 00:00", DueStatus.DUE_SOON),  # the next working day is the due date
        ("2025-03-16 12:00", DueStatus.DUE_SOON),  # Sunday
        ("2025-03-17 08:59", DueStatus.DUE_SOON),  # one minute before the due time
        ("2025-03-17 09:00", DueStatus.DUE_SOON),  # at it
        ("2025-03-17 23:59", DueStatus.DUE_SOON),  # same date: not yet overdue
        ("2025-03-18 00:00", DueStatus.OVERDUE),
    ],
)
def test_open_dossier_status_by_date(now: str, status: DueStatus) -> None:
    assert evaluate(facts(), now).due_status is status


def test_next_change_is_the_start_of_the_next_status() -> None:
    assert shown(evaluate(facts(), "2025-03-05 10:00").next_change_at) == "2025-03-14 00:00"
    assert shown(evaluate(facts(), "2025-03-14 00:00").next_change_at) == "2025-03-18 00:00"
    assert evaluate(facts(), "2025-03-18 00:00").next_change_at == NEVER


def test_due_soon_window_is_configurable_in_working_days() -> None:
    two = Policy(due_soon_working_days=2)
    zero = Policy(due_soon_working_days=0)
    assert evaluate(facts(), "2025-03-12 23:59", two).due_status is DueStatus.IN_TIME
    assert evaluate(facts(), "2025-03-13 00:00", two).due_status is DueStatus.DUE_SOON
    assert evaluate(facts(), "2025-03-16 23:59", zero).due_status is DueStatus.IN_TIME
    assert evaluate(facts(), "2025-03-17 00:00", zero).due_status is DueStatus.DUE_SOON


def test_due_soon_waits_out_tet() -> None:
    f = facts("2025-01-23 10:00", amount=3)  # due Tuesday 04/2/2025
    assert evaluate(f, "2025-01-31 12:00").due_status is DueStatus.IN_TIME
    assert evaluate(f, "2025-02-03 00:00").due_status is DueStatus.DUE_SOON
    # Due Monday 03/2: from Friday 24/1 the next working day is the due date.
    g = facts("2025-01-23 10:00", amount=2)
    assert evaluate(g, "2025-01-24 00:00").due_status is DueStatus.DUE_SOON
    assert evaluate(g, "2025-01-29 12:00").due_status is DueStatus.DUE_SOON


def test_days_late_count_working_days() -> None:
    assert evaluate(facts(), "2025-03-18 00:00").days_late == 1
    assert evaluate(facts(), "2025-03-24 10:00").days_late == 5
    late_over_tet = facts("2025-01-20 09:00", amount=3)  # due Thursday 23/1
    assert evaluate(late_over_tet, "2025-02-03 09:00").days_late == 2  # 24/1 and 03/2


# -- finished dossiers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("finished", "status"),
    [
        ("2025-03-14 17:00", DueStatus.EARLY),
        ("2025-03-17 08:59", DueStatus.ON_TIME),  # one minute before the due time
        ("2025-03-17 09:00", DueStatus.ON_TIME),
        ("2025-03-17 23:59", DueStatus.ON_TIME),  # later, but the same date
        ("2025-03-18 00:00", DueStatus.LATE),
    ],
)
def test_finished_dossier_status_by_date(finished: str, status: DueStatus) -> None:
    ev = evaluate(facts(status=10, finished=finished), "2025-04-01 08:00")
    assert ev.due_status is status
    assert ev.next_change_at == NEVER


def test_finished_after_the_as_of_time_was_still_in_hand_then() -> None:
    f = facts(status=10, finished="2025-03-20 10:00")
    assert evaluate(f, "2025-03-10 10:00").due_status is DueStatus.IN_TIME
    assert evaluate(f, "2025-03-19 10:00").due_status is DueStatus.OVERDUE
    assert shown(evaluate(f, "2025-03-19 10:00").next_change_at) == "2025-03-20 10:00"
    assert evaluate(f, "2025-03-20 10:00").due_status is DueStatus.LATE


def test_returned_time_stands_in_for_a_missing_finish_time() -> None:
    ev = evaluate(facts(status=10, returned="2025-03-18 08:00"), "2025-04-01 08:00")
    assert ev.due_status is DueStatus.LATE


@pytest.mark.parametrize(
    ("status", "due_status"),
    [
        (2, DueStatus.IN_TIME),
        (5, DueStatus.WAITING_CITIZEN),
        (6, DueStatus.WAITING_CITIZEN),
        (7, DueStatus.WITHDRAWN),
        (8, DueStatus.STOPPED),
        (1, DueStatus.NOT_ACCEPTED),
        (3, DueStatus.NOT_ACCEPTED),
    ],
)
def test_status_codes_outside_processing(status: int, due_status: DueStatus) -> None:
    ev = evaluate(facts(status=status, due="2025-03-20 17:00"), "2025-03-05 10:00")
    assert ev.due_status is due_status
    if due_status is DueStatus.NOT_ACCEPTED:
        assert ev.breaches == ()


def test_a_waiting_dossier_past_its_date_is_not_overdue_and_changes_only_with_new_facts() -> None:
    ev = evaluate(facts(status=5), "2025-04-30 10:00")
    assert (ev.due_status, ev.breaches, ev.next_change_at) == (DueStatus.WAITING_CITIZEN, (), NEVER)


# -- supplement requests -------------------------------------------------------------------------

ONE_WAIT = (supplement("2025-03-05 10:00", "2025-03-10 14:00"),)  # 3 working days waited
TWO_WAITS = (*ONE_WAIT, supplement("2025-03-11 10:00", "2025-03-12 10:00"))


def test_national_policy_does_not_count_the_wait_for_the_citizen() -> None:
    ev = evaluate(facts(supplements=ONE_WAIT), "2025-03-11 10:00")
    assert shown(ev.legal_due_at) == "2025-03-20 09:00"
    assert (
        evaluate(
            facts(status=10, finished="2025-03-20 16:00", supplements=ONE_WAIT), "2025-04-01 08:00"
        ).due_status
        is DueStatus.ON_TIME
    )


def test_national_policy_makes_a_second_supplement_request_late() -> None:
    done = facts(status=10, finished="2025-03-13 10:00", supplements=TWO_WAITS)
    ev = evaluate(done, "2025-04-01 08:00")
    assert ev.due_status is DueStatus.LATE and Breach.MULTIPLE_SUPPLEMENTS in ev.breaches
    assert (
        evaluate(facts(supplements=TWO_WAITS), "2025-03-12 11:00").due_status is DueStatus.OVERDUE
    )
    # The second request is not known before it is made.
    assert (
        evaluate(facts(supplements=TWO_WAITS), "2025-03-11 09:59").due_status is DueStatus.IN_TIME
    )


def test_legal_policy_restarts_the_clock_when_the_complete_dossier_arrives() -> None:
    ev = evaluate(facts(supplements=TWO_WAITS), "2025-03-12 11:00", LEGAL)
    assert shown(ev.legal_due_at) == "2025-03-26 10:00"  # 10 working days from 12/3 10:00
    assert ev.due_status is DueStatus.IN_TIME and ev.breaches == ()


def test_a_pending_supplement_request_leaves_the_dossier_waiting_without_moving_dates() -> None:
    pending = (supplement("2025-03-05 10:00", None),)
    ev = evaluate(facts(status=5, supplements=pending), "2025-03-25 10:00")
    assert ev.due_status is DueStatus.WAITING_CITIZEN
    assert shown(ev.legal_due_at) == "2025-03-17 09:00"


def test_a_new_appointment_from_a_supplement_replaces_the_source_one() -> None:
    s = (supplement("2025-03-05 10:00", "2025-03-10 14:00", new_due="2025-03-21 17:00"),)
    ev = evaluate(facts(due="2025-03-17 17:00", supplements=s), "2025-03-11 10:00")
    assert shown(ev.due_at) == "2025-03-21 17:00"
    assert Breach.INFLATED_APPOINTMENT in ev.breaches  # legal due with the wait: 20/3


def test_without_a_new_appointment_the_source_one_moves_back_by_the_wait() -> None:
    ev = evaluate(facts(due="2025-03-17 17:00", supplements=ONE_WAIT), "2025-03-11 10:00")
    assert shown(ev.due_at) == "2025-03-20 17:00"


def test_hours_procedures_move_back_by_the_office_hours_waited() -> None:
    f = facts(
        amount=8, unit="hours", supplements=(supplement("2025-03-03 10:00", "2025-03-03 15:00"),)
    )
    # Due 04/3 09:00 without the wait; 3 office hours waited (lunch excluded) move it to 14:00.
    assert shown(evaluate(f, "2025-03-04 08:00").legal_due_at) == "2025-03-04 14:00"


# -- apologies -----------------------------------------------------------------------------------

IN_TIME_APOLOGY = apology("2025-03-16 23:59", "2025-03-24 17:00")  # the day before the due date
LATE_APOLOGY = apology("2025-03-17 00:00", "2025-03-24 17:00")  # on the due date


def _done(finished: str, *letters: ApologyLetter) -> DossierFacts:
    return facts(status=10, finished=finished, apologies=letters)


def test_late_without_an_apology_is_a_breach() -> None:
    ev = evaluate(_done("2025-03-18 08:00"), "2025-04-01 08:00")
    assert ev.breaches == (Breach.LATE_WITHOUT_APOLOGY,)


def test_a_valid_apology_resets_the_date_but_lateness_is_judged_against_the_original() -> None:
    ev = evaluate(_done("2025-03-21 10:00", IN_TIME_APOLOGY), "2025-04-01 08:00")
    assert ev.due_status is DueStatus.LATE and ev.breaches == ()
    assert shown(ev.due_at) == "2025-03-17 09:00"
    assert shown(ev.effective_due_at) == "2025-03-24 17:00"


def test_with_the_reset_basis_lateness_is_judged_against_the_new_date() -> None:
    f = _done("2025-03-21 10:00", IN_TIME_APOLOGY)
    assert evaluate(f, "2025-04-01 08:00", RESET).due_status is DueStatus.EARLY
    g = _done("2025-03-25 00:00", IN_TIME_APOLOGY)
    ev = evaluate(g, "2025-04-01 08:00", RESET)
    assert ev.due_status is DueStatus.LATE and ev.breaches == (Breach.MISSED_NEW_DUE,)


def test_an_apology_issued_on_the_due_date_is_too_late_and_resets_nothing() -> None:
    ev = evaluate(_done("2025-03-21 10:00", LATE_APOLOGY), "2025-04-01 08:00", RESET)
    assert ev.due_status is DueStatus.LATE
    assert ev.breaches == (Breach.APOLOGY_TOO_LATE,)
    assert shown(ev.effective_due_at) == "2025-03-17 09:00"


def test_missing_the_new_date_is_a_breach_from_the_day_after_it() -> None:
    on_new_date = evaluate(_done("2025-03-24 23:59", IN_TIME_APOLOGY), "2025-04-01 08:00")
    after = evaluate(_done("2025-03-25 00:00", IN_TIME_APOLOGY), "2025-04-01 08:00")
    assert on_new_date.breaches == ()
    assert after.breaches == (Breach.MISSED_NEW_DUE,)


def test_a_second_reschedule_is_a_breach_and_only_the_first_new_date_counts() -> None:
    second = apology("2025-03-20 10:00", "2025-03-31 17:00")
    ev = evaluate(_done("2025-03-28 10:00", IN_TIME_APOLOGY, second), "2025-04-01 08:00")
    assert ev.breaches == (Breach.SECOND_RESCHEDULE, Breach.MISSED_NEW_DUE)
    assert shown(ev.effective_due_at) == "2025-03-24 17:00"


def test_open_dossier_breaches_appear_as_days_pass() -> None:
    plain = facts()
    assert evaluate(plain, "2025-03-17 23:59").breaches == ()
    assert evaluate(plain, "2025-03-18 00:00").breaches == (Breach.LATE_WITHOUT_APOLOGY,)
    apologised = facts(apologies=(IN_TIME_APOLOGY,))
    at_new_date = evaluate(apologised, "2025-03-24 23:59")
    assert at_new_date.breaches == () and shown(at_new_date.next_change_at) == "2025-03-25 00:00"
    assert evaluate(apologised, "2025-03-25 00:00").breaches == (Breach.MISSED_NEW_DUE,)


def test_an_apology_not_yet_issued_at_the_as_of_time_is_not_known() -> None:
    f = facts(apologies=(apology("2025-03-19 10:00", "2025-03-24 17:00"),))
    assert evaluate(f, "2025-03-18 10:00").breaches == (Breach.LATE_WITHOUT_APOLOGY,)
    assert shown(evaluate(f, "2025-03-18 10:00").next_change_at) == "2025-03-19 10:00"
    assert evaluate(f, "2025-03-19 10:00").breaches == (Breach.APOLOGY_TOO_LATE,)


# -- responsible units ---------------------------------------------------------------------------

STEPS = (
    step("Bộ phận một cửa", "2025-03-04 17:00", done="2025-03-04 23:00"),  # same day: on time
    step("Phòng Tài nguyên", "2025-03-07 17:00", done="2025-03-10 09:00"),  # late
    step("Chi nhánh VPĐKĐĐ", "2025-03-12 17:00"),  # still running
)


def test_units_whose_step_outran_its_own_deadline_are_responsible() -> None:
    assert evaluate(facts(steps=STEPS), "2025-03-12 23:59").responsible_units == (
        "Phòng Tài nguyên",
    )
    late = evaluate(facts(steps=STEPS), "2025-03-13 00:00")
    assert late.responsible_units == ("Phòng Tài nguyên", "Chi nhánh VPĐKĐĐ")
    assert (
        shown(evaluate(facts(steps=STEPS), "2025-03-12 10:00").next_change_at) == "2025-03-13 00:00"
    )


def test_a_step_left_open_on_a_finished_dossier_is_judged_at_the_finish() -> None:
    on_time = facts(status=10, finished="2025-03-12 16:00", steps=STEPS)
    late = facts(status=10, finished="2025-03-13 08:00", steps=STEPS)
    assert evaluate(on_time, "2025-04-01 08:00").responsible_units == ("Phòng Tài nguyên",)
    assert len(evaluate(late, "2025-04-01 08:00").responsible_units) == 2


def test_a_unit_late_twice_is_listed_once_and_future_steps_are_unknown() -> None:
    steps = (
        step("Phòng A", "2025-03-05 17:00", done="2025-03-06 10:00"),
        step("Phòng A", "2025-03-07 17:00", done="2025-03-10 10:00"),
        step("Phòng B", "2025-03-11 17:00", started="2025-03-20 10:00"),
    )
    assert evaluate(facts(steps=steps), "2025-03-19 10:00").responsible_units == ("Phòng A",)


# -- the public entry point ----------------------------------------------------------------------


def test_evaluate_dossier_takes_an_aware_datetime_and_gives_json_ready_output() -> None:
    ev = evaluate_dossier(facts(), LEGAL, CAL, moment("2025-03-18 00:00"))
    doc = ev.as_dict()
    assert doc["due_status"] == "overdue" and doc["breaches"] == ["late_without_apology"]
    assert doc["legal_due_at"].isoformat() == "2025-03-17T09:00:00+07:00"
    assert doc["next_change_at"] is None and at("2025-03-18 00:00") is not None
