"""Summaries of the measured numbers: a JSON dict and an RST text that the report's captions include.

``summarise(kind, experiment, dataset, analysis) -> (numbers, rst)``. The RST
holds sentences that quote the numbers next to the theory, a table, the
parameters that produced them (from the datasets' provenance) and the
software versions. Nothing here reads files or the clock: the same analysis
gives the same text.
"""
from __future__ import annotations

from .common import provenance_numbers, provenance_rst


def summarise(kind: str, experiment: str, ds, an, stage: str | None = None) -> tuple[dict, str]:
    """``stage`` names the kind's summary function (``"module:function"``; default: from the registry)."""
    from ..kinds import stage_function

    fn = stage_function(kind, "summarise", stage)
    measured, text = fn(ds, an)
    numbers = {"experiment": experiment, "kind": kind, "measured": measured, **provenance_numbers(ds, an)}
    return numbers, text.rstrip() + "\n\n" + provenance_rst(ds, an)
