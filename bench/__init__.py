"""Benchmarks that print measured figures (not timed tests); ``make bench`` runs them all.

Each ``bench/bench_*.py`` module has ``run() -> dict`` returning JSON-serialisable figures from
one run (medians or ratios). A figure ``name`` may come with ``name_target`` (what it should
be) and ``name_ok`` (whether it is): ``bench.run_all`` shows them on the figure's row and lists
every missed target at the end, so a regression is visible without reading the numbers.
"""
