"""Simulated resource metrics: what metrics-server would report, derived from the state.

Imported only by `top` and the HPA controller, never on `get`'s path. See docs/metrics.md.
"""
