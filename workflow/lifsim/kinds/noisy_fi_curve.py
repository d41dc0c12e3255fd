"""Kind ``noisy_fi_curve``: f-I curves under white noise, against the Siegert rate, or under an OU current.

Noise convention (Brunel 2000): tau_m dV = (...) dt + sigma sqrt(tau_m) dW; the free membrane
potential has standard deviation sigma / sqrt(2). ``noise: {sigma: 4 mV}`` sets sigma for the
whole experiment; ``sweep: {noise.sigma: [...], I_e: {...}}`` makes it a dimension named ``sigma``.
``noise: {std: 0.3 nA, tau: 5 ms}`` is instead an Ornstein-Uhlenbeck current added to I_e (stationary
standard deviation std, correlation time tau; ``noise.std`` and ``noise.tau`` sweep; see
``lifsim.config.noise`` and ``lifsim.noisy.ou_current``).
Each point runs ``trials`` neurons from V_reset for ``burn_in + duration + isi_tail``: spikes are
counted in the window ``[burn_in, burn_in + duration)``, intervals are those that start in it
(followed into the tail). A job's params hold ``noise`` (sigma when not swept, and the seed and
stream that key every neuron's random numbers: ``lifsim.rng.neuron_keys``) and ``window``.
The analysis also reads the same grid run with the other integrator (``compare_with``).
"""
from __future__ import annotations

from ..config import jobs
from ..config.errors import ConfigError, join
from ..config.noise import COLOURED, EXTRA, WHITE, parse_noise
from ..config.resolve import quantity
from ..config.sweeps import parse_sweep
from .base import Kind

SIGMA_KEY = "noise.sigma"
DEFAULT_SWEEP = {"I_e": {"start": "2 nA", "stop": "3.2 nA", "num": 7}, SIGMA_KEY: ["0 mV", "2 mV", "4 mV", "6 mV"]}
INTEGRATORS = ("euler", "exact")
NOISE_KEYS = WHITE + COLOURED


def settings(exp: dict, common: dict, path: str) -> dict:
    """burn_in, window (the counting duration), tail and trials, checked."""
    dt = common["dt"]
    out = {}
    for key, default in (("burn_in", "200 ms"), ("isi_tail", "300 ms")):
        out[key] = quantity(exp.get(key, default), "time", join(path, key))
        if out[key] < 0:
            raise ConfigError(join(path, key), f"expected a time >= 0 ms, got {exp.get(key)!r}")
    out["duration"] = jobs.duration(exp.get("duration", "1 s"), join(path, "duration"), dt)
    out["trials"] = int(exp.get("trials", 50))
    return out


def check_integrator(name: str, neuron: dict, common: dict, path: str, where: str) -> None:
    if name not in INTEGRATORS:
        raise ConfigError(where, f"expected one of {', '.join(INTEGRATORS)}, got {name!r}")
    if name == "exact" and neuron["t_ref"] < common["dt"]:
        raise ConfigError(join(join(path, "neuron"), "t_ref"), f"expected t_ref >= dt ({common['dt'] * 1e3:g} ms) "
                          f"for the exact noise scheme (one spike per step at most), got {neuron['t_ref'] * 1e3:g} ms")


def grid_jobs(name, exp, common, seed, path, integrator: str, prefix: str) -> dict:
    coloured = any(k in (exp.get("noise") or {}) for k in COLOURED)
    default = {"I_e": DEFAULT_SWEEP["I_e"]} if coloured else DEFAULT_SWEEP
    grid = parse_sweep(exp.get("sweep", default), join(path, "sweep"), extra=EXTRA)
    values = parse_noise(exp, grid, path)
    s = settings(exp, common, path)
    neuron = jobs.conditions(name, exp, common, path, {k: v for k, v in grid.items() if k not in NOISE_KEYS})["base"]
    if not common["reset"]:
        raise ConfigError(join(path, "reset"), "expected reset: true (a firing-rate experiment), got false")
    check_integrator(integrator, neuron, common, path, join(path, "integrator"))
    total = s["burn_in"] + s["duration"] + s["isi_tail"]
    stream = f"{name}/noise"
    noise = {"seed": seed, "stream": stream, **values}
    run = {**common, "integrator": integrator, "record": []}
    return jobs.sweep_jobs(name, exp, run, path, prefix, neuron, total, s["trials"], grid, inner="trial",
                           noise=noise, window=[s["burn_in"], s["burn_in"] + s["duration"]],
                           V_init={"at": "V_reset", "seed": seed, "stream": stream})


def build(name, exp, common, seed, path):
    return grid_jobs(name, exp, common, seed, path, common["integrator"], "points")


def comparison_jobs(name, exp, common, path, built) -> dict:
    """The same grid with the other integrator (``compare_with``; none: no comparison)."""
    other = exp.get("compare_with", next(i for i in INTEGRATORS if i != common["integrator"]))
    if other == "none":
        return {}
    if other == common["integrator"]:
        raise ConfigError(join(path, "compare_with"), f"expected an integrator other than the experiment's "
                          f"({common['integrator']}) or none, got {other!r}")
    seed = next(iter(built.values()))["noise"]["seed"]
    out = grid_jobs(name, exp, common, seed, path, other, f"compare-{other}")
    return out


KIND = Kind(
    name="noisy_fi_curve",
    description="f-I curves under white noise (a sweep of noise.sigma and I_e) against the Siegert rate, or "
                "under an OU current (noise.std, noise.tau)",
    keys=("duration", "burn_in", "isi_tail", "trials", "noise", "compare_with", "sweep", "max_points_per_job",
          "record_spikes"),
    build=build,
    analysis_jobs=comparison_jobs,
    simulate="lifsim.noisy.fi_job:simulate_noisy_fi",
    gather="lifsim.noisy.fi_job:gather_noisy_fi",
    analyse="lifsim.analysis.noisy_fi:analyse_noisy_fi",
    summarise="lifsim.summary.noisy_fi:summary",
    plot="lifsim.plotting.noisy_fi:plot_noisy_fi",
    figures={"": "noisy_fi_curve.rst"},
    schema={
        "noise": {"type": "object", "additionalProperties": False,
                  "description": "either white noise {sigma}: tau_m dV = (...) dt + sigma sqrt(tau_m) dW (Brunel; "
                                 "the free membrane potential has standard deviation sigma/sqrt(2)), or an "
                                 "Ornstein-Uhlenbeck current {std, tau} added to I_e",
                  "properties": {"sigma": {"$ref": "#/definitions/quantity",
                                           "description": "the white-noise amplitude sigma (e.g. 4 mV)"},
                                 "std": {"$ref": "#/definitions/quantity",
                                         "description": "OU current: stationary standard deviation (e.g. 0.3 nA)"},
                                 "tau": {"$ref": "#/definitions/quantity",
                                         "description": "OU current: correlation time (e.g. 5 ms)"}}},
        "burn_in": {"$ref": "#/definitions/quantity", "description": "noisy_fi_curve: time before counting"},
        "isi_tail": {"$ref": "#/definitions/quantity",
                     "description": "noisy_fi_curve: run on after the window so that its last intervals end"},
        "compare_with": {"type": "string", "enum": ["euler", "exact", "none"],
                         "description": "noisy_fi_curve: the integrator the analysis compares with"},
    },
)
