"""The registry of experiment kinds: one module per kind, one line each here.

Adding a kind: write ``lifsim/kinds/<kind>.py`` defining ``KIND = Kind(...)``
(see ``lifsim.kinds.base``) and add its line below. The config schema's list
of kinds, the planner, the rules and every stage take the kinds from here.
"""
from __future__ import annotations

import importlib
from functools import cache

from .base import Kind

REGISTRY = {
    "synaptic_response": "lifsim.kinds.synaptic_response",
    "initial_conditions": "lifsim.kinds.initial_conditions",
    "fi_curve": "lifsim.kinds.fi_curve",
    "coupled_pair": "lifsim.kinds.coupled_pair",
    "pair_grid": "lifsim.kinds.pair_grid",
    "convergence": "lifsim.kinds.convergence",
    "noisy_fi_curve": "lifsim.kinds.noisy_fi_curve",
    "stimulus_response": "lifsim.kinds.stimulus_response",
    "poisson_input": "lifsim.kinds.poisson_input",
}

KINDS = tuple(REGISTRY)


@cache
def get(name: str) -> Kind:
    """The kind called ``name`` (a KeyError names the known kinds)."""
    if name not in REGISTRY:
        raise KeyError(f"unknown experiment kind {name!r}; known: {', '.join(KINDS)}")
    kind = importlib.import_module(REGISTRY[name]).KIND
    if kind.name != name:
        raise ValueError(f"{REGISTRY[name]} declares kind {kind.name!r}, registered as {name!r}")
    return kind


def stage_function(kind: str, stage: str, ref: str | None = None):
    """The function of ``stage`` for ``kind``: the one ``ref`` names (``"module:function"``; the pipeline
    passes it, so that a job imports that module alone), else the one the kind declares."""
    from .base import resolve

    return resolve(ref if ref is not None else getattr(get(kind), stage))


def module_of(name: str) -> str:
    """The module that declares kind ``name``."""
    return REGISTRY[name]


__all__ = ["KINDS", "Kind", "REGISTRY", "get", "module_of", "stage_function"]
