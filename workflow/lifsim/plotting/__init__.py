"""Figures (matplotlib, Agg backend, no pyplot): ``figures(kind, dataset, analysis, options)``.

One module per kind draws its figures; the kind (``lifsim.kinds``) names it.
"""
from .style import freeze_layout


def figures(kind: str, ds, analysis, options: dict, stage: str | None = None) -> dict:
    """``{file stem suffix: Figure}`` for an experiment of the given kind, laid out once for all formats.

    ``stage`` names the kind's plot function (``"module:function"``; default: from the registry)."""
    from ..kinds import stage_function

    out = stage_function(kind, "plot", stage)(ds, analysis, options)
    for fig in out.values():
        freeze_layout(fig)
    return out
