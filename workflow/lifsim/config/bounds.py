"""Bounds on raw config values, checked before the schema, the plan or any job sees them.

Every value a config can hold is bounded here, with the key path in the error:

- floats must be finite (YAML's ``.nan``, ``.inf``, or a literal that overflows);
- integers have at most MAX_DIGITS digits (a 401-digit ``trials`` would
  overflow a float later; a 5001-digit one exceeds Python's int-digit limit);
- text (values and keys) is at most MAX_TEXT characters long.

:mod:`lifsim.config.loader` checks integer literals before building them and
walks every document it loads; :func:`lifsim.config.load_merged` walks the
merged config again (command-line overrides included). Pure Python, no imports
beyond the error type.
"""
from __future__ import annotations

import math

from .errors import ConfigError, join, shown

MAX_DIGITS = 18          # whole numbers below 10**18: far beyond any count, seed or size lifsim uses
MAX_TEXT = 200           # characters of a text value or key (file names are made of some of them)
MAX_NODES = 100_000      # values in a config once YAML aliases are expanded
MAX_DEPTH = 32           # levels of nesting (the default config uses 6)


def check_int_text(text: str, path: str) -> None:
    """Refuse an integer literal with more than MAX_DIGITS digits, before Python builds the int."""
    digits = sum(c.isdigit() for c in text)
    if digits > MAX_DIGITS:
        raise ConfigError(path, f"expected a whole number of at most {MAX_DIGITS} digits, got a {digits}-digit "
                          f"number {shown(text)}")


def check_bounds(data, path: str = "") -> None:
    """Walk plain config data (dicts, lists, scalars) and refuse the first value out of bounds."""
    stack = [(path, data, 0)]
    while stack:
        where, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ConfigError(where, f"expected a config nested at most {MAX_DEPTH} levels deep, got deeper")
        if isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if isinstance(key, str):
                    _check_text(key, where, "a key")
                stack.append((join(where, key), item, depth + 1))
        elif isinstance(value, list):
            stack.extend((join(where, i), item, depth + 1) for i, item in reversed(list(enumerate(value))))
        else:
            _check_scalar(value, where)


def _check_scalar(value, path: str) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(path, f"expected a finite number, got {value!r}")
    if isinstance(value, int) and abs(value) >= 10 ** MAX_DIGITS:
        digits = _digit_count(abs(value))
        raise ConfigError(path, f"expected a whole number of at most {MAX_DIGITS} digits, got a "
                          f"{digits}-digit number")
    if isinstance(value, str):
        _check_text(value, path, "text")


def _check_text(text: str, path: str, what: str) -> None:
    if len(text) > MAX_TEXT:
        raise ConfigError(path, f"expected {what} of at most {MAX_TEXT} characters, got {len(text)} characters: "
                          f"{shown(text)}")


def _digit_count(n: int) -> int:
    """Decimal digits of ``n`` > 0 without converting it to text (which Python limits to 4300 digits)."""
    guess = max(1, int(n.bit_length() * math.log10(2)))
    return guess + (n >= 10 ** guess)
