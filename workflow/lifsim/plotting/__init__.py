"""Figures (matplotlib, Agg backend, no pyplot): ``figures(kind, dataset, analysis, options)``."""
from .figures import PLOTTERS


def figures(kind: str, ds, analysis, options: dict) -> dict:
    """``{file stem suffix: Figure}`` for an experiment of the given kind."""
    return PLOTTERS[kind](ds, analysis, options)
