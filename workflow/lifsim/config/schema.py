"""Structural checks of the config against ``workflow/schemas/config.schema.yaml``.

The JSON schema is the single description of which keys exist. Before the
schema validator runs, :func:`check_keys` walks the config along the schema
and reports an unknown key with a "did you mean" hint, which a plain
``additionalProperties: false`` failure does not give.
"""
from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

from .errors import ConfigError, join
from .loader import load_yaml

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "config.schema.yaml"


@lru_cache(maxsize=1)
def load_schema() -> dict:
    return load_yaml(SCHEMA_PATH)


def _deref(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["definitions"][node["$ref"].rsplit("/", 1)[1]]
    if "allOf" in node:
        merged = {k: v for k, v in node.items() if k != "allOf"}
        for part in node["allOf"]:
            merged = {**_deref(schema, part), **merged}
        return merged
    return node


def check_keys(config: dict, schema: dict | None = None) -> None:
    """Raise :class:`ConfigError` for the first unknown or missing key, with a hint."""
    schema = schema or load_schema()
    _walk(schema, schema, config, "")


def _walk(schema: dict, node: dict, value, path: str) -> None:
    node = _deref(schema, node)
    if not isinstance(value, dict) or node.get("type") != "object" and "properties" not in node:
        return
    props = node.get("properties", {})
    extra = node.get("additionalProperties", True)
    for key, sub in value.items():
        if key in props:
            _walk(schema, props[key], sub, join(path, key))
        elif isinstance(extra, dict):
            _walk(schema, extra, sub, join(path, key))
        elif extra is False:
            hint = difflib.get_close_matches(str(key), list(props), n=1, cutoff=0.6)
            did_you_mean = f"; did you mean {hint[0]!r}?" if hint else ""
            raise ConfigError(join(path, key), f"unknown key {key!r}{did_you_mean} "
                              f"(expected one of: {', '.join(sorted(props))})")
    for key in node.get("required", []):
        if key not in value:
            raise ConfigError(join(path, key), f"required key {key!r} is missing")


def validate_structure(config: dict) -> None:
    """Check keys (with hints), then the whole schema; fill the schema's defaults."""
    import jsonschema

    schema = load_schema()
    check_keys(config, schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: len(e.absolute_path))
    if errors:
        err = errors[0]
        path = ""
        for part in err.absolute_path:
            path = join(path, part)
        given = err.instance
        expected = err.schema.get("description") or _describe(err)
        raise ConfigError(path, f"expected {expected}, got {given!r} ({err.message})")
    fill_defaults(schema, schema, config)


def _describe(err) -> str:
    kw, val = err.validator, err.validator_value
    return {"type": f"a value of type {val}", "enum": f"one of {val}",
            "minimum": f"a number >= {val}", "minItems": f"at least {val} item(s)",
            "minProperties": f"at least {val} entry(ies)", "uniqueItems": "no repeated items",
            "maxItems": f"at most {val} item(s)"}.get(kw, f"a value satisfying {kw}={val!r}")


def fill_defaults(schema: dict, node: dict, value) -> None:
    """Insert the schema's ``default`` values for missing keys (nested)."""
    node = _deref(schema, node)
    if not isinstance(value, dict):
        return
    for key, sub in node.get("properties", {}).items():
        sub = _deref(schema, sub)
        if key not in value and "default" in sub:
            value[key] = _copy(sub["default"])
        if key in value:
            fill_defaults(schema, sub, value[key])


def _copy(value):
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
