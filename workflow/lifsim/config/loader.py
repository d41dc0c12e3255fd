"""Safe YAML loading that refuses what PyYAML lets through silently.

- only plain data is built (``yaml.SafeLoader``): a tag such as
  ``!!python/object/apply`` is refused with its key path, line and column,
  before anything is constructed, so no tag can run code;
- duplicate keys in a mapping (PyYAML keeps the last one) are an error naming
  the key path and both lines;
- a mapping key that YAML reads as something other than a string (``off:``
  is the boolean False, ``1:`` an integer) is an error with a hint to quote it;
- syntax errors are reported with line and column and the offending line;
- aliases (``*name``) are bounded before anything is built: the document
  expanded must hold at most MAX_NODES values and nest at most MAX_DEPTH deep,
  and an alias may not contain itself, so a 1 kB "alias bomb" (nine anchored
  lists of nine aliases each: 9**9 values) is refused in milliseconds;
- integers are bounded before they are built (:mod:`lifsim.config.bounds`),
  so a 5001-digit number never reaches Python's int-digit limit.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .bounds import MAX_DEPTH, MAX_NODES, check_bounds, check_int_text
from .errors import ConfigError, join

# The tags plain data may carry (everything else is refused before construction).
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq",
                                                         "merge", "timestamp")}


def load_yaml_text(text: str, source: str = "<config>") -> dict:
    """Parse YAML text into plain data (dicts, lists, strings, numbers, booleans, None)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)  # the C parser when PyYAML has it
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise ConfigError("", _syntax_message(exc, text, source)) from None
        except RecursionError:
            raise ConfigError("", f"expected YAML nested at most {MAX_DEPTH} levels deep in {source}, "
                              "got deeper nesting") from None
        if node is None:
            return {}
        _check_node(node, "", source, {}, 0)
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    check_bounds(data)
    if not isinstance(data, dict):
        raise ConfigError("", f"expected {source} to hold a mapping of keys (key: value lines), "
                          f"got a {type(data).__name__}")
    return data


def load_yaml(path: str | Path) -> dict:
    """Load a YAML config file safely (see :func:`load_yaml_text`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("", f"expected a config file at {path} (in {Path.cwd()}), got no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("", f"expected a readable UTF-8 text file at {path}, got {exc}") from None
    return load_yaml_text(text, source=str(path))


def _syntax_message(exc: yaml.MarkedYAMLError, text: str, source: str) -> str:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:  # pragma: no cover - PyYAML marks its syntax errors
        return f"expected valid YAML in {source}, got {exc.problem or exc}"
    lines = text.splitlines()

    def line(m) -> str:
        return f": {lines[m.line].strip()!r}" if m.line < len(lines) else " (the end of the file)"

    message = (f"expected valid YAML in {source}, got a syntax error at line {mark.line + 1}, column "
               f"{mark.column + 1}{line(mark)}: {exc.problem}")
    started = exc.context_mark
    if exc.context and started is not None and started.line != mark.line:
        message += (f" ({exc.context} that starts at line {started.line + 1}, column {started.column + 1}"
                    f"{line(started)})")
    elif exc.context:
        message += f" ({exc.context})"
    return message


def _where(node: yaml.Node) -> str:
    return f"line {node.start_mark.line + 1}, column {node.start_mark.column + 1}"


def _check_node(node: yaml.Node, path: str, source: str, sizes: dict, depth: int) -> int:
    """Refuse non-plain tags, non-string keys, duplicate keys, huge integers and unbounded aliases under ``node``.

    Returns the number of values ``node`` expands to. Each node is checked once
    (``sizes`` remembers it), so aliases cost nothing extra here; an alias that
    contains itself is refused instead of recursing forever.
    """
    if id(node) in sizes:
        if sizes[id(node)] is None:
            raise ConfigError(path, f"expected aliases (*name) that do not contain themselves, got one at "
                              f"{_where(node)} of {source} inside its own anchor")
        return sizes[id(node)]
    if depth > MAX_DEPTH:
        raise ConfigError(path, f"expected a config nested at most {MAX_DEPTH} levels deep, got deeper nesting "
                          f"at {_where(node)} of {source}")
    sizes[id(node)] = None   # in progress
    if node.tag not in _PLAIN_TAGS:
        raise ConfigError(path, f"expected plain YAML data (text, numbers, lists, mappings), got the tag "
                          f"{node.tag.replace('tag:yaml.org,2002:', '!!')!r} at {_where(node)} of {source}; "
                          "lifsim never constructs tagged objects (remove the tag)")
    size = 1
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:int":
        check_int_text(node.value, path)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            size += _check_node(item, join(path, i), source, sizes, depth + 1)
    elif isinstance(node, yaml.MappingNode):
        size += _check_mapping(node, path, source, sizes, depth)
    if size > MAX_NODES:
        raise ConfigError(path, f"expected at most {MAX_NODES} values in all once YAML aliases (*name) are "
                          f"expanded, got {size} here (at {_where(node)} of {source}; an alias bomb?)")
    sizes[id(node)] = size
    return size


def _check_mapping(node: yaml.MappingNode, path: str, source: str, sizes: dict, depth: int) -> int:
    size = 0
    seen: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            size += _check_node(value_node, path, source, sizes, depth + 1)
            continue
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
            raise ConfigError(join(path, str(shown)),
                              f"expected a key that is text, got {shown!r} at {_where(key_node)}, which YAML "
                              f"reads as {key_node.tag.rsplit(':', 1)[-1]}; quote it (\"{shown}\": ...)")
        key = key_node.value
        if key in seen:
            raise ConfigError(join(path, key),
                              f"expected each key once in a mapping, got {key!r} twice: at line "
                              f"{seen[key].start_mark.line + 1} and at line {key_node.start_mark.line + 1} "
                              "(YAML would keep only the last; rename or remove one)")
        seen[key] = key_node
        size += 1 + _check_node(value_node, join(path, key), source, sizes, depth + 1)
    return size
