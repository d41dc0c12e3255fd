"""The one error type a bad config raises: it names the key path, what was expected and what was given.

Messages stay one short line whatever the config holds: a value longer than
SHOWN characters is shortened (its head, its tail and its length), line breaks
are written as ``\\n``, and a message that is still long loses its middle.
"""
from __future__ import annotations

import re

SHOWN = 80            # characters of any one value (or word) a message echoes
MESSAGE = 600         # characters of a whole message
PATH = 240            # characters of a key path
_LONG_WORD = re.compile(r"\S{" + str(SHOWN + 1) + ",}")


class ConfigError(ValueError):
    """A config value that lifsim cannot use.

    ``path`` is the dotted key path (``experiments.fi_curve.I_e.stop``), the
    message says what was expected and what was given.
    """

    def __init__(self, path: str, message: str):
        self.path = shorten(_one_line(str(path)), PATH)
        self.message = shorten(_LONG_WORD.sub(lambda m: shorten(m.group()), _one_line(str(message))), MESSAGE)
        super().__init__(f"config error at {self.path or '<top level>'}: {self.message}")


def shorten(text: str, limit: int = SHOWN) -> str:
    """``text`` if at most ``limit`` characters, else its head and tail around ``…`` and its length."""
    if len(text) <= limit:
        return text
    tail = limit // 4
    return f"{text[:limit - tail - 1]}…{text[-tail:]} ({len(text)} characters)"


def shown(value, limit: int = SHOWN) -> str:
    """``repr(value)``, shortened to about ``limit`` characters (a 1 MB value is never echoed)."""
    if isinstance(value, str) and len(value) > limit:   # no repr of the whole of a huge string
        return f"{value[:limit * 3 // 4]!r}…{value[-(limit // 8):]!r} ({len(value)} characters)"
    return shorten(repr(value), limit)


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n") if "\n" in text or "\r" in text else text


def join(path: str, key) -> str:
    """Extend a dotted key path by ``key`` (list indices in brackets)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def did_you_mean(word: str, options: list[str]) -> str:
    """``"; did you mean 'tau_m'?"`` for the option closest to ``word`` in edits, or ``""`` if none is close.

    Close means at most one edit per three characters (at least one edit); of equally close
    options, the first in ``options`` wins.
    """
    best, best_distance = None, max(1, len(word) // 3) + 1
    for option in options:
        d = _edits(word.lower(), option.lower())
        if d < best_distance:
            best, best_distance = option, d
    return f"; did you mean {best!r}?" if best is not None else ""


def _edits(a: str, b: str) -> int:
    """Edit distance: insertions, deletions, substitutions and swaps of neighbours each count 1."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            d = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                d = min(d, prev2[j - 2] + 1)
            row.append(d)
        prev2, prev = prev, row
    return prev[-1]
