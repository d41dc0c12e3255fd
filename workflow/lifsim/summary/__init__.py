"""Summaries of the measured numbers: a JSON dict and an RST text that the report's captions include.

``summarise(kind, experiment, dataset, analysis) -> (numbers, rst)``. The RST
holds sentences that quote the numbers next to the theory, a table, the
parameters that produced them (from the datasets' provenance) and the
software versions. Nothing here reads files or the clock: the same analysis
gives the same text.
"""
from __future__ import annotations

from .common import provenance_numbers, provenance_rst


def summarise(kind: str, experiment: str, ds, an) -> tuple[dict, str]:
    if kind == "synaptic_response":
        from .synaptic import summary as fn
    elif kind == "initial_conditions":
        from .trials import summary as fn
    elif kind == "fi_curve":
        from .fi import summary as fn
    elif kind == "coupled_pair":
        from .pair import summary as fn
    else:
        from .common import generic_summary as fn
    measured, text = fn(ds, an)
    numbers = {"experiment": experiment, "kind": kind, "measured": measured, **provenance_numbers(ds, an)}
    return numbers, text.rstrip() + "\n\n" + provenance_rst(ds, an)
