"""Kind ``convergence``: errors of each integrator against dt.

The experiment has three cases, each described like the experiment of the same
kind (and resolved by that kind's builder from the registry, so the same checks apply):

``fi_curve``           the ISI rate of a constant-current sweep against the analytical rate
``synaptic_response``  the voltage trace after presynaptic spikes against the reference
``coupled_pair``       the spike times of a coupled pair (one job per condition) against the reference

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
}


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
        case_common = {**common, "dt": dts[0], "dt_path": join(path, "dts"), "reset": reset, "record": record,
                       "neuron_layers": common["neuron_layers"] + [(join(cpath, "neuron"), spec.get("neuron", {}))]}
        if case == "fi_curve":
            spec["durations"] = [spec.pop("duration")]
            spec["sweep"] = {"I_e": spec.pop("I_e")}
        templates = get(case).build(name, spec, case_common, seed, cpath)
        for label, template in sorted(templates.items()):
            key = f"{case}-{label}" if case == "coupled_pair" else case
            base = {"experiment": name, "kind": "convergence", "case": key, "measure": measure,
                    "condition": label}
            # the template's dt is the finest (the code runs every dt of the list; memory is checked on it)
            if measure != "rate":
                jobs[f"reference/{key}"] = {**base, "integrator": "reference", "rtol": REFERENCE_RTOL,
                                            "atol": REFERENCE_ATOL,
                                            "job": {**template, "integrator": "reference", "dt": dts[-1]}}
            for integrator in integrators:
                jobs[f"{integrator}/{key}"] = {**base, "integrator": integrator, "dts": dts,
                                               "job": {**template, "integrator": integrator, "dt": dts[-1]}}
    return jobs


def reference_of(job_name: str) -> str | None:
    """The reference job a measurement job compares with (None for the analytical f-I rate)."""
    integrator, case = job_name.split("/", 1)
    return None if case == "fi_curve" or integrator == "reference" else f"reference/{case}"


def inputs_of(job_name: str) -> list[str]:
    """The jobs whose datasets a convergence job reads: its reference, if it has one."""
    ref = reference_of(job_name)
    return [ref] if ref else []


def measurements(jobs: dict) -> list[str]:
    """The jobs the experiment's dataset gathers: the measurements, not the references."""
    return [job for job in sorted(jobs) if not job.startswith("reference/")]


KIND = Kind(
    name="convergence",
    description="error of each integrator against dt: f-I rate, synaptic trace, coupled-pair spike times",
    keys=("integrators", "dts", "fi_curve", "synaptic_response", "coupled_pair"),
    build=build_convergence,
    job_inputs=inputs_of,
    gathered=measurements,
    simulate="lifsim.convergence:run_job",
    gather="lifsim.convergence_gather:gather_experiment",
    analyse="lifsim.analysis.convergence:analyse_convergence",
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
    },
)
