"""Per-kind construction of simulation jobs from an experiment's config.

Each builder returns ``{job name: params}``; the params of every job share one
layout (see ``lifsim.sim.run.simulate``):

``batch``      the labelled dimension of the job's neurons: ``{"dim", "size", "values"}``
``sweep``      per-neuron parameter values, ``{name: [SI floats]}`` (may be empty)
``neuron``     the shared model parameters (SI floats)
``V_init``     fixed values or a seeded uniform draw
``presynaptic_spikes``  times (s) at which x of every neuron jumps by g_star
``coupling``   ``W[i][j] = 1``: a spike of neuron j drives neuron i (or ``None``)
"""
from __future__ import annotations

from .errors import ConfigError, join
from .resolve import (ExperimentPlan, check_dt, check_memory, draw_spec, linspace, quantity,
                      resolve_neuron, time_label)

KINDS = ("synaptic_response", "initial_conditions", "fi_curve", "coupled_pair")
DEFAULT_RECORD = ["V", "I_m", "I_syn", "g_syn", "x"]


def plan(config: dict) -> dict[str, ExperimentPlan]:
    """Resolve a structurally valid config into the plans of all experiments."""
    from .analysis_jobs import ANALYSIS_JOB_BUILDERS, check_kind_only_keys, no_jobs

    seed = config["seed"]
    analysis = _analysis_options(config.get("analysis", {}))
    figures = dict(sorted(config.get("figures", {}).items()))
    plans = {}
    for name, exp in sorted(config["experiments"].items()):
        path = join("experiments", name)
        common = _common(config, exp, path)
        builder = BUILDERS[exp["kind"]]
        check_kind_only_keys(exp, path)
        jobs = builder(name, exp, common, seed, path)
        analysis_jobs = ANALYSIS_JOB_BUILDERS.get(exp["kind"], no_jobs)(name, exp, common, path, jobs)
        for job_name, params in {**jobs, **analysis_jobs}.items():
            check_memory(params, path)
        plans[name] = ExperimentPlan(name=name, kind=exp["kind"], jobs=jobs, analysis_jobs=analysis_jobs,
                                     analysis=analysis, figures=figures)
    return plans


def _analysis_options(raw: dict) -> dict:
    return {"lock_tolerance": quantity(raw.get("lock_tolerance", "0.5 ms"), "time", "analysis.lock_tolerance"),
            "runaway_isi": quantity(raw.get("runaway_isi", "1 ms"), "time", "analysis.runaway_isi")}


def _common(config: dict, exp: dict, path: str) -> dict:
    dt_path = join(path, "dt") if "dt" in exp else "dt"
    dt = quantity(exp.get("dt", config["dt"]), "time", dt_path)
    if not dt > 0:
        raise ConfigError(dt_path, f"expected a positive time step, got {exp.get('dt', config['dt'])!r}")
    return {
        "integrator": exp.get("integrator", config.get("integrator", "euler")),
        "dt": dt,
        "dt_path": dt_path,
        "reset": exp.get("reset", True),
        "record": sorted(exp.get("record", DEFAULT_RECORD)),
        "base_neuron": {**config["neuron"], **exp.get("neuron", {})},
        "neuron_path": join(path, "neuron"),
    }


def _duration(raw, path: str, dt: float) -> float:
    value = quantity(raw, "time", path)
    if not value > 0:
        raise ConfigError(path, f"expected a positive duration, got {raw!r}")
    if value < dt:
        raise ConfigError(path, f"expected a duration of at least one time step ({dt * 1e3:g} ms), got {raw!r}")
    return value


def _job(name, exp, common, condition, neuron, duration, batch, **extra) -> dict:
    params = {
        "experiment": name, "kind": exp["kind"], "condition": condition,
        "integrator": common["integrator"], "dt": common["dt"], "duration": duration,
        "reset": common["reset"], "record": common["record"], "neuron": neuron,
        "batch": batch, "sweep": {}, "V_init": {"values": [neuron["E_m"]] * batch["size"]},
        "presynaptic_spikes": [], "coupling": None,
    }
    params.update(extra)
    params["neuron"] = _used(params)
    return params


SYNAPTIC = ("g_star", "tau_syn", "E_syn")
RESET = ("V_thr", "V_reset", "t_ref")


def _used(params: dict) -> dict:
    """Only the neuron parameters this job uses, so that others cannot trigger a rerun."""
    unused = set(params["sweep"])
    if not params["presynaptic_spikes"] and not any(map(any, params["coupling"] or [])):
        unused.update(SYNAPTIC)
    if not params["reset"]:
        unused.update(RESET)
    return {k: v for k, v in params["neuron"].items() if k not in unused}


def _conditions(name: str, exp: dict, common: dict, path: str) -> dict[str, dict]:
    """Each condition's resolved neuron parameters, checked (dt against its time constants too)."""
    out = {}
    for cond, overrides in sorted(exp.get("conditions", {"base": {}}).items()):
        cpath = join(join(path, "conditions"), cond)
        neuron = resolve_neuron(common["base_neuron"], overrides or {}, cpath)
        check_dt(common["dt"], neuron, common["dt_path"], f"{name}/{cond}")
        out[cond] = neuron
    return out


