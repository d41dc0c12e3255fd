"""``lifsim show FILE.nc``: what a dataset holds -- dimensions, coordinates, variables with units and names,
and the attributes that say where it came from."""
from __future__ import annotations

import sys

# Attributes shown by name, in this order (the software versions are summarised on one line).
KEY_ATTRS = ("experiment", "kind", "condition", "integrator", "dt_ms", "duration_ms", "seed", "reset", "runaway",
             "spike_convention", "lifsim_version", "git_commit", "lifsim_params_sha256", "dataset_params_sha256")
MAX_TEXT = 110


def add_parser(commands):
    p = commands.add_parser("show", help="what a dataset (.nc) holds, with units",
                            description="Print a NetCDF dataset's dimensions, coordinates (with their range), "
                            "variables (dims, type, units, long_name) and key attributes.")
    p.add_argument("file", metavar="FILE.nc", help="e.g. results/datasets/fi_curve.nc")
    return p


def run(args) -> int:
    from .. import io

    try:
        ds = io.read_dataset(args.file)
    except (OSError, ValueError) as exc:
        print(f"lifsim show: cannot read {args.file} as a NetCDF dataset: {exc}", file=sys.stderr)
        return 2
    print("\n".join(describe(ds, args.file)))
    return 0


def short(text, limit: int = MAX_TEXT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def span(var) -> str:
    """``first .. last (n values)`` of a 1-d coordinate, or its values if there are few."""
    values = var.values.ravel()
    if values.size == 0:
        return "(empty)"
    shown = [f"{v:g}" if isinstance(v, float) else str(v) for v in values.tolist()]
    if len(shown) <= 6:
        return ", ".join(shown)
    return f"{shown[0]} .. {shown[-1]} ({len(shown)} values)"


def variable_line(name, var, with_values: bool = False) -> str:
    units = var.attrs.get("units", "no units")
    dims = f"({', '.join(map(str, var.dims))})" if var.dims else "(scalar)"
    text = f"  {name} {dims} {var.dtype}, {units}"
    if "long_name" in var.attrs:
        text += f": {var.attrs['long_name']}"
    if "sample_dimension" in var.attrs:
        text += f" [ragged: counts along {var.attrs['sample_dimension']}]"
    if with_values or var.ndim == 0:
        text += f" = {span(var)}"
    return text


def describe(ds, source: str = "dataset") -> list[str]:
    out = [f"{source}: {ds.attrs.get('title', 'a NetCDF dataset')}",
           "dimensions: " + (", ".join(f"{d} = {n}" for d, n in ds.sizes.items()) or "none")]
    out.append("coordinates:" if ds.coords else "coordinates: none")
    out += [variable_line(name, ds.coords[name], with_values=True) for name in ds.coords]
    out.append(f"variables ({len(ds.data_vars)}):")
    out += [variable_line(name, ds[name]) for name in ds.data_vars]
    shown = [(k, ds.attrs[k]) for k in KEY_ATTRS if k in ds.attrs]
    if shown:
        out.append("attributes:")
        out += [f"  {k}: {short(v)}" for k, v in shown]
    versions = {k[len("version_"):]: v for k, v in ds.attrs.items() if k.startswith("version_")}
    if versions:
        out.append("software: " + short(", ".join(f"{k} {v}" for k, v in versions.items()), 400))
    rest = sorted(set(ds.attrs) - set(KEY_ATTRS) - {f"version_{k}" for k in versions}
                  - {"title", "lifsim_params"})
    if rest:
        out.append("other attributes: " + ", ".join(rest))
    if "lifsim_params" in ds.attrs:
        out.append("parameters: attribute lifsim_params (canonical JSON, SI units; 'lifsim diff' compares it)")
    return out
