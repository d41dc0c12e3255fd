"""Structural checks of the config against ``workflow/schemas/config.schema.yaml``.

The JSON schema is the single description of which keys exist. Before the
schema validator runs, :func:`check_keys` walks the config along the schema
and reports an unknown key with a "did you mean" hint, which a plain
``additionalProperties: false`` failure does not give.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .errors import ConfigError, did_you_mean, join
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


def check_keys(config: dict, schema: dict | None = None, path: str = "") -> None:
    """Raise :class:`ConfigError` for the first unknown or missing key, with a hint (``path``: where
    ``config`` sits in the whole config)."""
    schema = schema or load_schema()
    _walk(schema, schema, config, path)


def _walk(schema: dict, node: dict, value, path: str) -> None:
    node = _deref(schema, node)
    if isinstance(value, dict) and ("oneOf" in node or "anyOf" in node):
        # e.g. V_init: a voltage, a list, or {uniform: [...]}: check a mapping against the mapping branch
        branches = [_deref(schema, b) for b in node.get("oneOf", node.get("anyOf"))]
        node = next((b for b in branches if b.get("type") == "object"), node)
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
            raise ConfigError(join(path, key), f"expected one of the keys {', '.join(sorted(props))}; "
                              f"got the unknown key {key!r}{did_you_mean(str(key), list(props))}")
    for key in node.get("required", []):
        if key not in value:
            raise ConfigError(join(path, key), f"expected the required key {key!r}, got nothing (it is missing)")


def validate_structure(config: dict) -> None:
    """Check keys (with hints), then the whole schema; fill the schema's defaults.

    Each experiment's own keys depend on its kind: ``lifsim.planning`` checks them
    (:func:`validate_part` with :func:`experiment_schema`).
    """
    validate_part(config, load_schema(), "")


def validate_part(value, schema: dict, path: str) -> None:
    """Validate ``value``, found at key path ``path``, against the root schema ``schema``."""
    import jsonschema

    check_keys(value, schema, path)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(value), key=lambda e: len(e.absolute_path))
    if errors:
        raise _config_error(errors[0], path)
    fill_defaults(schema, schema, value)


def experiment_schema(kinds: list[str], keys: tuple[str, ...], own: dict) -> dict:
    """A root schema for one experiment: ``kind`` one of ``kinds``, the shared keys named in ``keys``
    (from ``definitions.experiment_keys``) and the kind's ``own`` key schemas; nothing else."""
    base = load_schema()
    shared = base["definitions"]["experiment_keys"]["properties"]
    props = {"kind": {"type": "string", "enum": list(kinds)}}
    props.update({k: shared[k] for k in keys if k in shared})
    props.update(own)
    return {"definitions": base["definitions"], "type": "object", "additionalProperties": False,
            "required": ["kind"], "properties": props}


def _config_error(err, prefix: str = "") -> ConfigError:
    """One jsonschema error as a ConfigError: key path, what was expected, what was given."""
    if err.validator in ("oneOf", "anyOf") and err.context:
        # the alternative of the right shape failed deeper: report that failure, not the whole oneOf
        inner = [e for e in err.context if e.validator != "type" or len(e.absolute_path) > len(err.absolute_path)]
        if inner:
            return _config_error(max(inner, key=lambda e: len(e.absolute_path)), prefix)
    path = prefix
    for part in err.absolute_path:
        path = join(path, part)
    given = err.instance
    if "propertyNames" in err.schema_path:
        path = join(path, str(given))  # a bad name: jsonschema reports it at the enclosing mapping
    expected = _describe(err)
    description = err.schema.get("description")
    if description and (err.validator in ("oneOf", "anyOf", "pattern") or
                        err.validator == "type" and not isinstance(err.validator_value, str)):
        expected = description
    elif description and err.validator == "type":
        expected = f"{expected} ({description})"
    hint = ""
    if err.validator == "enum" and isinstance(given, str):
        hint = did_you_mean(given, [str(v) for v in err.validator_value])
    return ConfigError(path, f"expected {expected}, got {given!r}{hint}")


def _describe(err) -> str:
    kw, val = err.validator, err.validator_value
    if kw == "type":
        names = [val] if isinstance(val, str) else list(val)
        return " or ".join(_TYPE_NAMES.get(t, f"a {t}") for t in names)
    if kw == "enum":
        return "one of " + ", ".join(map(repr, val))
    phrases = {"minimum": "a number >= {}", "maximum": "a number <= {}", "exclusiveMinimum": "a number > {}",
               "minItems": "at least {} item(s)", "maxItems": "at most {} item(s)",
               "minProperties": "at least {} entry(ies)", "pattern": "text matching {}",
               "maxLength": "at most {} characters"}
    if kw in phrases:
        return phrases[kw].format(val)
    if kw == "uniqueItems":
        return "no repeated items"
    return f"a value satisfying {kw}={val!r}"


_TYPE_NAMES = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
               "array": "a list", "object": "a mapping (key: value)", "null": "nothing"}


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
