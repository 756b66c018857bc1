"""The indexes on conclusions set aside on SQLite while many never-evaluated dossiers are
written: the same conclusions as with the index kept, the indexes back after the run (a
failed one included), missing ones rebuilt by the next run, and PostgreSQL left as it is."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, inspect, text
from test_evaluate_bulk import AS_OF, _province
from test_evaluate_pipeline import (
    _conclusions,
    _never_evaluated,
    _written,
    refused_at_the_fourth_chunk,
)

import monitor.evaluate as evaluation
from monitor.config import Settings
from monitor.evaluate import ASIDE_INDEXES, evaluate

S = Settings()
N = 300


def _has_index(engine: Engine) -> bool:
    """Whether both indexes on conclusions are there (on one, the other is checked alike)."""
    names = {i["name"] for i in inspect(engine).get_indexes("dossiers")}
    assert (ASIDE_INDEXES[0] in names) == (ASIDE_INDEXES[1] in names)
    return ASIDE_INDEXES[0] in names


def _uses_index(engine: Engine) -> bool:
    """Whether the evaluation's selection of what to read would use its index again."""
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as conn:
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM dossiers WHERE next_change_at <= '2026-01-01'"
        ).all()
    return any(ASIDE_INDEXES[0] in str(row[-1]) for row in plan)


def _watch_index(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record, at each chunk written, whether the index exists (read on another connection)."""
    seen: list[bool] = []
    real = evaluation._write

    def write(*args: Any) -> Any:
        seen.append(_has_index(engine))
        return real(*args)

    monkeypatch.setattr(evaluation, "_write", write)
    return seen


def test_set_aside_while_writing_many_and_back_after_with_the_same_conclusions(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _province(engine, N)
    monkeypatch.setattr(evaluation, "LIST_CHUNK", 50)  # never evaluated: read as a selection
    seen = _watch_index(engine, monkeypatch)

    monkeypatch.setattr(evaluation, "ASIDE_FROM", N + 1)  # too few waiting: kept
    kept = evaluate(engine, AS_OF, settings=S)
    expected = _conclusions(engine)
    assert kept.written == N
    assert seen and all(seen)

    _never_evaluated(engine)
    seen.clear()
    monkeypatch.setattr(evaluation, "ASIDE_FROM", N)  # every dossier waiting: set aside
    aside = evaluate(engine, AS_OF, settings=S)
    sqlite = engine.dialect.name == "sqlite"
    assert len(seen) == N // 50
    assert not any(seen) if sqlite else all(seen)
    assert (aside.evaluated, aside.written) == (kept.evaluated, kept.written)
    assert _conclusions(engine) == expected
    assert _has_index(engine) and _uses_index(engine)

    # Evaluated: nothing waits any more, so even a full run with every row written keeps it.
    with engine.begin() as conn:
        conn.execute(text("UPDATE dossiers SET evaluated_at = NULL, next_change_at = NULL"))
    seen.clear()
    monkeypatch.setattr(evaluation, "ASIDE_FROM", 1)
    assert evaluate(engine, AS_OF, settings=S).written == N
    assert len(seen) == N // 50 and all(seen)


def test_a_failed_run_puts_the_index_back(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    _province(engine, N)
    monkeypatch.setattr(evaluation, "ASIDE_FROM", 1)
    seen = _watch_index(engine, monkeypatch)
    refused_at_the_fourth_chunk(engine, monkeypatch)
    assert len(seen) == 4
    assert not any(seen) if engine.dialect.name == "sqlite" else all(seen)
    assert _has_index(engine) and _uses_index(engine)
    assert sum(_written(engine).values()) == 30


def test_a_run_cut_short_is_repaired_by_the_next(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL keeps its indexes: an evaluation never drops one there")
    _province(engine, N)
    with engine.begin() as conn:  # what a run killed while the index was aside leaves
        for name in ASIDE_INDEXES:
            conn.execute(text(f"DROP INDEX {name}"))
    assert not _has_index(engine)
    result = evaluate(engine, AS_OF, settings=S)  # N waiting: fewer than ASIDE_FROM
    assert result.written == N
    assert _has_index(engine) and _uses_index(engine)


@pytest.mark.parametrize(("every", "aside"), [(4, False), (3, True)], ids=["quarter", "third"])
def test_set_aside_only_when_a_third_or_more_wait(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, every: int, aside: bool
) -> None:
    _province(engine, N)
    evaluate(engine, AS_OF, settings=S)
    with engine.begin() as conn:  # a later import: new dossiers, a share of them all
        conn.execute(
            text(
                "UPDATE dossiers SET due_status = NULL, next_change_at = NULL "
                f"WHERE id % {every} = 0"
            )
        )
    monkeypatch.setattr(evaluation, "LIST_CHUNK", 20)
    monkeypatch.setattr(evaluation, "ASIDE_FROM", 1)
    seen = _watch_index(engine, monkeypatch)
    result = evaluate(engine, AS_OF, settings=S)
    assert result.written == N // every
    assert seen
    assert all(seen) if not (aside and engine.dialect.name == "sqlite") else not any(seen)
    assert _has_index(engine)
