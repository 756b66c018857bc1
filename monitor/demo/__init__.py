"""The simulated province (``motcua demo``): units, catalogue mix, dossiers, ratings, export.

``generator`` produces national-format dossier records (docs/national-format.md) that the
real ingest pipeline imports; ``run`` wires the demo into a database; ``export`` writes files
of any size for benchmarks.
"""
