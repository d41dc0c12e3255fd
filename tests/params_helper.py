"""Build one job's resolved parameters directly (SI units), for tests of the simulation layer."""
from __future__ import annotations

NEURON = {"tau_m": 0.01, "R_m": 1e7, "E_m": -0.08, "V_thr": -0.054, "V_reset": -0.08, "t_ref": 0.0,
          "tau_syn": 0.01, "g_star": 30e-9, "E_syn": 0.0, "E_exc": 0.0, "E_inh": -0.1, "g_exc": 0.0,
          "g_inh": 0.0, "I_e": 0.0}


def job(*, n=1, dt=1e-4, duration=0.1, reset=False, integrator="euler", record=("V", "g_syn", "x"),
        V_init=None, spikes=(), coupling=None, sweep=None, dim=None, **neuron) -> dict:
    params = dict(NEURON)
    params.update(neuron)
    sweep = sweep or {}
    if sweep and dim is None:
        dim = next(iter(sweep))
    values = sweep.get(dim) if dim in sweep else (list(range(n)) if dim else None)
    if sweep:
        n = len(next(iter(sweep.values())))
        dim = "sweep"
    for name in sweep:                   # as lifsim.config does: a swept parameter is per neuron only
        params.pop(name, None)
    grid = {name: {"values": list(v)} for name, v in sorted(sweep.items())}
    return {"experiment": "test", "kind": "test", "condition": "c", "integrator": integrator, "dt": dt,
            "duration": duration, "reset": reset, "record": list(record), "neuron": params,
            "batch": {"dim": dim, "size": n, "values": values}, "grid": grid,
            "V_init": V_init or {"values": [params["E_m"]] * n}, "presynaptic_spikes": list(spikes),
            "coupling": coupling}
