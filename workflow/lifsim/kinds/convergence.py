"""Kind ``convergence``: errors of each integrator against dt.

The experiment has four cases, each described like the experiment of the same
kind (and resolved by that kind's builder from the registry, so the same checks apply):

``fi_curve``           the ISI rate of a constant-current sweep against the analytical rate
``synaptic_response``  the voltage trace after presynaptic spikes against the reference
``coupled_pair``       the spike times of a coupled pair (one job per condition) against the reference
``noisy_fi_curve``     the ISI rate under white noise (one current, a list of sigma) against the Siegert
                       rate, with its standard error; at its own ``dts`` (some of the experiment's: the
                       statistics, not rounding, limit how small an error it can resolve)

Jobs (names are paths below ``results/simulations/<experiment>/``):

``reference/<case>``     the independent reference (``lifsim.reference``) at the finest dt
``<integrator>/<case>``  the integrator at every dt, compared with the reference or the analytical rate

Each job's params hold ``job``, a simulation job template (see
``lifsim.config.jobs``) whose ``dt`` the convergence code replaces. The
measurement of a case reads its reference job's dataset; the experiment's
dataset gathers the measurements only.
"""
from __future__ import annotations

from ..config.errors import ConfigError, join
from ..config.resolve import quantity
from .base import Kind
from .noisy_fi_curve import SIGMA_KEY

# Tolerances of the reference solve (mV and nS for atol; see lifsim.reference).
REFERENCE_RTOL = 1e-10
REFERENCE_ATOL = 1e-12
DEFAULT_DTS = ["0.4 ms", "0.2 ms", "0.1 ms", "0.05 ms", "0.025 ms", "0.0125 ms"]
CASES = {  # case -> (measure, defaults, reset, record)
    "fi_curve": ("rate", {"duration": "500 ms", "I_e": {"start": "2.626 nA", "stop": "5 nA", "num": 12},
                          "V_init": "-80 mV"}, True, []),
    "synaptic_response": ("trace", {"duration": "100 ms", "presynaptic_spikes": ["10 ms"]}, False, ["V"]),
    "coupled_pair": ("spike_time", {"duration": "500 ms", "V_init": ["-60 mV", "-70 mV"],
                                    "conditions": {"base": {}}}, True, []),
    "noisy_fi_curve": ("noise_rate", {"I_e": "2.4 nA", "sigma": ["4 mV", "6 mV"], "trials": 800,
                                      "duration": "250 ms", "isi_tail": "150 ms", "neuron": {"t_ref": "2 ms"}},
                       True, []),
}
ANALYTICAL = ("fi_curve", "noisy_fi_curve")   # cases measured against a closed form (no reference job)
NOISE_CASE_DTS = 3   # the noise case's default dts: the experiment's coarsest three


def time_steps(exp: dict, path: str) -> list[float]:
    """The experiment's dt values (s), largest first; each an integer multiple of the smallest."""
    dpath = join(path, "dts")
    raw = exp.get("dts", DEFAULT_DTS)
    dts = [quantity(v, "time", join(dpath, i)) for i, v in enumerate(raw)]
    for i, dt in enumerate(dts):
        if not dt > 0:
            raise ConfigError(join(dpath, i), f"expected a positive time step, got {raw[i]!r}")
    if len(set(dts)) != len(dts):
        raise ConfigError(dpath, f"expected distinct time steps, got {raw!r}")
    finest = min(dts)
    for i, dt in enumerate(dts):
        if abs(dt / finest - round(dt / finest)) > 1e-9:
            raise ConfigError(join(dpath, i), f"expected an integer multiple of the smallest time step "
                              f"({finest * 1e3:g} ms) so that every grid lies on the reference grid, got {raw[i]!r}")
    return sorted(dts, reverse=True)


def noise_case_steps(spec: dict, dts: list[float], path: str) -> list[float]:
    """The noise case's dt values (s), largest first: some of the experiment's (default: its coarsest three)."""
    if "dts" not in spec:
        return dts[:NOISE_CASE_DTS]
    dpath = join(path, "dts")
    own = [quantity(v, "time", join(dpath, i)) for i, v in enumerate(spec["dts"])]
    for i, dt in enumerate(own):
        if not any(abs(dt - d) <= 1e-9 * d for d in dts):
            raise ConfigError(join(dpath, i), f"expected one of the experiment's dts "
                              f"({', '.join(f'{d * 1e3:g} ms' for d in dts)}), got {spec['dts'][i]!r}")
    if len(set(own)) != len(own) or len(own) < 2:
        raise ConfigError(dpath, f"expected at least two distinct time steps, got {spec['dts']!r}")
    return sorted((next(d for d in dts if abs(dt - d) <= 1e-9 * d) for dt in own), reverse=True)


