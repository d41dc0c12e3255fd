"""The model and its integrators, vectorised over a batch of neurons."""
from .batch import Batch, from_params
from .result import Result, SimulationError
from .run import simulate

__all__ = ["Batch", "Result", "SimulationError", "from_params", "simulate"]