def _synaptic_response(name, exp, common, seed, path):
    duration = _duration(exp.get("duration", "200 ms"), join(path, "duration"), common["dt"])
    spikes = []
    for i, raw in enumerate(exp.get("presynaptic_spikes", [])):
        t = quantity(raw, "time", join(join(path, "presynaptic_spikes"), i))
        if not 0 <= t < duration:
            raise ConfigError(join(join(path, "presynaptic_spikes"), i),
                              f"expected a time within the simulated window [0, {duration * 1e3:g} ms), got {raw!r}")
        spikes.append(t)
    batch = {"dim": None, "size": 1, "values": None}
    return {cond: _job(name, exp, common, cond, neuron, duration, batch, presynaptic_spikes=sorted(spikes))
            for cond, neuron in _conditions(name, exp, common, path).items()}


def _initial_conditions(name, exp, common, seed, path):
    duration = _duration(exp.get("duration", "100 ms"), join(path, "duration"), common["dt"])
    trials = exp.get("trials", 3)
    batch = {"dim": "trial", "size": trials, "values": list(range(trials))}
    jobs = {}
    for cond, neuron in _conditions(name, exp, common, path).items():
        v_init = draw_spec(exp.get("V_init", {"uniform": ["-85 mV", "-75 mV"]}), trials, seed,
                           f"{name}/{cond}", join(path, "V_init"))
        jobs[cond] = _job(name, exp, common, cond, neuron, duration, batch, V_init=v_init)
    return jobs


def _fi_curve(name, exp, common, seed, path):
    if "conditions" in exp:
        raise ConfigError(join(path, "conditions"), "expected no conditions in an fi_curve experiment "
                          "(its jobs are its durations), got some")
    ipath = join(path, "I_e")
    spec = exp.get("I_e", {"start": "0 nA", "stop": "5 nA", "num": 250})
    start = quantity(spec["start"], "current", join(ipath, "start"))
    stop = quantity(spec["stop"], "current", join(ipath, "stop"))
    currents = linspace(start, stop, spec["num"])
    if spec["num"] > 1 and start == stop:
        raise ConfigError(ipath, f"expected distinct sweep values, got start = stop = {spec['start']!r}")
    neuron = _conditions(name, exp, common, path)["base"]
    batch = {"dim": "I_e", "size": len(currents), "values": currents}
    v_init = draw_spec(exp.get("V_init", {"uniform": ["-85 mV", "-75 mV"]}), len(currents), seed, name,
                       join(path, "V_init"))
    dpath = join(path, "durations")
    durations = [_duration(raw, join(dpath, i), common["dt"]) for i, raw in enumerate(exp.get("durations", ["500 ms"]))]
    if len(set(durations)) != len(durations):
        raise ConfigError(dpath, f"expected distinct durations, got {exp['durations']!r}")
    return {f"duration-{time_label(d)}": _job(name, exp, common, f"duration-{time_label(d)}", neuron, d, batch,
                                              sweep={"I_e": currents}, V_init=v_init)
            for d in sorted(durations)}


def _coupled_pair(name, exp, common, seed, path):
    duration = _duration(exp.get("duration", "50 ms"), join(path, "duration"), common["dt"])
    cpath = join(path, "coupling")
    coupling = exp.get("coupling", [[0, 1], [1, 0]])
    n = len(coupling)
    for i, row in enumerate(coupling):
        if len(row) != n:
            raise ConfigError(join(cpath, i), f"expected a square matrix: {n} entries per row, got {len(row)}")
        for j, w in enumerate(row):
            if w not in (0, 1):
                raise ConfigError(join(join(cpath, i), j), f"expected 0 or 1 (no synapse or one synapse), got {w!r}")
    batch = {"dim": "neuron", "size": n, "values": list(range(n))}
    jobs = {}
    for cond, neuron in _conditions(name, exp, common, path).items():
        v_init = draw_spec(exp.get("V_init", ["-60 mV", "-70 mV"]), n, seed, f"{name}/{cond}",
                           join(path, "V_init"))
        jobs[cond] = _job(name, exp, common, cond, neuron, duration, batch, V_init=v_init,
                          coupling=[[int(w) for w in row] for row in coupling])
    return jobs


BUILDERS = {"synaptic_response": _synaptic_response, "initial_conditions": _initial_conditions,
            "fi_curve": _fi_curve, "coupled_pair": _coupled_pair}

# The figures each kind draws: file stems after the experiment name ("" -> <experiment>.png).
FIGURES = {"synaptic_response": ["", "_test_step"], "initial_conditions": [""], "fi_curve": ["", "_error"],
           "coupled_pair": ["", "_variants", "_lag", "_isi"]}
