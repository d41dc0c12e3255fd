"""Per-kind construction of simulation jobs from an experiment's config.

Each builder returns ``{job name: params}``; the params of every job share one
layout (see ``lifsim.sim.run.simulate``):

``batch``      the labelled dimension of the job's neurons: ``{"dim", "size", "values"}``
``grid``       swept parameters of a sweep job, ``{name: dimension spec}`` (see ``sweeps.py``; may be empty)
``neuron``     the shared model parameters (SI floats)
``V_init``     fixed values or a seeded uniform draw
``presynaptic_spikes``  times (s) at which x of every neuron jumps by g_star
``coupling``   ``W[i][j] = 1``: a spike of neuron j drives neuron i (or ``None``)
"""
from __future__ import annotations

from .convergence import build_convergence
from .errors import ConfigError, join
from .resolve import (ExperimentPlan, check_dt, check_memory, draw_spec, quantity,
                      resolve_neuron, time_label)

KINDS = ("synaptic_response", "initial_conditions", "fi_curve", "coupled_pair", "pair_grid", "convergence")
DEFAULT_RECORD = ["V", "I_m", "I_syn", "g_syn", "x"]

# The keys each kind reads, besides those every kind reads: a key the kind would
# ignore (``coupling`` in an fi_curve) is refused rather than silently dropped.
COMMON_KEYS = ("kind", "integrator", "dt", "allow_large_dt", "reset", "record", "neuron")
KIND_KEYS = {
    "synaptic_response": ("duration", "presynaptic_spikes", "conditions", "test_step"),
    "initial_conditions": ("duration", "trials", "V_init", "conditions"),
    "fi_curve": ("durations", "sweep", "V_init", "max_points_per_job", "record_spikes"),
    "coupled_pair": ("duration", "V_init", "coupling", "conditions", "analysis_duration"),
    "pair_grid": ("duration", "sweep", "V_init", "coupling", "conditions", "max_points_per_job", "record_spikes"),
    "convergence": ("integrators", "dts", "fi_curve", "synaptic_response", "coupled_pair"),
}


def plan(config: dict) -> dict[str, ExperimentPlan]:
    """Resolve a structurally valid config into the plans of all experiments."""
    from .analysis_jobs import ANALYSIS_JOB_BUILDERS, check_kind_only_keys, no_jobs

    seed = int(config["seed"])  # the schema admits 7.0 as an integer; one spelling, one job identity
    analysis = _analysis_options(config.get("analysis", {}))
    figures = _figure_options(config.get("figures", {}))
    plans = {}
    for name, exp in sorted(config["experiments"].items()):
        path = join("experiments", name)
        _check_kind_keys(exp, path)
        check_kind_only_keys(exp, path)
        common = _common(config, exp, path)
        jobs = BUILDERS[exp["kind"]](name, exp, common, seed, path)
        analysis_jobs = ANALYSIS_JOB_BUILDERS.get(exp["kind"], no_jobs)(name, exp, common, path, jobs)
        reads = ANALYSIS_OPTIONS.get(exp["kind"], tuple(analysis))  # a kind not listed gets every option
        used = {k: v for k, v in analysis.items() if k in reads}
        plans[name] = ExperimentPlan(name=name, kind=exp["kind"], jobs=jobs, analysis_jobs=analysis_jobs,
                                     analysis=used, figures=figures, warnings=common["warnings"])
    return plans


# The analysis options each kind's analysis reads (the others cannot trigger its rerun).
ANALYSIS_OPTIONS = {"synaptic_response": (), "initial_conditions": (), "fi_curve": (),
                    "coupled_pair": ("lock_tolerance", "runaway_isi"), "pair_grid": (), "convergence": ()}


def _check_kind_keys(exp: dict, path: str) -> None:
    used = COMMON_KEYS + KIND_KEYS[exp["kind"]]
    for key in exp:
        if key not in used:
            raise ConfigError(join(path, key), f"expected only keys that an experiment of kind {exp['kind']!r} "
                              f"uses ({', '.join(sorted(used))}), got {key!r}, which it would ignore")


def _analysis_options(raw: dict) -> dict:
    return {"lock_tolerance": quantity(raw.get("lock_tolerance", "0.5 ms"), "time", "analysis.lock_tolerance"),
            "runaway_isi": quantity(raw.get("runaway_isi", "1 ms"), "time", "analysis.runaway_isi")}


