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

# A time step must be at most this fraction of the smallest time constant.
MAX_DT_FRACTION = 0.1
# Refuse jobs whose recorded traces would exceed this many bytes in memory.
MAX_TRACE_BYTES = 2 * 1024**3


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


def quantity(value, dimension: str, path: str) -> float:
    try:
        return units.parse(value, dimension)
    except units.UnitError as exc:
        raise ConfigError(path, str(exc)) from None


def resolve_neuron(base: dict, overrides: dict, path: str) -> dict:
    """Merge ``overrides`` (raw config text) onto ``base`` (raw), parse and check."""
    merged = {**base, **overrides}
    out: dict[str, float] = {}
    for name, (dim, _) in NEURON_PARAMS.items():
        raw = merged.get(name, "0 ms" if name == "t_ref" else None)
        where = join(path if name in overrides else "neuron", name)
        if name == "V_reset" and raw == "E_m":
            continue
        if raw is None:
            raise ConfigError(where, f"required key {name!r} is missing")
        out[name] = quantity(raw, dim, where)
    if merged.get("V_reset") == "E_m":
        out["V_reset"] = out["E_m"]
    for name in POSITIVE:
        if not out[name] > 0:
            raise ConfigError(_where(name, overrides, path), f"expected a positive value, got {merged[name]!r}")
    for name in NON_NEGATIVE:
        if out[name] < 0:
            raise ConfigError(_where(name, overrides, path), f"expected a value >= 0, got {merged[name]!r}")
    if not out["V_reset"] < out["V_thr"]:
        raise ConfigError(_where("V_reset", overrides, path),
                          f"expected V_reset below V_thr ({merged['V_thr']!r}), got {merged['V_reset']!r}")
    return dict(sorted(out.items()))


def _where(name: str, overrides: dict, path: str) -> str:
    return join(path if name in overrides else "neuron", name)


def check_dt(dt: float, neuron: dict, dt_path: str, where: str) -> None:
    smallest = min(neuron["tau_m"], neuron["tau_syn"])
    # with tonic conductances the effective membrane time constant is shorter
    g_tonic = neuron["g_exc"] + neuron["g_inh"]
    smallest = min(smallest, neuron["tau_m"] / (1 + neuron["R_m"] * g_tonic))
    if dt > MAX_DT_FRACTION * smallest * (1 + 1e-12):
        raise ConfigError(dt_path, f"expected dt <= {MAX_DT_FRACTION} x the smallest time constant "
                          f"({units.to_display(smallest, 'time'):g} ms in {where}), got "
                          f"{units.to_display(dt, 'time'):g} ms: forward Euler is unstable or badly wrong there")


def time_label(seconds: float) -> str:
    """A file-name-safe label of a duration, e.g. ``100ms``."""
    ms = Decimal(repr(seconds)).scaleb(3).normalize()
    return f"{ms:f}".replace(".", "p") + "ms"


def draw_spec(raw, n: int, seed: int, stream: str, path: str) -> dict:
    """Initial voltages: a fixed value, one value per neuron, or a seeded uniform draw."""
    if isinstance(raw, str):
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


def check_memory(params: dict, path: str) -> None:
    n_steps = math.ceil(params["duration"] / params["dt"] - 1e-9) + 1
    size = params["batch"]["size"] * n_steps * 8 * len(params["record"])
    if size > MAX_TRACE_BYTES:
        raise ConfigError(path, f"the recorded traces would need about {size / 1024**3:.1f} GiB of memory "
                          f"(limit {MAX_TRACE_BYTES / 1024**3:.0f} GiB); record fewer variables "
                          "(record: [...]), shorten the duration or split the sweep")
