"""The HTML report of the tiny run: every figure inside, captions that quote the measured numbers, the config
and the software; figures that are byte-identical when drawn again."""
import base64
import json
import time

import pytest
from conftest import snakemake
from shared_runs import copy_run

from lifsim import io
from lifsim.plotting import figures

pytestmark = pytest.mark.pipeline

EXPERIMENTS = {"coupled_pair": "coupled_pair", "fi_curve": "fi_curve", "initial_conditions": "initial_conditions",
               "synaptic_response": "synaptic_response", "synchrony_map": "pair_grid", "convergence": "convergence",
               "noisy_fi_curve": "noisy_fi_curve", "poisson_input": "poisson_input",
               "stimulus_response": "stimulus_response"}
# a sentence of each experiment's summary that carries measured numbers
QUOTES = {"synaptic_response": "PSP peaks", "initial_conditions": "Lag behind trial 0", "fi_curve": "Rheobase",
          "coupled_pair": "Long runs"}


@pytest.fixture(scope="session")
def report(tiny_run, tmp_path_factory):
    """The report of a copy of the tiny run (the shared run stays as it is)."""
    folder = copy_run(tiny_run, tmp_path_factory.mktemp("report") / "run")
    start = time.perf_counter()
    proc = snakemake(folder, "--report", "results/report.html")
    seconds = time.perf_counter() - start
    path = folder / "results" / "report.html"
    print(f"report: {seconds:.1f} s, {path.stat().st_size / 1e6:.2f} MB")
    return path.read_text(encoding="utf-8"), proc.stdout + proc.stderr


def test_report_holds_every_figure(report, tiny_run):
    html, log = report
    from conftest import tiny_config

    from lifsim.config import validate_structure
    from lifsim.planning import plan

    cfg = tiny_config()
    validate_structure(cfg)
    expected = sorted(f"{e}{suffix}.png" for e, p in plan(cfg).items() for suffix in p.figure_suffixes)
    made = sorted(p.name for p in (tiny_run / "results" / "figures").glob("*.png"))
    assert made == expected
    for name in made:
        data = base64.b64encode((tiny_run / "results" / "figures" / name).read_bytes()).decode()
        assert data in html, f"{name} is not embedded in the report"
    # docutils reports broken caption markup as system messages; there must be none
    assert "(ERROR/" not in log and "(WARNING/" not in log and "(SEVERE/" not in log, log[-3000:]


def test_captions_quote_numbers_config_and_software(report, tiny_run):
    html, _ = report
    for experiment, quote in QUOTES.items():
        assert quote in html, experiment
        numbers = json.loads((tiny_run / "results" / "summaries" / f"{experiment}.json").read_text())
        assert numbers["software"]["snakemake"] in html
        assert numbers["params"]
    syn = json.loads((tiny_run / "results" / "summaries" / "synaptic_response.json").read_text())
    r_in = syn["measured"]["input_resistance"]["shunting"]
    assert f"R_in {r_in:.3f} MOhm" in html
    assert "runaway_isi" in html and "lock_tolerance" in html           # the analysis options and the config
    assert '<script src="http' not in html and "<link href=\"http" not in html   # self-contained


def test_summaries_hold_the_analysis_numbers(tiny_run):
    an = io.read_dataset(tiny_run / "results" / "analysis" / "synaptic_response.nc")
    syn = json.loads((tiny_run / "results" / "summaries" / "synaptic_response.json").read_text())
    for name in ("psp_amplitude", "input_resistance", "tau_eff", "rest_potential"):
        for cond, value in syn["measured"][name].items():
            assert value == float(an[name].sel(condition=cond))
    assert syn["measured"]["psp_ratio"]["excitatory/inhibitory"] == pytest.approx(-4.0, rel=1e-4)
    pair = json.loads((tiny_run / "results" / "summaries" / "coupled_pair.json").read_text())
    assert pair["measured"]["strong_coupling"]["state"] == "runaway"
    assert pair["measured"]["base_t_ref_2ms"]["state"] == "locked"


# every kind draws through lifsim.plotting.style (its rcParams), so a figure does not depend on which figures
# the process drew before it (the noise kinds once used matplotlib's defaults, and differed after another plot)
@pytest.mark.parametrize("experiment", sorted(EXPERIMENTS))
def test_figures_are_byte_identical_when_drawn_again(tiny_run, tmp_path, experiment):
    results = tiny_run / "results"
    ds = io.read_dataset(results / "datasets" / f"{experiment}.nc")
    an = io.read_dataset(results / "analysis" / f"{experiment}.nc")
    options = {"dpi": 40, "width": 5.0, "formats": ["png"]}            # the tiny config's figure options
    for stem, fig in figures(EXPERIMENTS[experiment], ds, an, options).items():
        again = tmp_path / f"{experiment}{stem}.png"
        io.save_figure(fig, again, options["dpi"])
        assert again.read_bytes() == (results / "figures" / again.name).read_bytes(), again.name
        pdf = [tmp_path / f"{experiment}{stem}.{i}.pdf" for i in (1, 2)]
        for path in pdf:
            io.save_figure(fig, path, options["dpi"])
        assert pdf[0].read_bytes() == pdf[1].read_bytes()
        assert b"/CreationDate" not in pdf[0].read_bytes()
