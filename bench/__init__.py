"""Benchmarks run by ``make bench`` (``bench/run.py``) and the province dataset they share."""
