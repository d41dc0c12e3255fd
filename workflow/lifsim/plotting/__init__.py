"""Figures (matplotlib, Agg backend, no pyplot): ``figures(kind, dataset, analysis, options)``."""
from .figures import PLOTTERS
from .style import freeze_layout


def figures(kind: str, ds, analysis, options: dict) -> dict:
    """``{file stem suffix: Figure}`` for an experiment of the given kind, laid out once for all formats."""
    out = PLOTTERS[kind](ds, analysis, options)
    for fig in out.values():
        freeze_layout(fig)
    return out
