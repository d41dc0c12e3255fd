"""Config loading, validation and value resolution (pure Python; imported at DAG-build time).

Turning a config into jobs is the experiment kinds' work (``lifsim.kinds``,
``lifsim.planning``); this package gives them the parts: units and checks
(``resolve``), sweeps, the job layout (``jobs``), the schema and the loader.
"""
import copy

from .bounds import check_bounds
from .errors import ConfigError
from .loader import load_yaml, load_yaml_text
from .resolve import ExperimentPlan, canonical_json, sha256
from .schema import check_keys, validate_structure


def load_merged(paths, overrides: dict | None = None) -> dict:
    """Load config files and layer each on the ones before it, then apply ``overrides`` (Snakemake's
    ``--config``) the same way, and check the structure; raises ConfigError.

    Layering is Snakemake's own (``configfile:`` then each ``--configfile``): a mapping merges into the
    mapping before it key by key, recursively; any other value (a list, a string, a number) replaces it.
    So an overlay holds only what differs from ``config.yaml``.
    """
    merged: dict = {}
    for path in paths:
        merged = merge(merged, load_yaml(path))
    merged = merge(merged, dict(overrides or {}))
    check_bounds(merged)
    validate_structure(merged)
    return merged


def merge(base: dict, overlay: dict) -> dict:
    """``base`` updated by ``overlay`` recursively (as Snakemake's ``update_config``); neither is changed."""
    out = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


__all__ = ["ConfigError", "ExperimentPlan", "canonical_json", "check_keys", "load_merged", "load_yaml",
           "load_yaml_text", "merge", "sha256", "validate_structure"]
