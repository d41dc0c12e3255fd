"""lifsim: conductance-based leaky integrate-and-fire simulations as a reproducible pipeline.

Importing the package is cheap (no numpy, xarray or matplotlib): the Snakefile
imports ``lifsim.config`` while it builds the DAG. The layers, bottom up:

- ``lifsim.units``, ``lifsim.config``: quantities with units, config loading,
  validation and resolution into one canonical parameter set per job;
- ``lifsim.sim``: the model and its integrators, vectorised over a batch;
- ``lifsim.dataset``, ``lifsim.spikes``: labelled xarray datasets;
- ``lifsim.analysis``: rates and derived numbers;
- ``lifsim.plotting``: figures;
- ``lifsim.io``: the only module that reads and writes files.
"""
from importlib import import_module

__version__ = "0.1.0"
# The API modules are imported by name when called, so that a pipeline job (which imports this package
# but never calls them) has none of them among its code inputs (lifsim.codedeps reads import statements).


def simulate(**kwargs):
    """One neuron from a notebook: ``lifsim.simulate(neuron={"I_e": "3 nA"}, duration="100 ms")`` (see
    ``lifsim.api.simulate``); returns the labelled ``xarray.Dataset`` a pipeline job writes."""
    return import_module(".api", __name__).simulate(**kwargs)


def load(*configs):
    """A config as a study: ``lifsim.load("config.yaml")["fi_curve"].run()`` (see ``lifsim.study``)."""
    return import_module(".study", __name__).load(*configs)
