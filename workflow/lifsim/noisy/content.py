"""A job's output as ``lifsim.dataset.job_variables``-style content: written with netCDF4 alone (no xarray)."""
from __future__ import annotations


def content(coords: dict, data_vars: dict, attrs: dict, encoding: dict | None = None) -> dict:
    """``{"coords", "data_vars", "attrs"}`` from ``{name: (dims, array, attrs)}`` mappings (``encoding``:
    per variable name, e.g. the float32 trace encoding)."""
    encoding = encoding or {}

    def four(items):
        return {k: (tuple(d) if isinstance(d, (tuple, list)) else (d,), a, at, dict(encoding.get(k, {})))
                for k, (d, a, at) in items.items()}
    return {"coords": four(coords), "data_vars": four(data_vars), "attrs": dict(attrs)}
