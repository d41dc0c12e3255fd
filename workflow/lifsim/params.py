"""Names, dimensions and descriptions of the model parameters.

One table serves the config checks (which dimension a key must have), the
datasets (``units`` and ``long_name`` attributes) and the figures (labels).
"""
from __future__ import annotations

# name -> (dimension, long name)
NEURON_PARAMS: dict[str, tuple[str, str]] = {
    "tau_m": ("time", "membrane time constant"),
    "R_m": ("resistance", "membrane resistance"),
    "E_m": ("voltage", "leak reversal potential"),
    "V_thr": ("voltage", "spike threshold"),
    "V_reset": ("voltage", "reset potential"),
    "t_ref": ("time", "absolute refractory period"),
    "tau_syn": ("time", "synaptic time constant"),
    "g_star": ("conductance", "synaptic jump of x per presynaptic spike"),
    "E_syn": ("voltage", "synaptic reversal potential"),
    "E_exc": ("voltage", "tonic excitatory reversal potential"),
    "E_inh": ("voltage", "tonic inhibitory reversal potential"),
    "g_exc": ("conductance", "tonic excitatory conductance"),
    "g_inh": ("conductance", "tonic inhibitory conductance"),
    "I_e": ("current", "injected current"),
}

# recorded state and derived variables: name -> (dimension, long name)
TRACE_VARIABLES: dict[str, tuple[str, str]] = {
    "V": ("voltage", "membrane potential"),
    "I_m": ("current", "membrane (leak) current (V - E_m) / R_m"),
    "I_syn": ("current", "synaptic current g_syn (V - E_syn) + g_exc (V - E_exc) + g_inh (V - E_inh)"),
    "g_syn": ("conductance", "synaptic conductance"),
    "x": ("conductance", "synaptic pre-conductance (first stage of the alpha kernel)"),
}

# Parameters that must be strictly positive.
POSITIVE = ("tau_m", "R_m", "tau_syn")
# Parameters that must not be negative.
NON_NEGATIVE = ("t_ref", "g_star", "g_exc", "g_inh")
