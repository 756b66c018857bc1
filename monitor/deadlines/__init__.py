"""The deadline engine: from a dossier's stored facts to its due status, legal and effective due
dates, breaches, responsible units and the next moment any of these can change.

``evaluate_dossier`` is the one pure function; ``monitor.evaluate`` runs it over the database.
The rules as implemented, with the decisions behind them, are in docs/deadlines.md.
"""

from monitor.deadlines.facts import (
    NEVER,
    ApologyBasis,
    ApologyLetter,
    DossierFacts,
    Evaluation,
    Instant,
    Policy,
    Step,
    SupplementPolicy,
    SupplementRequest,
)
from monitor.deadlines.rules import evaluate_at, evaluate_dossier

__all__ = [
    "NEVER",
    "ApologyBasis",
    "ApologyLetter",
    "DossierFacts",
    "Evaluation",
    "Instant",
    "Policy",
    "Step",
    "SupplementPolicy",
    "SupplementRequest",
    "evaluate_at",
    "evaluate_dossier",
]
