"""Counter-based streams: Philox4x32-10 known answers, the compiled twin, independence of the batch."""
import numpy as np
import pytest

from lifsim import philox, philox_block
from lifsim.rng import keys_from_points, neuron_keys

# Random123 tests/kat_vectors, the three "philox4x32 10" lines: counter[4] key[2] -> result[4]
KAT = [
    ([0, 0, 0, 0], [0, 0], [0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8]),
    ([0xFFFFFFFF] * 4, [0xFFFFFFFF] * 2, [0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD]),
    ([0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344], [0xA4093822, 0x299F31D0],
     [0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1]),
]


@pytest.mark.parametrize("counter, key, expected", KAT)
def test_known_answers(counter, key, expected):
    out = philox.philox4x32(*(np.uint64(c) for c in counter), *(np.uint64(k) for k in key))
    assert [int(w) for w in out] == expected


def keys(n=500, seed=7):
    return neuron_keys(seed, "experiment/condition", keys_from_points([np.linspace(0, 1e-9, n)]))


def test_compiled_twin_is_bit_identical():
    k = keys()
    steps = np.arange(2**32 - 3, 2**32 + 5, dtype=np.uint64)   # crosses the counter's word boundary
    u, v = philox.uniforms(k, steps[:, None], 1)
    a, b = philox_block.block(k, int(steps[0]), steps.size, 1, False)
    assert np.array_equal(u, a) and np.array_equal(v, b)
    z1, z2 = philox.normals(k, steps[:, None], 0)
    n1, n2 = philox_block.block(k, int(steps[0]), steps.size, 0, True)
    # Box-Muller's log and sincos are lifsim.portable's / lifsim.boxmuller's arithmetic on both sides
    assert np.array_equal(z1, n1) and np.array_equal(z2, n2)
    s1, s2 = philox.spare_bits(k, steps[:, None], 0)
    a, b = philox_block.block(k, int(steps[0]), steps.size, 0, False, spare=True)
    assert np.array_equal(s1.astype(np.float64), a) and np.array_equal(s2.astype(np.float64), b)


def test_draws_do_not_depend_on_batch_or_block():
    k = keys(1000)
    a, b = philox_block.block(k, 100, 50, 0, True)
    alone = philox_block.block(k[123:124], 100, 50, 0, True)
    assert np.array_equal(a[:, 123], alone[0][:, 0]) and np.array_equal(b[:, 123], alone[1][:, 0])
    later = philox_block.block(k, 130, 20, 0, True)          # another block split of the same steps
    assert np.array_equal(a[30:], later[0])


def test_slots_steps_and_neurons_differ():
    k = keys(2)
    base = philox_block.block(k, 0, 1, 0, False)[0]
    assert not np.array_equal(base, philox_block.block(k, 0, 1, 1, False)[0])
    assert not np.array_equal(base, philox_block.block(k, 1, 1, 0, False)[0])
    assert base[0, 0] != base[0, 1]
    assert not np.array_equal(neuron_keys(7, "a", [1, 2]), neuron_keys(8, "a", [1, 2]))
    assert not np.array_equal(neuron_keys(7, "a", [1, 2]), neuron_keys(7, "b", [1, 2]))


def test_distributions():
    k = keys(2000)
    u, v = philox_block.block(k, 0, 100, 3, False)
    z1, z2 = philox_block.block(k, 0, 100, 0, True)
    n = u.size                                    # 2e5 draws each: tolerances are 5 standard errors
    assert 0 < u.min() and u.max() < 1
    assert abs(u.mean() - 0.5) < 5 * np.sqrt(1 / 12 / n) and abs(v.mean() - 0.5) < 5 * np.sqrt(1 / 12 / n)
    for z in (z1, z2):
        assert abs(z.mean()) < 5 / np.sqrt(n)
        assert abs(z.var() - 1) < 5 * np.sqrt(2 / n)
        assert abs(np.mean(z**4) - 3) < 5 * np.sqrt(96 / n)
    assert abs(np.corrcoef(z1.ravel(), z2.ravel())[0, 1]) < 5 / np.sqrt(n)
    # the spare bits (the top of the bridge test's uniform): uniform on 0 .. 2047, independent of the normals
    s, _ = philox_block.block(k, 0, 100, 0, False, spare=True)
    assert s.min() == 0 and s.max() == 2047 and np.all(s == np.floor(s))
    assert abs(s.mean() - 1023.5) < 5 * np.sqrt((2048**2 - 1) / 12 / n)
    assert abs(np.corrcoef(s.ravel(), z1.ravel())[0, 1]) < 5 / np.sqrt(n)
    # neighbouring steps and neurons are uncorrelated
    assert abs(np.corrcoef(z1[1:].ravel(), z1[:-1].ravel())[0, 1]) < 5 / np.sqrt(n)
    assert abs(np.corrcoef(z1[:, 1:].ravel(), z1[:, :-1].ravel())[0, 1]) < 5 / np.sqrt(n)
