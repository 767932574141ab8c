"""Benchmarks of the sync system (``make bench``): each figure beside its comparison.

Every figure is measured in the same run as the limit or the naive way it is compared with,
so the ratio holds on whatever machine runs it.  ``python -m bench`` prints a table and writes
JSON; BENCHMARKS.md keeps the results with the machine and the commands.
"""
