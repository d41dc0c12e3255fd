"""The figures of each experiment kind: dataset (and analysis) in, ``{file stem suffix: Figure}`` out.

One module per kind; ``PLOTTERS`` maps a kind to its function.
"""
from __future__ import annotations

from .convergence import plot_convergence
from .fi import plot_fi
from .pair import plot_pair
from .synaptic import plot_synaptic
from .trials import plot_trials
from .synchrony import plot_synchrony

PLOTTERS = {"synaptic_response": plot_synaptic, "initial_conditions": plot_trials, "fi_curve": plot_fi,
            "coupled_pair": plot_pair, "pair_grid": plot_synchrony, "convergence": plot_convergence}
