"""Vietnamese feedback classification: normalisation, sentiment, topic and urgency models.

This package uses nothing else of ours: the DB-side jobs call its file-based building blocks
(``nlp.model.load``, ``nlp.registry.retrain_with_corrections``, ``nlp.cli.main``).
"""
