"""The one error type a bad config raises: it names the key path, what was expected and what was given."""
from __future__ import annotations


class ConfigError(ValueError):
    """A config value that lifsim cannot use.

    ``path`` is the dotted key path (``experiments.fi_curve.I_e.stop``), the
    message says what was expected and what was given.
    """

    def __init__(self, path: str, message: str):
        self.path = path
        self.message = message
        super().__init__(f"config error at {path or '<top level>'}: {message}")


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
