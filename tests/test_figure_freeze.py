"""lifsim.io.save_figure lays a figure out once and fixes its ticks: the files are those of a figure laid out by a
draw and saved with its ticks computed again at every draw (what matplotlib does by itself)."""
import numpy as np
import pytest

from lifsim import io
from lifsim.plotting.style import new_figure, new_mosaic


def busy_figure():
    """Shared axes, a log axis with minor ticks, an offset text, mathtext, titles, an outside legend, a colorbar."""
    fig, axes = new_figure(6.0, 4.0, 2, 2, sharex="col")
    t = np.linspace(0, 1000, 400)
    axes[0, 0].plot(t, 1e6 + np.sin(t / 50), label=r"$V_0$ offset")
    axes[0, 0].set_title("offset text\nsecond line")
    axes[1, 0].plot(t, np.cos(t / 70), label="cos")
    axes[1, 0].set_xlabel("time (ms)")
    axes[0, 1].semilogy(t, np.exp(t / 150), label="exp")
    axes[0, 1].set_title(r"$t_{ref}$ = 2 ms")
    image = axes[1, 1].imshow(np.arange(12.0).reshape(3, 4), aspect="auto")
    fig.colorbar(image, ax=axes[1, 1], label="value")
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center")
    return fig


def mosaic_figure():
    fig, axes = new_mosaic(5.0, 3.0, [["a", "b"], ["c", "c"]])
    axes["a"].plot([1e-3, 2e-3], [5, 7])
    axes["b"].loglog([1, 1e5], [1e-2, 1e3])
    axes["c"].bar(["x", "y", "z"], [3, 1, 2])
    axes["c"].set_ylabel("count")
    return fig


def unfrozen_save(fig, path, dpi):
    """The save before ticks were fixed: a draw lays the figure out, then every draw computes its ticks."""
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    metadata = {"png": {"Software": None}, "pdf": {"CreationDate": None, "ModDate": None, "Producer": None},
                "svg": {"Date": None}}[path.suffix[1:]]
    fig.savefig(path, dpi=dpi, metadata=metadata)


@pytest.mark.parametrize("make", [busy_figure, mosaic_figure])
def test_frozen_figure_files_are_the_files_of_a_drawn_figure(tmp_path, make):
    frozen, drawn = make(), make()
    for i, fmt in enumerate(["png", "pdf", "svg", "png"]):   # every format, and one saved again
        io.save_figure(frozen, tmp_path / f"frozen{i}.{fmt}", 80)
        if i == 0:
            unfrozen_save(drawn, tmp_path / f"drawn{i}.{fmt}", 80)
        else:
            drawn.savefig(tmp_path / f"drawn{i}.{fmt}", dpi=80, metadata={
                "png": {"Software": None}, "pdf": {"CreationDate": None, "ModDate": None, "Producer": None},
                "svg": {"Date": None}}[fmt])
        assert (tmp_path / f"frozen{i}.{fmt}").read_bytes() == (tmp_path / f"drawn{i}.{fmt}").read_bytes(), fmt


def test_frozen_ticks_are_the_ticks_matplotlib_computes(tmp_path):
    fig = busy_figure()
    io.save_figure(fig, tmp_path / "a.png", 80)
    from matplotlib.ticker import FixedLocator

    fresh = busy_figure()
    fresh.draw_without_rendering()
    for ax, ref in zip(fig.axes, fresh.axes):
        for axis, ref_axis in ((ax.xaxis, ref.xaxis), (ax.yaxis, ref.yaxis)):
            assert isinstance(axis.get_major_locator(), FixedLocator)
            assert np.array_equal(axis.get_majorticklocs(), ref_axis.get_majorticklocs())
            assert [t.get_text() for t in axis.get_ticklabels()] == [t.get_text() for t in ref_axis.get_ticklabels()]
            assert axis.get_offset_text().get_text() == ref_axis.get_offset_text().get_text()
    assert any(ax.yaxis.get_offset_text().get_text() for ax in fig.axes)   # the offset case is exercised
