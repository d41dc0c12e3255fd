"""Turn a validated config into one canonical parameter set per pipeline job.

Everything here is pure Python (no numpy) so that the Snakefile can call it
cheaply at DAG-build time. Values are converted to SI floats; a job's
parameters hold exactly what that job uses, so that Snakemake reruns a job
when, and only when, one of them changes (see :func:`canonical_json`).
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from decimal import Decimal

from .. import units
from ..params import NEURON_PARAMS, NON_NEGATIVE, POSITIVE
from .errors import ConfigError, join

# A time step must be smaller than this fraction of the smallest time constant.
MAX_DT_FRACTION = 0.1
# Refuse experiments whose recorded traces would exceed this many bytes in memory (one job, or all gathered).
GIB = 1024**3
MAX_TRACE_BYTES = 2 * GIB
# Memory per neuron besides its traces: state, per-neuron parameters and spike bookkeeping (generous).
STATE_BYTES_PER_NEURON = 32 * 8


def canonical_json(value) -> str:
    """The one spelling of a parameter set: sorted keys, no spaces, repr floats."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class ExperimentPlan:
    """What the pipeline runs for one experiment."""

    name: str
    kind: str
    jobs: dict[str, dict] = field(default_factory=dict)   # job name -> params
    # simulations only the analysis reads (not part of the experiment's dataset): job name -> params
    analysis_jobs: dict[str, dict] = field(default_factory=dict)
    analysis: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)   # printed before the run (e.g. allow_large_dt)
    figure_suffixes: list[str] = field(default_factory=list)   # file stems after the name ("" -> <name>.png)
    inputs: dict[str, list[str]] = field(default_factory=dict)  # job -> jobs whose datasets it reads
    gathered: list[str] = field(default_factory=list)   # the jobs the experiment's dataset is gathered from

    def job_files(self) -> dict[str, dict]:
        """Every simulation job by its file name below ``results/simulations/<name>/`` (without ``.nc``):
        the dataset's jobs, and the analysis-only ones under ``analysis/``."""
        return {**self.jobs, **{f"analysis/{job}": params for job, params in self.analysis_jobs.items()}}


def quantity(value, dimension: str, path: str) -> float:
    try:
        return units.parse(value, dimension)
    except units.UnitError as exc:
        raise ConfigError(path, str(exc)) from None


def resolve_neuron(layers: list[tuple[str, dict]], reset: bool) -> dict:
    """Merge the raw neuron layers (shared < experiment < condition), parse and check them.

    ``layers`` holds ``(key path of the mapping, its raw values)``; an error names
    the key path of the layer that gave the offending value.
    """
    merged, source = {}, {}
    for layer_path, values in layers:
        for name, raw in (values or {}).items():
            merged[name] = raw
            source[name] = join(layer_path, name)

    def where(name: str) -> str:
        return source.get(name, join(layers[0][0], name))

    merged.setdefault("t_ref", "0 ms")
    out: dict[str, float] = {}
    for name, (dim, _) in NEURON_PARAMS.items():
        raw = merged.get(name)
        if raw is None:
            raise ConfigError(where(name), f"expected the required key {name!r}, got nothing (it is missing)")
        if name == "V_reset" and raw == "E_m":
            continue
        try:
            out[name] = quantity(raw, dim, where(name))
        except ConfigError as exc:
            if name != "V_reset":
                raise
            raise ConfigError(exc.path, exc.message.replace("expected a voltage", "expected E_m or a voltage", 1)) \
                from None
    follows = merged["V_reset"] == "E_m"
    if follows:
        out["V_reset"] = out["E_m"]
    for name in POSITIVE:
        if not out[name] > 0:
            raise ConfigError(where(name), f"expected a positive value, got {merged[name]!r}")
    for name in NON_NEGATIVE:
        if out[name] < 0:
            raise ConfigError(where(name), f"expected a value >= 0, got {merged[name]!r}")
    if reset and not out["V_reset"] < out["V_thr"]:
        given = f"E_m = {merged['E_m']!r} (from {where('E_m')})" if follows else repr(merged["V_reset"])
        raise ConfigError(where("V_reset"), f"expected V_reset below V_thr ({merged['V_thr']!r} at "
                          f"{where('V_thr')}), got {given}")
    return dict(sorted(out.items()))


