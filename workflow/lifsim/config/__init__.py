"""Config loading, validation and resolution (pure Python; imported at DAG-build time)."""
from .bounds import check_bounds
from .errors import ConfigError
from .experiments import FIGURES, KINDS, plan
from .loader import load_yaml, load_yaml_text
from .resolve import ExperimentPlan, canonical_json, sha256
from .schema import check_keys, validate_structure


def load(path) -> tuple[dict, dict]:
    """Load, validate and resolve a config file: ``(config, plans)``; raises ConfigError."""
    config = load_yaml(path)
    validate_structure(config)
    return config, plan(config)


def load_merged(paths, overrides: dict | None = None) -> dict:
    """Load config files (later ones win, key by key at the top level), apply ``overrides``
    (Snakemake's ``--config``) and check the structure; raises ConfigError."""
    merged: dict = {}
    for path in paths:
        merged.update(load_yaml(path))
    merged.update(overrides or {})
    check_bounds(merged)
    validate_structure(merged)
    return merged


__all__ = ["ConfigError", "FIGURES", "ExperimentPlan", "KINDS", "canonical_json", "check_keys", "load",
           "load_merged", "load_yaml", "load_yaml_text", "plan", "sha256", "validate_structure"]
