"""Envol's benchmark at EU scale (`make bench`): see bench/run.py and bench/report.md."""
