"""Safe YAML loading that refuses what PyYAML lets through silently.

- duplicate keys in a mapping (PyYAML keeps the last one) are an error naming
  the key and both lines;
- syntax errors are reported with line and column;
- only plain data is built (``yaml.SafeLoader``): no tag can run code.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import ConfigError


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # the C parser when PyYAML has it
    pass


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise ConfigError(
                str(key),
                f"duplicate key {key!r}: first at line {seen[key] + 1}, again at line "
                f"{key_node.start_mark.line + 1} (a YAML mapping keeps only one; rename or remove one)")
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml_text(text: str, source: str = "<config>") -> dict:
    """Parse YAML text into plain data, refusing duplicate keys."""
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        raise ConfigError("", f"{source} is not valid YAML ({where}): {exc.problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("", f"{source} must hold a mapping of keys, got {type(data).__name__}")
    return data


def load_yaml(path: str | Path) -> dict:
    """Load a YAML config file safely (see :func:`load_yaml_text`)."""
    path = Path(path)
    return load_yaml_text(path.read_text(encoding="utf-8"), source=str(path))
