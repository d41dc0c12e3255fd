"""Figures (matplotlib, Agg backend, no pyplot): ``figures(kind, dataset, analysis, options)``.

One module per kind draws its figures; the kind (``lifsim.kinds``) names it.
"""

def figures(kind: str, ds, analysis, options: dict, stage: str | None = None) -> dict:
    """``{file stem suffix: Figure}`` for an experiment of the given kind (constrained layout; it is computed
    once, at the first save through ``lifsim.io.save_figure``, and kept for every format).

    ``stage`` names the kind's plot function (``"module:function"``; default: from the registry)."""
    from ..kinds import stage_function

    return stage_function(kind, "plot", stage)(ds, analysis, options)