def check_dt(dt: float, neuron: dict, dt_path: str, where: str, allow_large: bool) -> str | None:
    """Refuse a dt not smaller than a tenth of the smallest time constant; with ``allow_large``, return a
    warning instead. (A dt that equals the limit up to rounding, e.g. 0.1 ms for 1 ms, counts as equal.)"""
    smallest = min(neuron["tau_m"], neuron["tau_syn"])
    # with tonic conductances the effective membrane time constant is shorter
    g_tonic = neuron["g_exc"] + neuron["g_inh"]
    smallest = min(smallest, neuron["tau_m"] / (1 + neuron["R_m"] * g_tonic))
    if dt < MAX_DT_FRACTION * smallest * (1 - 1e-12):
        return None
    limit = (f"{MAX_DT_FRACTION} x the smallest time constant ({units.to_display(smallest, 'time'):g} ms in "
             f"{where}; tau_m, tau_syn and tau_m / (1 + R_m (g_exc + g_inh)) count)")
    given = f"{units.to_display(dt, 'time'):g} ms"
    if allow_large:
        return (f"dt = {given} is not below {limit}: forward Euler is unstable or badly wrong there; "
                "running anyway because allow_large_dt is true")
    raise ConfigError(dt_path, f"expected dt < {limit}, got {given}: forward Euler is unstable or badly "
                      "wrong there. Use a smaller dt, or set allow_large_dt: true to run anyway with a warning")


def time_label(seconds: float) -> str:
    """A file-name-safe label of a duration, e.g. ``100ms``."""
    ms = Decimal(repr(seconds)).scaleb(3).normalize()
    return f"{ms:f}".replace(".", "p") + "ms"


def draw_spec(raw, n: int, seed: int, stream: str, path: str) -> dict:
    """Initial voltages: a fixed value, one value per neuron, or a seeded uniform draw."""
    if not isinstance(raw, (list, dict)):
        return {"values": [quantity(raw, "voltage", path)] * n}
    if isinstance(raw, list):
        values = [quantity(v, "voltage", join(path, i)) for i, v in enumerate(raw)]
        if len(values) != n:
            raise ConfigError(path, f"expected {n} initial voltage(s), one per neuron, got {len(values)}")
        return {"values": values}
    low, high = (quantity(v, "voltage", join(join(path, "uniform"), i)) for i, v in enumerate(raw["uniform"]))
    if not low < high:
        raise ConfigError(join(path, "uniform"), f"expected low < high, got {raw['uniform']!r}")
    return {"uniform": [low, high], "seed": seed, "stream": stream}


def linspace(start: float, stop: float, num: int) -> list[float]:
    """Like ``numpy.linspace`` (same floats), in pure Python."""
    if num == 1:
        return [start]
    step = (stop - start) / (num - 1)
    out = [start + i * step for i in range(num)]
    out[-1] = stop
    return out


def n_steps(duration: float, dt: float) -> int:
    """Time steps covering ``duration`` (as ``lifsim.sim.batch.n_steps``, without numpy)."""
    return max(1, math.ceil(duration / dt - 1e-9))


def check_memory(n: int, durations: list[float], dt: float, n_record: int, path: str) -> None:
    """Refuse an experiment whose traces would not fit in memory, before any list of its size is built.

    ``durations`` holds one entry per job (each job simulates ``n`` neurons). A job
    holds its traces as float64 (plus a little state per neuron); the gather job
    holds the whole experiment's traces as float32.
    """
    per_job = max(n * ((n_steps(d, dt) + 1) * 8 * n_record + STATE_BYTES_PER_NEURON) for d in durations)
    gathered = sum(n * (n_steps(d, dt) + 1) * 4 * n_record for d in durations)
    size = max(per_job, gathered)
    if size > MAX_TRACE_BYTES:
        steps = max(n_steps(d, dt) for d in durations) + 1
        what = "one job" if per_job >= gathered else f"the experiment's {len(durations)} jobs gathered"
        raise ConfigError(path, f"expected traces that fit in memory (at most {MAX_TRACE_BYTES / GIB:g} GiB), "
                          f"got about {size / GIB:.3g} GiB for {what}: {n} neuron(s) x {steps} time points x "
                          f"{n_record} recorded variable(s). Record fewer variables (record: [V], or record: [] "
                          "for spikes only), shorten the duration, or split the sweep into several experiments")
