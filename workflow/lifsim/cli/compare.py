"""What differs between two parameter sets and two datasets (pure functions over dicts and xarray objects)."""
from __future__ import annotations

import json
import math

PROVENANCE_PREFIXES = ("version_", "git_commit", "lifsim_version", "lifsim_params_sha256", "dataset_params_sha256")
MAX_LIST = 6


def shown(value) -> str:
    if isinstance(value, list) and len(value) > MAX_LIST:
        return f"[{', '.join(map(shown, value[:3]))}, ... {len(value)} values]"
    if isinstance(value, float):
        return f"{value:.10g}"
    return json.dumps(value) if not isinstance(value, str) else value


def by_how_much(a, b) -> str:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and a != 0:
        return f" ({100 * (b - a) / abs(a):+.3g} %)"
    return ""


def parameter_changes(a, b, path: str = "") -> list[str]:
    """One line per value that differs: ``path: A -> B (relative change)``; a key only one side has is named
    once (``path: only in A``), not every value under it."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b), key=str):
            sub = f"{path}.{key}" if path else str(key)
            if key not in b:
                out.append(f"{sub}: only in A")
            elif key not in a:
                out.append(f"{sub}: only in B")
            else:
                out += parameter_changes(a[key], b[key], sub)
        return out
    nested = isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and \
        any(isinstance(v, (dict, list)) for v in a + b)
    if nested:
        pairs = enumerate(zip(a, b, strict=True))
        return [line for i, (x, y) in pairs for line in parameter_changes(x, y, f"{path}[{i}]")]
    if a != b:
        return [f"{path}: {shown(a)} -> {shown(b)}{by_how_much(a, b)}"]
    return []


def params_of(ds) -> dict:
    try:
        return json.loads(ds.attrs.get("lifsim_params", "{}"))
    except ValueError:
        return {"lifsim_params": ds.attrs["lifsim_params"]}


def attribute_changes(a, b) -> tuple[list[str], list[str]]:
    """(science attributes that differ, provenance attributes that differ), lifsim_params excluded."""
    science, provenance = [], []
    for key in sorted(set(a.attrs) | set(b.attrs)):
        if key == "lifsim_params":
            continue
        va, vb = a.attrs.get(key, "(none)"), b.attrs.get(key, "(none)")
        if str(va) != str(vb):
            line = f"{key}: {va} -> {vb}"
            (provenance if key.startswith(PROVENANCE_PREFIXES) else science).append(line)
    return science, provenance


def variable_change(name: str, a, b, align: bool = True) -> str:
    """How variable ``name`` changed from A to B: identical, or the largest difference with its place.

    With ``align`` the two are first matched on their common coordinate values (a sweep that grew is
    compared where both have values); a coordinate itself is compared as it is (``align=False``).
    """
    import numpy as np
    import xarray as xr

    units = a.attrs.get("units", "")
    unit = f" {units}" if units and units != "1" else ""
    if a.dims != b.dims:
        return f"{name}: dimensions differ: {a.dims} -> {b.dims}"
    try:
        if align:
            a, b = xr.align(a, b, join="inner")
        elif a.shape != b.shape:
            raise ValueError
    except ValueError:
        return f"{name}: sizes differ: {dict(a.sizes)} -> {dict(b.sizes)}"
    if a.size == 0:
        return f"{name}: no common coordinate values"
    if not (np.issubdtype(a.dtype, np.number) and np.issubdtype(b.dtype, np.number)):
        same = bool((a == b).all())
        return f"{name}: {'identical' if same else 'values differ'}"
    va, vb = a.values.astype(float), b.values.astype(float)
    nan_a, nan_b = np.isnan(va), np.isnan(vb)
    delta = np.where(nan_a | nan_b, 0.0, np.abs(vb - va))
    differ = int(((delta > 0) | (nan_a != nan_b)).sum())
    if differ == 0:
        return f"{name}: identical ({a.size} values)"
    text = f"{name}: {differ} of {a.size} values differ"
    if delta.max() > 0:
        where = np.unravel_index(int(np.argmax(delta)), delta.shape)
        place = ", ".join(f"{d}={_label(a, d, i)}" for d, i in zip(a.dims, where, strict=True))
        scale = np.nanmax(np.abs(va)) if not nan_a.all() else math.nan
        rel = f", {100 * delta.max() / scale:.3g} % of max |A|" if scale and math.isfinite(scale) else ""
        text += f"; largest |B - A| = {delta.max():.4g}{unit}{rel}" + (f" at {place}" if place else "")
    if (nan_a != nan_b).any():
        text += f"; NaN in one only: {int((nan_a != nan_b).sum())}"
    return text


def _label(var, dim: str, index: int) -> str:
    if dim in var.coords:
        value = var.coords[dim].values[index]
        return f"{value:g}" if isinstance(value, float) else str(value)
    return str(index)


def dataset_changes(a, b) -> list[str]:
    """Every variable (coordinates first) that changed, and those only in one of the datasets."""
    out = []
    for group in ("coords", "data_vars"):
        names_a, names_b = set(getattr(a, group)), set(getattr(b, group))
        for name in sorted(names_a & names_b, key=str):
            if group == "coords":
                line = variable_change(str(name), a[name].variable, b[name].variable, align=False)
            else:
                line = variable_change(str(name), a[name].reset_coords(drop=True), b[name].reset_coords(drop=True))
            if "identical" not in line:
                out.append(line)
        out += [f"{n}: only in A" for n in sorted(names_a - names_b, key=str)]
        out += [f"{n}: only in B" for n in sorted(names_b - names_a, key=str)]
    return out
