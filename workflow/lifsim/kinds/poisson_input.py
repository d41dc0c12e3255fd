"""Kind ``poisson_input``: Poisson presynaptic trains onto the neuron's synapse (conductance shot noise).

``poisson_input: {rate: 800 Hz, g_star: 1 nS}``: every neuron receives an independent Poisson train at
``rate``; each event makes x jump by ``g_star`` (the neuron's synapse: tau_syn, E_syn). The rate is
sweepable (``sweep: {poisson_input.rate: [...]}``, dimension ``rate``). Events come from the keyed
streams of ``lifsim.noisy.poisson`` (seed, stream, point values, trial): independent of the job split.
Each point runs ``trials`` neurons for ``burn_in + duration``; statistics are taken after the burn-in.
"""
from __future__ import annotations

from ..config import jobs
from ..config.errors import ConfigError, join
from ..config.resolve import quantity
from ..config.sweeps import parse_sweep
from .base import Kind

RATE_KEY = "poisson_input.rate"
EXTRA = {RATE_KEY: ("frequency", "rate of the presynaptic Poisson train")}
SYNAPSE = ("g_star", "tau_syn", "E_syn")


def build(name, exp, common, seed, path):
    if common["integrator"] != "exact":
        raise ConfigError(join(path, "integrator"), f"expected exact (Poisson events at their own times), got "
                          f"{common['integrator']!r}")
    ppath = join(path, "poisson_input")
    raw = exp.get("poisson_input", {})
    grid = parse_sweep(exp["sweep"], join(path, "sweep"), extra=EXTRA) if "sweep" in exp else {}
    if "rate" in grid and "rate" in raw:
        raise ConfigError(join(ppath, "rate"), f"expected rate to be set in one place, got it both here and in "
                          f"the sweep ({join(join(path, 'sweep'), RATE_KEY)}); remove one of the two")
    poisson = {}
    if "rate" not in grid:
        poisson["rate"] = quantity(raw.get("rate", "800 Hz"), "frequency", join(ppath, "rate"))
    rates = [poisson["rate"]] if "rate" not in grid else list(_values(grid["rate"]))
    if min(rates) < 0:
        raise ConfigError(join(ppath, "rate"), f"expected a rate >= 0 Hz, got {min(rates):g} Hz")
    g_star = quantity(raw.get("g_star", "1 nS"), "conductance", join(ppath, "g_star"))
    if g_star < 0:
        raise ConfigError(join(ppath, "g_star"), f"expected a conductance >= 0 nS, got {raw.get('g_star')!r}")
    burn_in = quantity(exp.get("burn_in", "100 ms"), "time", join(path, "burn_in"))
    duration = jobs.duration(exp.get("duration", "1 s"), join(path, "duration"), common["dt"])
    if burn_in < 0:
        raise ConfigError(join(path, "burn_in"), f"expected a time >= 0 ms, got {exp.get('burn_in')!r}")
    neuron = jobs.conditions(name, exp, common, path, {k: v for k, v in grid.items() if k != "rate"})["base"]
    if common["reset"] and neuron["t_ref"] < common["dt"]:
        raise ConfigError(join(join(path, "neuron"), "t_ref"), f"expected t_ref >= dt ({common['dt'] * 1e3:g} ms) "
                          f"for the exact scheme, got {neuron['t_ref'] * 1e3:g} ms")
    if not grid:
        grid = {"rate": {"values": [poisson.pop("rate")]}}
    trials = int(exp.get("trials", 20))
    stream = f"{name}/poisson"
    run = {**common, "record": ["V", "g_syn"]}
    out = jobs.sweep_jobs(name, exp, run, path, "points", neuron, burn_in + duration, trials, grid, inner="trial",
                          poisson={"seed": seed, "stream": stream, "g_star": g_star, **poisson},
                          burn_in=burn_in, V_init={"at": "E_m", "seed": seed, "stream": stream})
    for job in out.values():   # the synapse is used, although no fixed presynaptic spike is listed
        job["neuron"].update({k: neuron[k] for k in SYNAPSE if k in neuron}, g_star=g_star)
    return out


def _values(spec):
    from ..config.sweeps import expand

    return expand(spec)


KIND = Kind(
    name="poisson_input",
    description="Poisson presynaptic trains onto the synapse: g against Campbell's theorem, output against input rate",
    keys=("duration", "burn_in", "trials", "poisson_input", "sweep", "max_points_per_job", "record_spikes"),
    build=build,
    simulate="lifsim.noisy.poisson_job:simulate_poisson",
    gather="lifsim.noisy.poisson_job:gather_poisson",
    analyse="lifsim.analysis.poisson_input:analyse_poisson",
    summarise="lifsim.summary.poisson_input:summary",
    plot="lifsim.plotting.poisson_input:plot_poisson",
    figures={"": "poisson_input.rst"},
    schema={"poisson_input": {
        "type": "object", "additionalProperties": False,
        "description": "poisson_input: the presynaptic Poisson train of every neuron",
        "properties": {"rate": {"$ref": "#/definitions/quantity", "description": "event rate (e.g. 800 Hz)"},
                       "g_star": {"$ref": "#/definitions/quantity", "description": "jump of x per event (e.g. 1 nS)"}}},
        "burn_in": {"$ref": "#/definitions/quantity", "description": "time before the statistics are taken"}},
)
