"""The bottom layer every other package stands on: pure functions over objects as dicts.

Nothing here imports from minikctl above `core`, `errors` and `env` (tests/test_layers.py holds the
rule): ownership, quantities, pod resource sums, conditions, time, selectors, faults and the kinds
registry.
"""
