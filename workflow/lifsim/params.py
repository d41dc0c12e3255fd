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

# The notebook's neuron (pars_a_1): the defaults of lifsim.simulate and of config.yaml's `neuron:`.
NOTEBOOK_NEURON = {"tau_m": "10 ms", "R_m": "10 MOhm", "E_m": "-80 mV", "V_thr": "-54 mV", "V_reset": "E_m",
                   "t_ref": "0 ms", "tau_syn": "10 ms", "g_star": "30 nS", "E_syn": "0 mV", "E_exc": "0 mV",
                   "E_inh": "-100 mV", "g_exc": "0 nS", "g_inh": "0 nS", "I_e": "0 nA"}
