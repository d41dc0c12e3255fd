"""MkDocs hook: the configuration reference, generated from the config schema at build time.

The schema is workflow/schemas/config.schema.yaml with each experiment kind's own keys (lifsim.kinds).

A page that holds the line ``<!-- lifsim:config-reference -->`` gets it replaced by tables of every key the
schema declares, with its type, default and ``description``; nothing is typed by hand, so the reference
cannot drift from the schema. ``python docs/hooks/config_reference.py`` prints the same Markdown.
"""
from __future__ import annotations

from pathlib import Path

import yaml

MARKER = "<!-- lifsim:config-reference -->"
SCHEMA = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"
TYPE_WORDS = {"string": "text", "integer": "whole number", "number": "number", "boolean": "true/false",
              "array": "list", "object": "mapping"}


def on_page_markdown(markdown: str, page, config, files) -> str:   # the MkDocs hook
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, render(load_schema()))
    return markdown


def load_schema(path: Path = SCHEMA) -> dict:
    """The whole schema: the file's, with every experiment kind's keys (lifsim.planning.full_schema)."""
    import sys

    sys.path.insert(0, str(path.parents[1]))
    from lifsim.planning import full_schema

    return full_schema() if path == SCHEMA else yaml.safe_load(path.read_text(encoding="utf-8"))


def definition(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(node: dict) -> str:
    """A short type: a link to a definition, an enum's values, or type words with limits."""
    if "$ref" in node:
        name = definition(node["$ref"])
        return f"[{name}](#{name})"
    if "allOf" in node:
        return " and ".join(type_of(part) for part in node["allOf"])
    if "oneOf" in node or "anyOf" in node:
        return " or ".join(type_of(part) for part in node.get("oneOf", node.get("anyOf")))
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    kinds = node.get("type", "")
    text = " or ".join(TYPE_WORDS.get(k, k) for k in ([kinds] if isinstance(kinds, str) else kinds)) or "any"
    if kinds == "array" and "items" in node:
        text = f"list of {type_of(node['items'])}"
    limits = [f"{word} {node[key]}" for key, word in (("minimum", "≥"), ("exclusiveMinimum", ">"),
                                                     ("maximum", "≤"), ("minItems", "at least"))
              if key in node]
    return text + (f" ({', '.join(limits)})" if limits else "")


def description(node: dict, schema: dict) -> str:
    text = node.get("description")
    if text is None and "$ref" in node:
        text = schema["definitions"][definition(node["$ref"])].get("description")
    text = " ".join(str(text or "").split())
    for char in "|[]*_<":   # Markdown would read W[i][j] as a link, _x_ as emphasis, a table cell ends at |
        text = text.replace(char, "\\" + char)
    return text


def rows(node: dict, schema: dict, prefix: str) -> list[tuple[str, dict, bool]]:
    """(key path, schema node, required) of every key under ``node``, nested mappings included.

    The entries of a mapping of names (``experiments.<name>``) are described by the mapping when their own
    schema has no description."""
    out = []
    required = set(node.get("required", []))
    for key, sub in node.get("properties", {}).items():
        path = f"{prefix}.{key}" if prefix else key
        out.append((path, sub, key in required))
        if "properties" in sub:
            out += rows(sub, schema, path)
        extra = sub.get("additionalProperties")
        if isinstance(extra, dict) and "properties" in extra:
            out.append((f"{path}.<name>", extra, False))
            out += rows(extra, schema, f"{path}.<name>")
        elif isinstance(extra, dict) and "oneOf" in extra:
            out.append((f"{path}.<parameter>", {"description": sub.get("description"), **extra}, False))
    return out


def as_yaml(value) -> str:
    """A default as it would be written in config.yaml (``false``, ``[png, pdf]``, ``0.5 ms``)."""
    text = yaml.safe_dump(value, default_flow_style=True).strip()
    return text[:-3].strip() if text.endswith("...") else text


def table(entries, schema: dict) -> list[str]:
    lines = ["| key | type | default | description |", "|---|---|---|---|"]
    for path, node, required in entries:
        default = "required" if required else (f"`{as_yaml(node['default'])}`" if "default" in node else "")
        lines.append(f"| `{path}` | {type_of(node)} | {default} | {description(node, schema)} |")
    return lines


def render(schema: dict) -> str:
    out = [description(schema, schema), "", "## Keys", ""]
    out += table(rows(schema, schema, ""), schema)
    out += ["", "## Definitions", "", "Types that several keys share.", ""]
    for name, node in schema.get("definitions", {}).items():
        out += [f"### {name}", "", description(node, schema) or "", "", f"Type: {type_of(node)}.", ""]
        entries = rows(node, schema, "")
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            out += [f"Each entry: {type_of(extra)}.", ""]
        if entries:
            out += table(entries, schema) + [""]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(render(load_schema()), end="")
