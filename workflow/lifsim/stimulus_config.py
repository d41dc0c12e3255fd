"""Parse the config's ``stimulus:`` list (strings with units) into :mod:`lifsim.stimulus` components."""
from __future__ import annotations

from .config.errors import ConfigError, join
from .config.resolve import quantity

# lifsim.stimulus.KINDS, written out so that planning (DAG-build time) does not import numpy
KINDS = ("step", "pulses", "ramp", "sine")

# kind -> {key: (dimension or None for a plain number, default)}; None default means required
FIELDS = {
    "step": {"amplitude": ("current", None), "start": ("time", None), "stop": ("time", None)},
    "pulses": {"amplitude": ("current", None), "width": ("time", None), "period": ("time", None),
               "start": ("time", None), "stop": ("time", None)},
    "ramp": {"from": ("current", None), "to": ("current", None), "start": ("time", None), "stop": ("time", None)},
    "sine": {"amplitude": ("current", None), "frequency": ("frequency", None), "phase": (None, 0.0),
             "offset": ("current", "0 nA"), "start": ("time", "0 ms"), "stop": ("time", None)},
}


def parse_stimulus(raw_list, duration: float, path: str) -> list[dict]:
    """Components in SI from the raw list; one ConfigError naming the key path for anything wrong.

    ``duration`` is the run's length (s); a sine's ``stop`` defaults to it, ``phase`` is in
    radians (a plain number).
    """
    if raw_list is None:
        return []
    if not isinstance(raw_list, list):
        raise ConfigError(path, f"expected a list of current components, got {raw_list!r}")
    return [parse_component(raw, duration, join(path, i)) for i, raw in enumerate(raw_list)]


def parse_component(raw, duration: float, path: str) -> dict:
    if not isinstance(raw, dict) or "kind" not in raw:
        raise ConfigError(path, f"expected a mapping with 'kind' (one of {', '.join(KINDS)}), got {raw!r}")
    kind = raw["kind"]
    if kind not in FIELDS:
        raise ConfigError(join(path, "kind"), f"expected one of {', '.join(KINDS)}, got {kind!r}")
    fields = FIELDS[kind]
    unknown = sorted(set(raw) - set(fields) - {"kind"})
    if unknown:
        raise ConfigError(join(path, unknown[0]), f"expected one of the keys {', '.join(fields)} of a {kind}, "
                          f"got the unknown key {unknown[0]!r}")
    out = {"kind": kind}
    for key, (dimension, default) in fields.items():
        where = join(path, key)
        text = raw.get(key, default)
        if text is None and key == "stop" and kind == "sine":
            out[key] = float(duration)
        elif text is None:
            raise ConfigError(where, f"expected the required key {key!r} of a {kind}, got nothing (it is missing)")
        elif dimension is None:
            if isinstance(text, bool) or not isinstance(text, (int, float)):
                raise ConfigError(where, f"expected a number (radians), got {text!r}")
            out[key] = float(text)
        else:
            out[key] = quantity(text, dimension, where)
    check_times(out, duration, path)
    return out


def check_times(c: dict, duration: float, path: str) -> None:
    if c["start"] < 0:
        raise ConfigError(join(path, "start"), f"expected a start >= 0 ms, got {c['start'] * 1e3:g} ms")
    if not c["start"] < c["stop"]:
        raise ConfigError(join(path, "stop"), f"expected stop > start ({c['start'] * 1e3:g} ms), "
                          f"got {c['stop'] * 1e3:g} ms")
    if c["stop"] > duration * (1 + 1e-12):
        raise ConfigError(join(path, "stop"), f"expected a stop inside the run (<= {duration * 1e3:g} ms), "
                          f"got {c['stop'] * 1e3:g} ms")
    for key in ("width", "period", "frequency"):
        if key in c and not c[key] > 0:
            raise ConfigError(join(path, key), f"expected a positive {key}, got {c[key]:g} (SI)")
    if c["kind"] == "pulses" and not c["width"] <= c["period"]:
        raise ConfigError(join(path, "width"), f"expected a width <= the period ({c['period'] * 1e3:g} ms), "
                          f"got {c['width'] * 1e3:g} ms")
