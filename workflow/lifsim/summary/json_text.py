"""The summary's JSON text, as ``json.dumps(numbers, indent=1, sort_keys=True)`` writes it, but fast for long lists.

With an indent, the standard library encodes in Python, one call per element: a dense sweep's million rates
take seconds. Here a list of numbers and nulls only (no strings, no containers) is encoded by the C encoder
in one call, without an indent but with a separator that puts its items one a line as the indented form has them; anything
else goes through the standard encoder. The text is the same, character for character (tested).
"""
from __future__ import annotations

import json

LONG = 64   # lists at least this long of numbers only take the fast way
PLACEHOLDER = "\x00lifsim-list-{}\x00"


def flat_numbers(value) -> bool:
    return (isinstance(value, list) and len(value) >= LONG
            and all(v is None or type(v) in (int, float, bool) for v in value))


def lift(value, lifted: list):
    """``value`` with each long list of numbers replaced by a placeholder string (the lists go to ``lifted``)."""
    if flat_numbers(value):
        lifted.append(value)
        return PLACEHOLDER.format(len(lifted) - 1)
    if isinstance(value, dict):
        return {k: lift(v, lifted) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [lift(v, lifted) for v in value]
    return value


def dumps(numbers) -> str:
    """``json.dumps(numbers, indent=1, sort_keys=True) + "\\n"``, the same text."""
    lifted: list = []
    text = json.dumps(lift(numbers, lifted), indent=1, sort_keys=True)
    for i, values in enumerate(lifted):
        mark = json.dumps(PLACEHOLDER.format(i))
        at = text.index(mark)
        line = text[text.rfind("\n", 0, at) + 1:at]
        indent = len(line) - len(line.lstrip(" "))   # the depth of the line that holds the list
        inner = "\n" + " " * (indent + 1)
        items = json.dumps(values, separators=("," + inner, ": "))[1:-1]   # the C encoder, one item a line
        text = text[:at] + "[" + inner + items + "\n" + " " * indent + "]" + text[at + len(mark):]
    return text + "\n"
