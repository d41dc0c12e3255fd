"""Config loading, validation and value resolution (pure Python; imported at DAG-build time).

Turning a config into jobs is the experiment kinds' work (``lifsim.kinds``,
``lifsim.planning``); this package gives them the parts: units and checks
(``resolve``), sweeps, the job layout (``jobs``), the schema and the loader.
"""
from .errors import ConfigError
from .loader import load_yaml, load_yaml_text
from .resolve import ExperimentPlan, canonical_json, sha256
from .schema import check_keys, validate_structure


def load_merged(paths, overrides: dict | None = None) -> dict:
    """Load config files (later ones win, key by key at the top level), apply ``overrides``
    (Snakemake's ``--config``) and check the structure; raises ConfigError."""
    merged: dict = {}
    for path in paths:
        merged.update(load_yaml(path))
    merged.update(overrides or {})
    validate_structure(merged)
    return merged


__all__ = ["ConfigError", "ExperimentPlan", "canonical_json", "check_keys", "load_merged", "load_yaml",
           "load_yaml_text", "sha256", "validate_structure"]
