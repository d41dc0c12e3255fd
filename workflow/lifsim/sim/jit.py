"""Numba as the compiled kernels use it: cached, GIL-free, IEEE arithmetic, and constants that all
neurons share passed as numbers. Numba itself comes from :mod:`lifsim.numba_start` (512-bit vectors
where the host has AVX-512; started without SciPy's BLAS probe).
"""
from __future__ import annotations

import numpy as np

from ..numba_start import intrinsic, numba, overload, prange, start_without_scipy, types  # noqa: F401  (prange: re-exported)

start_without_scipy()

OPTIONS = {"cache": True, "nogil": True, "error_model": "numpy"}


def njit(fn=None, **options):
    """``numba.njit`` with :data:`OPTIONS` (options given here override them)."""
    return numba.njit(fn, **{**OPTIONS, **options}) if fn is not None else numba.njit(**{**OPTIONS, **options})


def at(a, i):
    """``a[i]`` for an array, ``a`` for a number (compiled code only): a constant that all neurons of a batch
    share is passed as a number, which the compiled loop keeps in a register instead of loading per neuron."""
    raise NotImplementedError("compiled code only")


def part(a, lo, hi):
    """``a[lo:hi]`` for an array, ``a`` for a number (compiled code only)."""
    raise NotImplementedError("compiled code only")


@overload(at, inline="always")
def _at(a, i):
    if isinstance(a, types.Array):
        return lambda a, i: a[i]
    return lambda a, i: a


@overload(part, inline="always")
def _part(a, lo, hi):
    if isinstance(a, types.Array):
        return lambda a, lo, hi: a[lo:hi]
    return lambda a, lo, hi: a


def shared_or_each(rows, each: tuple = ()) -> tuple:
    """Rows of per-neuron constants as arguments for a compiled loop: when every row but those named in
    ``each`` is the same for all neurons (a sweep of the drive alone, such as an f-I curve), those rows as
    numbers, else every row as an array. So each loop is compiled twice at most."""
    shared = all(bool(np.all(row == row[0])) for name, row in rows.items() if name not in each)
    return tuple(float(row[0]) if shared and name not in each else row for name, row in rows.items())


@intrinsic
def borrow(typingctx, a):
    """The same array without its reference count (compiled code only; a number is returned as it is).

    Numba counts a reference to every array argument of a call it does not inline, and to every view, with
    two atomic operations each: for a loop called per time step or per spike with a dozen arrays, that costs
    more than the arithmetic (half the time of the Euler kernel). Arrays borrowed once before the loop make
    those counts no-ops. The caller keeps the original arrays alive while the borrowed ones are used."""
    if isinstance(a, types.Array):
        def codegen(context, builder, signature, args):
            from numba.np.arrayobj import populate_array

            src = context.make_array(a)(context, builder, value=args[0])
            out = context.make_array(a)(context, builder)
            populate_array(out, data=src.data, shape=src.shape, strides=src.strides, itemsize=src.itemsize,
                           meminfo=None)
            return out._getvalue()
    else:
        def codegen(context, builder, signature, args):
            return args[0]
    return a(a), codegen


@intrinsic
def fma(typingctx, a, b, c):
    """a b + c rounded once, the fused multiply-add (compiled code only; vectorised like any arithmetic).

    Written out where a kernel wants it instead of letting the compiler fuse (``fastmath="contract"``): in
    a sum of two products the compiler may fuse either, and its choice can change with whether a constant
    is a number or an array (``shared_or_each``), which would change a neuron's last bit with its batch."""
    if not all(isinstance(t, types.Float) for t in (a, b, c)):
        return None

    def codegen(context, builder, signature, args):
        return builder.fma(*(context.cast(builder, v, t, types.float64) for v, t in zip(args, signature.args)))

    return types.float64(a, b, c), codegen
