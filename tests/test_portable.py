"""lifsim.portable's log/exp/expm1 and lifsim.boxmuller's sincos and normals: NumPy and numba give the same bits,
and both are within a few ulp of the true values (80-bit long double as the reference where the platform has
it, else NumPy's float64 functions, themselves within an ulp)."""
import numba
import numpy as np
import pytest

from lifsim import boxmuller, portable

RNG = np.random.default_rng(11)
UNIFORMS = np.concatenate([(RNG.integers(0, 2**53, 200_000, dtype=np.uint64).astype(np.float64) + 0.5) * 2.0**-53,
                           [0.5 * 2.0**-53, 1 - 0.5 * 2.0**-53, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875]])
LONG = np.finfo(np.longdouble).nmant > 52


@numba.njit(error_model="numpy")
def apply(f, x, out):
    for i in range(x.size):
        out[i] = f(x[i])


@numba.njit(error_model="numpy")
def sincos_nb(v, cos, sin):
    for i in range(v.size):
        cos[i], sin[i] = boxmuller.sincos_2pi_scalar(v[i])


@numba.njit(error_model="numpy")
def normals_nb(u, v, a, b):
    for i in range(u.size):
        a[i], b[i] = boxmuller.normal_pair(u[i], v[i])


def ulps(x, exact):
    """|x - exact| in units of the last place of the float64 nearest to ``exact``."""
    nearest = exact.astype(np.float64)
    return (np.abs(x.astype(np.longdouble) - exact) / np.spacing(np.abs(nearest))).astype(np.float64)


def reference(name, x):
    fn = {"log": np.log, "exp": np.exp, "expm1": np.expm1}[name]
    return fn(x.astype(np.longdouble)) if LONG else fn(x)


CASES = {
    "log": (np.concatenate([np.exp(RNG.uniform(-700, 700, 100_000)), UNIFORMS, [1e-310, 5e-324]]), 1.0),
    "exp": (np.concatenate([RNG.uniform(-700, 700, 100_000), RNG.uniform(-1, 1, 100_000), [0.0, -0.34, 0.35]]), 1.0),
    "expm1": (np.concatenate([RNG.uniform(-700, 700, 100_000), RNG.uniform(-1, 1, 100_000),
                              RNG.uniform(-1e-9, 1e-9, 1000), [0.0, -0.3465, 0.3466]]), 4.0),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_elementary_functions_are_the_same_bits_in_numpy_and_numba_within_ulps(name):
    x, max_ulps = CASES[name]
    a = getattr(portable, name)(x)
    b = np.empty_like(x)
    apply(getattr(portable, f"{name}_scalar"), x, b)
    assert np.array_equal(a, b)
    with np.errstate(all="ignore"):
        exact = reference(name, x)
    normal = np.abs(exact.astype(np.float64)) > 1e-300
    assert ulps(a[normal], exact[normal]).max() <= max_ulps + (0 if LONG else 1)


def test_special_values_are_numpys():
    x = np.array([0.0, -1.0, np.inf, -np.inf, np.nan])
    with np.errstate(all="ignore"):
        assert np.array_equal(portable.log(x), np.log(x), equal_nan=True)
        assert np.array_equal(portable.exp(x), np.exp(x), equal_nan=True)
        assert np.array_equal(portable.expm1(x), np.expm1(x), equal_nan=True)
    assert portable.exp(np.array([-800.0]))[0] == 0.0 and portable.exp(np.array([800.0]))[0] == np.inf


def test_sincos_and_normals_are_the_same_bits_within_ulps():
    v = UNIFORMS[::-1].copy()
    cos, sin = boxmuller.sincos_2pi(v)
    c, s = np.empty_like(v), np.empty_like(v)
    sincos_nb(v, c, s)
    assert np.array_equal(cos, c) and np.array_equal(sin, s)
    if LONG:
        angle = 2 * np.arccos(np.longdouble(-1)) * v.astype(np.longdouble)   # 64-bit mantissa: ~1e-19
        tol = 2.0
    else:
        angle, tol = 2 * np.pi * v, 1e-15 / np.finfo(float).eps
    big = np.abs(np.cos(angle)) > 1e-3          # near the zeros count absolute error instead (below)
    assert ulps(cos[big], np.cos(angle)[big]).max() <= tol
    assert ulps(sin[np.abs(np.sin(angle)) > 1e-3], np.sin(angle)[np.abs(np.sin(angle)) > 1e-3]).max() <= tol
    assert np.abs(cos - np.cos(angle)).max() < 2e-16 and np.abs(sin - np.sin(angle)).max() < 2e-16
    z1, z2 = boxmuller.normals(UNIFORMS, v)
    a, b = np.empty_like(v), np.empty_like(v)
    normals_nb(UNIFORMS, v, a, b)
    assert np.array_equal(z1, a) and np.array_equal(z2, b)
    radius = np.sqrt(-2 * np.log(UNIFORMS))
    assert np.allclose(z1, radius * np.cos(2 * np.pi * v), rtol=0, atol=4e-15 * radius.max())