def _figure_options(raw: dict) -> dict:
    """What the plotting code reads, one spelling per value (the formats are in the output file names)."""
    return {"dpi": int(raw.get("dpi", 150)), "width": float(raw.get("width", 7.0))}


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
        "neuron_layers": [("neuron", config["neuron"]), (join(path, "neuron"), exp.get("neuron", {}))],
        "allow_large_dt": exp.get("allow_large_dt", config.get("allow_large_dt", False)),
        "warnings": [],
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
        "batch": batch, "grid": {}, "V_init": {"values": [neuron["E_m"]] * batch["size"]},
        "presynaptic_spikes": [], "coupling": None, "record_spikes": True,
    }
    params.update(extra)
    params["neuron"] = _used(params)
    return params


SYNAPTIC = ("g_star", "tau_syn", "E_syn")
RESET = ("V_thr", "V_reset", "t_ref")


def _used(params: dict) -> dict:
    """Only the neuron parameters this job uses, so that others cannot trigger a rerun."""
    unused = set(params["grid"])
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
        neuron = resolve_neuron(common["neuron_layers"] + [(cpath, overrides)], common["reset"])
        warning = check_dt(common["dt"], neuron, common["dt_path"], f"{name}/{cond}", common["allow_large_dt"])
        if warning:
            common["warnings"].append(f"{common['dt_path']}: {warning}")
        out[cond] = neuron
    return out


def _guard_memory(n: int, durations: list[float], n_jobs: int, common: dict, path: str) -> None:
    """Refuse before building the experiment's lists if its traces would not fit in memory."""
    per_job = [d for d in durations for _ in range(n_jobs)]
    check_memory(n, per_job, common["dt"], len(common["record"]), path)


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
    conditions = _conditions(name, exp, common, path)
    _guard_memory(1, [duration], len(conditions), common, path)
    return {cond: _job(name, exp, common, cond, neuron, duration, batch, presynaptic_spikes=sorted(spikes))
            for cond, neuron in conditions.items()}


def _initial_conditions(name, exp, common, seed, path):
    duration = _duration(exp.get("duration", "100 ms"), join(path, "duration"), common["dt"])
    trials = int(exp.get("trials", 3))
    conditions = _conditions(name, exp, common, path)
    _guard_memory(trials, [duration], len(conditions), common, path)
    batch = {"dim": "trial", "size": trials, "values": list(range(trials))}
    jobs = {}
    for cond, neuron in conditions.items():
        v_init = draw_spec(exp.get("V_init", {"uniform": ["-85 mV", "-75 mV"]}), trials, seed,
                           f"{name}/{cond}", join(path, "V_init"))
        jobs[cond] = _job(name, exp, common, cond, neuron, duration, batch, V_init=v_init)
    return jobs


def _coupling(exp, cpath):
    coupling = exp.get("coupling", [[0, 1], [1, 0]])
    n = len(coupling)
    for i, row in enumerate(coupling):
        if len(row) != n:
            raise ConfigError(join(cpath, i), f"expected a square matrix: {n} entries per row, got {len(row)}")
        for j, w in enumerate(row):
            if w not in (0, 1):
                raise ConfigError(join(join(cpath, i), j), f"expected 0 or 1 (no synapse or one synapse), got {w!r}")
    return [[int(w) for w in row] for row in coupling]


def _coupled_pair(name, exp, common, seed, path):
    duration = _duration(exp.get("duration", "50 ms"), join(path, "duration"), common["dt"])
    coupling = _coupling(exp, join(path, "coupling"))
    n = len(coupling)
    conditions = _conditions(name, exp, common, path)
    _guard_memory(n, [duration], len(conditions), common, path)
    batch = {"dim": "neuron", "size": n, "values": list(range(n))}
    jobs = {}
    for cond, neuron in conditions.items():
        v_init = draw_spec(exp.get("V_init", ["-60 mV", "-70 mV"]), n, seed, f"{name}/{cond}",
                           join(path, "V_init"))
        jobs[cond] = _job(name, exp, common, cond, neuron, duration, batch, V_init=v_init, coupling=coupling)
    return jobs


from .sweep_kinds import _fi_curve, _pair_grid  # noqa: E402 - they build on the helpers above

BUILDERS = {"synaptic_response": _synaptic_response, "initial_conditions": _initial_conditions,
            "fi_curve": _fi_curve, "coupled_pair": _coupled_pair, "pair_grid": _pair_grid,
            "convergence": build_convergence}

# The figures each kind draws: file stems after the experiment name ("" -> <experiment>.png).
FIGURES = {"synaptic_response": ["", "_test_step"], "initial_conditions": [""], "fi_curve": ["", "_error"],
           "coupled_pair": ["", "_variants", "_lag", "_isi"], "pair_grid": [""], "convergence": [""]}
