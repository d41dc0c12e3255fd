"""Stimulus components: values, switch times, exact integrals against quadrature, config errors."""
import numpy as np
import pytest
from scipy.integrate import quad

from lifsim import stimulus
from lifsim.config.errors import ConfigError
from lifsim.stimulus_config import parse_stimulus

RUN = 0.3
RAW = [
    {"kind": "step", "amplitude": "0.5 nA", "start": "20 ms", "stop": "120 ms"},
    {"kind": "pulses", "amplitude": "1 nA", "width": "2 ms", "period": "7 ms", "start": "30 ms", "stop": "90 ms"},
    {"kind": "ramp", "from": "-0.2 nA", "to": "0.6 nA", "start": "100 ms", "stop": "250 ms"},
    {"kind": "sine", "amplitude": "0.3 nA", "frequency": "40 Hz", "phase": 0.7, "offset": "0.1 nA"},
]


def components():
    return parse_stimulus(RAW, RUN, "experiments.stim.stimulus")


def test_parse_in_si():
    c = components()
    assert c[0] == {"kind": "step", "amplitude": 0.5e-9, "start": 0.02, "stop": 0.12}
    assert c[1]["period"] == 0.007 and c[1]["width"] == 0.002
    assert c[3]["stop"] == RUN and c[3]["start"] == 0.0 and c[3]["phase"] == 0.7


def test_values():
    c = components()
    assert stimulus.value(c[:1], np.array([0.0199, 0.02, 0.1199, 0.12])) == pytest.approx([0, 0.5e-9, 0.5e-9, 0])
    pulse = stimulus.value(c[1:2], np.array([0.0305, 0.0325, 0.0375, 0.0395, 0.0865]))
    assert pulse == pytest.approx([1e-9, 0, 1e-9, 0, 1e-9])
    assert stimulus.value(c[2:3], 0.175) == pytest.approx(0.2e-9)
    t = 0.013
    assert stimulus.value(c[3:], t) == pytest.approx(0.1e-9 + 0.3e-9 * np.sin(2 * np.pi * 40 * t + 0.7))


def test_breakpoints():
    c = components()
    b = stimulus.breakpoints(c, 0.0, RUN)
    for t in [0.02, 0.12, 0.03, 0.032, 0.037, 0.039, 0.086, 0.088, 0.1, 0.25]:
        assert np.any(np.isclose(b, t, rtol=0, atol=1e-15)), t
    assert np.all(np.diff(b) > 0) and np.all((b > 0) & (b < RUN))
    assert stimulus.breakpoints(c, 0.0405, 0.0435).size == 0


@pytest.mark.parametrize("a, b", [(0.0, RUN), (0.0312, 0.0389), (0.095, 0.107), (0.2, 0.2001)])
def test_integrals_against_quadrature(a, b):
    c = components()

    def f(s):
        return float(stimulus.value(c, s))

    points = list(stimulus.breakpoints(c, a, b))
    ref = quad(f, a, b, points=points or None, limit=500, epsabs=1e-22)[0]
    assert stimulus.integral(c, a, b) == pytest.approx(ref, rel=1e-9, abs=1e-21)
    tau = 7e-3
    ref_w = quad(lambda s: np.exp(-(b - s) / tau) * f(s), a, b, points=points or None, limit=500, epsabs=1e-22)[0]
    assert stimulus.exp_weighted_integral(c, a, b, tau) == pytest.approx(ref_w, rel=1e-9, abs=1e-21)


def test_passive_step_response_is_exact():
    """V of a passive membrane under a step, stepped with the exponentially weighted integral, is the closed form."""
    tau, R, dt = 10e-3, 100e6, 1e-4
    c = [{"kind": "step", "amplitude": 0.2e-9, "start": 0.01234, "stop": 0.05}]
    V, vs = 0.0, []
    for k in range(400):
        V = V * np.exp(-dt / tau) + R / tau * stimulus.exp_weighted_integral(c, k * dt, (k + 1) * dt, tau)
        vs.append(V)
    t = dt * np.arange(1, 401)
    on = np.clip(t - 0.01234, 0, None) - np.clip(t - 0.05, 0, None)
    closed = R * 0.2e-9 * (np.exp(-np.clip(t - 0.05, 0, None) / tau) - np.exp(-np.clip(t - 0.01234, 0, None) / tau))
    closed = np.where(t > 0.01234, closed, 0.0)
    assert on[-1] > 0 and np.max(np.abs(np.array(vs) - closed)) < 1e-15


def test_per_neuron_start_and_amplitude_arrays():
    c = [{"kind": "step", "amplitude": np.array([1e-9, 2e-9, 3e-9]), "start": 0.0, "stop": 1.0}]
    a = np.array([0.1, 0.2, 0.3])
    assert stimulus.integral(c, a, 0.5) == pytest.approx([0.4e-9, 0.6e-9, 0.6e-9])


@pytest.mark.parametrize("raw, where, words", [
    ([{"kind": "step", "amplitude": "1 nA", "start": "50 ms", "stop": "20 ms"}], "[0].stop", "stop > start"),
    ([{"kind": "step", "amplitude": "1 nA", "start": "50 ms", "stop": "400 ms"}], "[0].stop", "inside the run"),
    ([{"kind": "step", "amplitude": "1 mV", "start": "0 ms", "stop": "20 ms"}], "[0].amplitude", "a current"),
    ([{"kind": "step", "amplitude": "1 nA", "start": "-1 ms", "stop": "20 ms"}], "[0].start", "start >= 0"),
    ([{"kind": "pulses", "amplitude": "1 nA", "width": "0 ms", "period": "5 ms", "start": "0 ms",
       "stop": "20 ms"}], "[0].width", "positive width"),
    ([{"kind": "pulses", "amplitude": "1 nA", "width": "1 ms", "period": "-5 ms", "start": "0 ms",
       "stop": "20 ms"}], "[0].period", "positive period"),
    ([{"kind": "pulses", "amplitude": "1 nA", "width": "6 ms", "period": "5 ms", "start": "0 ms",
       "stop": "20 ms"}], "[0].width", "width <= the period"),
    ([{"kind": "ramp", "from": "1 nA", "start": "0 ms", "stop": "20 ms"}], "[0].to", "required key 'to'"),
    ([{"kind": "sine", "amplitude": "1 nA", "frequency": "10 Hz", "phase": "1 rad"}], "[0].phase", "a number"),
    ([{"kind": "chirp"}], "[0].kind", "one of step, pulses, ramp, sine"),
    ([{"kind": "step", "amplitude": "1 nA", "start": "0 ms", "stop": "2 ms", "widht": "1 ms"}], "[0].widht",
     "unknown key"),
    ("step", "", "a list"),
])
def test_one_line_errors(raw, where, words):
    with pytest.raises(ConfigError) as err:
        parse_stimulus(raw, RUN, "experiments.stim.stimulus")
    assert err.value.path == "experiments.stim.stimulus" + where
    assert words in err.value.message and "\n" not in str(err.value)
