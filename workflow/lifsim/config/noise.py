"""The ``noise:`` of a noisy experiment: white noise ``{sigma}`` or an Ornstein-Uhlenbeck current ``{std, tau}``.

Each key may be set in ``noise:`` or swept (``noise.sigma``, ``noise.std``, ``noise.tau``: the dimensions
``sigma``, ``std``, ``tau``), not both. White and coloured noise do not mix; an OU current needs both std and
tau. No ``noise:`` and nothing swept means no noise (sigma = 0).
"""
from __future__ import annotations

from .errors import ConfigError, join
from .resolve import quantity
from .sweeps import expand

WHITE, COLOURED = ("sigma",), ("std", "tau")
EXTRA = {  # sweepable keys: (dimension, long name)
    "noise.sigma": ("voltage", "white-noise amplitude sigma (Brunel; free-membrane std sigma/sqrt(2))"),
    "noise.std": ("current", "OU current noise: stationary standard deviation"),
    "noise.tau": ("time", "OU current noise: correlation time"),
}
CHECKS = {  # key -> (dimension, accepts the value, what is expected)
    "sigma": ("voltage", lambda v: v >= 0, "a noise amplitude >= 0 mV"),
    "std": ("current", lambda v: v >= 0, "a current standard deviation >= 0 nA"),
    "tau": ("time", lambda v: v > 0, "a correlation time > 0 ms"),
}


def noise_dims(noise: dict, grid: dict) -> tuple[str, ...]:
    """The noise's dimensions in a job's dataset: ("sigma",) or ("std", "tau")."""
    return COLOURED if any(k in noise or k in grid for k in COLOURED) else WHITE


def parse_noise(exp: dict, grid: dict, path: str) -> dict:
    """The unswept noise values (SI), ``{"sigma": ...}`` or ``{"std": ..., "tau": ...}``; checked."""
    npath = join(path, "noise")
    noise = exp.get("noise") or {}
    for key in sorted(set(noise) & set(grid)):
        raise ConfigError(join(npath, key), f"expected {key} to be set in one place, got it both here and in the "
                          f"sweep ({join(join(path, 'sweep'), 'noise.' + key)}); remove one of the two")
    present = set(noise) | (set(grid) & set(WHITE + COLOURED))
    white, coloured = present & set(WHITE), present & set(COLOURED)
    if white and coloured:
        raise ConfigError(npath, "expected either sigma (white noise) or {std, tau} (an OU current), got both "
                          f"({', '.join(sorted(present))})")
    if coloured and coloured != set(COLOURED):
        missing = (set(COLOURED) - coloured).pop()
        raise ConfigError(npath, f"expected both std and tau for an OU current, got no {missing}")
    if "noise" in exp and not present:
        raise ConfigError(npath, "expected either sigma (white noise) or {std, tau} (an OU current), got neither")
    out = {}
    for key in sorted(present):
        dimension, ok, expected = CHECKS[key]
        if key in grid:
            if not all(ok(v) for v in expand(grid[key])):
                spath = join(join(path, "sweep"), "noise." + key)
                raise ConfigError(spath, f"expected {expected} throughout, got {exp['sweep']['noise.' + key]!r}")
            continue
        value = quantity(noise[key], dimension, join(npath, key))
        if not ok(value):
            raise ConfigError(join(npath, key), f"expected {expected}, got {noise[key]!r}")
        out[key] = value
    return out if present else {"sigma": 0.0}
