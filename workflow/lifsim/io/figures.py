"""Figures to files: laid out once, ticks computed once, saved atomically without dates (identical runs, identical
files) in every format asked for."""
from __future__ import annotations

from pathlib import Path

from .files import atomic_path


def freeze_layout(fig) -> None:
    """Lay a constrained-layout figure out once and keep that layout, and its ticks, for every later save.

    Constrained layout starts from the current positions, so a figure drawn twice can come out
    slightly different (seen with outside legends and log axes): freezing it at the first save
    makes every file independent of how often and in which order the figure was saved. (Done
    here rather than when the figure is made: a figure that is never saved costs no layout.)
    The layout engine runs by itself, as the first step of a draw would (the rest of that draw,
    with nothing rendered, would only be thrown away); then ``freeze_ticks``.
    """
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        if fig.axes:                 # as Figure.draw does it: only with axes, and a ValueError ignored
            try:
                engine.execute(fig)
            except ValueError:
                pass
        fig.set_layout_engine("none")
        freeze_ticks(fig)


def freeze_ticks(fig) -> None:
    """Fix every axis's ticks and labels at what its locators and formatters give for the laid-out figure.

    Each draw (and each tight box the title placement asks for) would otherwise compute them again,
    for every format, though with the layout frozen they cannot change: the tick locations depend on
    the view limits and on the axis length in points, the labels and the offset text on the locations.
    """
    from matplotlib.ticker import FixedFormatter, FixedLocator

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            major, minor = axis.get_majorticklocs(), axis.get_minorticklocs()
            major_labels = axis.get_major_formatter().format_ticks(major)
            offset = axis.get_major_formatter().get_offset()
            minor_labels = axis.get_minor_formatter().format_ticks(minor)
            axis.set_major_locator(FixedLocator(major))
            axis.set_minor_locator(FixedLocator(minor))
            fixed = FixedFormatter(major_labels)
            fixed.set_offset_string(offset)
            axis.set_major_formatter(fixed)
            axis.set_minor_formatter(FixedFormatter(minor_labels))


def save_figure(fig, path, dpi: int) -> None:
    """Save a matplotlib figure atomically, without creation dates (identical runs, identical files)."""
    freeze_layout(fig)
    path = Path(path)
    fmt = path.suffix.lstrip(".")
    metadata = {"png": {"Software": None}, "pdf": {"CreationDate": None, "ModDate": None, "Producer": None},
                "svg": {"Date": None}}.get(fmt, {})
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata)