def noise_case_spec(spec: dict, path: str) -> dict:
    """The noise case as a ``noisy_fi_curve`` experiment: a sweep of sigma at one current, intervals
    from t = 0 (the process renews at every spike, so no burn-in is needed)."""
    for i, raw in enumerate(spec["sigma"]):
        if quantity(raw, "voltage", join(join(path, "sigma"), i)) <= 0:
            raise ConfigError(join(join(path, "sigma"), i), f"expected a noise amplitude > 0 mV, got {raw!r}")
    quantity(spec["I_e"], "current", join(path, "I_e"))
    out = {k: v for k, v in spec.items() if k not in ("dts", "sigma", "I_e")}
    return {**out, "burn_in": "0 ms", "sweep": {"I_e": [spec["I_e"]], SIGMA_KEY: list(spec["sigma"])},
            "max_points_per_job": len(spec["sigma"]), "record_spikes": False}


def build_convergence(name, exp, common, seed, path) -> dict[str, dict]:
    from . import get  # the other kinds' builders resolve each case

    dts = time_steps(exp, path)
    integrators = exp.get("integrators", ["euler", "exact"])
    if len(set(integrators)) != len(integrators):
        raise ConfigError(join(path, "integrators"), f"expected distinct integrators, got {integrators!r}")
    jobs = {}
    for case, (measure, defaults, reset, record) in CASES.items():
        spec = {**defaults, **exp.get(case, {}), "kind": case}
        cpath = join(path, case)
        case_dts = noise_case_steps(spec, dts, cpath) if measure == "noise_rate" else dts
        case_common = {**common, "dt": case_dts[0], "dt_path": join(path, "dts"), "reset": reset, "record": record,
                       "neuron_layers": common["neuron_layers"] + [(join(cpath, "neuron"), spec.get("neuron", {}))]}
        if case == "fi_curve":
            spec["durations"] = [spec.pop("duration")]
            spec["sweep"] = {"I_e": spec.pop("I_e")}
        if measure == "noise_rate":   # the noisy kind checks t_ref >= dt for exact
            spec = noise_case_spec(spec, cpath)
            case_common["integrator"] = "exact" if "exact" in integrators else integrators[0]
        templates = get(case).build(name, spec, case_common, seed, cpath)
        for label, template in sorted(templates.items()):
            key = f"{case}-{label}" if case == "coupled_pair" else case
            base = {"experiment": name, "kind": "convergence", "case": key, "measure": measure,
                    "condition": label}
            # the template's dt is the finest (the code runs every dt of the list; memory is checked on it)
            if case not in ANALYTICAL:
                jobs[f"reference/{key}"] = {**base, "integrator": "reference", "rtol": REFERENCE_RTOL,
                                            "atol": REFERENCE_ATOL,
                                            "job": {**template, "integrator": "reference", "dt": dts[-1]}}
            for integrator in integrators:
                jobs[f"{integrator}/{key}"] = {**base, "integrator": integrator, "dts": case_dts,
                                               "job": {**template, "integrator": integrator, "dt": case_dts[-1]}}
    return jobs


def reference_of(job_name: str) -> str | None:
    """The reference job a measurement job compares with (None for the analytical and the Siegert rate)."""
    integrator, case = job_name.split("/", 1)
    return None if case in ANALYTICAL or integrator == "reference" else f"reference/{case}"


def inputs_of(job_name: str) -> list[str]:
    """The jobs whose datasets a convergence job reads: its reference, if it has one."""
    ref = reference_of(job_name)
    return [ref] if ref else []


def measurements(jobs: dict) -> list[str]:
    """The jobs the experiment's dataset gathers: the measurements, not the references."""
    return [job for job in sorted(jobs) if not job.startswith("reference/")]


KIND = Kind(
    name="convergence",
    description="error of each integrator against dt: f-I rate, synaptic trace, coupled-pair spike times, "
                "noisy f-I rate against Siegert",
    keys=("integrators", "dts", "fi_curve", "synaptic_response", "coupled_pair", "noisy_fi_curve"),
    build=build_convergence,
    job_inputs=inputs_of,
    gathered=measurements,
    simulate="lifsim.convergence:run_job",
    gather="lifsim.convergence_gather:gather_experiment",
    analyse="lifsim.analysis.convergence:analyse_convergence",
    summarise="lifsim.summary.convergence:summary",
    plot="lifsim.plotting.convergence:plot_convergence",
    figures={"": ""},
    schema={
        "integrators": {"type": "array", "items": {"type": "string", "enum": ["euler", "exact"]}, "minItems": 1,
                        "uniqueItems": True, "description": "the integrators compared"},
        "dts": {"$ref": "#/definitions/quantity_list", "minItems": 2,
                "description": "the time steps, each an integer multiple of the smallest"},
        "fi_curve": {"$ref": "#/definitions/convergence_fi_curve", "description": "convergence: the f-I case"},
        "synaptic_response": {"$ref": "#/definitions/convergence_synaptic_response",
                              "description": "convergence: the synaptic case"},
        "coupled_pair": {"$ref": "#/definitions/convergence_coupled_pair",
                         "description": "convergence: the coupled-pair case"},
        "noisy_fi_curve": {"$ref": "#/definitions/convergence_noisy_fi_curve",
                           "description": "convergence: the white-noise f-I case (against the Siegert rate)"},
    },
)
