"""The f-I sweep that the benchmarks time (and compare with Brian2) is the model they say it is."""
import math
import sys
from pathlib import Path

import numpy as np

from lifsim.sim.batch import from_params
from lifsim.sim.euler import run_euler

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from kernel_throughput import batch_params  # noqa: E402


def test_benchmark_batch_holds_the_sweep_and_the_presynaptic_spike():
    b = from_params(batch_params(5, 1.0))
    assert b.n_steps == 10000 and b.dt == 1e-4
    np.testing.assert_array_equal(b.p["I_e"], np.linspace(0.0, 5e-9, 5))
    np.testing.assert_array_equal(b.ext_time, np.full(5, 0.01))
    np.testing.assert_array_equal(np.sort(b.ext_target), np.arange(5))


def test_benchmark_sweep_fires_at_the_euler_interval_once_the_synapse_has_decayed():
    r = run_euler(from_params(batch_params(2, 0.3)))  # I_e = 0 and 5 nA
    times = r.spike_time[r.spike_neuron == 1]
    assert not (r.spike_neuron == 0).any()
    # Euler from V_reset towards E_m + R_m I_e = -30 mV: V_k = E + (V_reset - E) (1 - dt/tau_m)^k reaches
    # V_thr = -54 mV after ceil(ln(24/50) / ln(0.99)) = 74 steps; by 200 ms g_syn is below 1e-6 of its peak.
    steps = math.ceil(math.log(24 / 50) / math.log(1 - 0.01))
    late = np.diff(times[times > 0.2])
    np.testing.assert_allclose(late, steps * 1e-4, rtol=0, atol=1e-9)
    assert late.size >= 10
