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
