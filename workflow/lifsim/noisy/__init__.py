"""Reference integrators for noisy input (NumPy, one neuron type, constant conductance).

The compiled kernels are checked against these. Random numbers come from
:mod:`lifsim.philox` keyed per neuron; the slots of a step are fixed here so
that every implementation draws the same numbers for the same purpose:

- ``SLOT_V``        two normals: the Gaussian increment of V, the normal of the crossing time
- ``SLOT_TEST``     two uniforms: the bridge test, the acceptance of the crossing time
- ``SLOT_CURRENT``  two normals: the OU current's increment (first one used)
- ``SLOT_POISSON``  two uniforms: the Poisson count of the step (first one used)
- ``SLOT_POISSON + 1 + j // 2``: the offsets of the step's events j = 0, 1, ... inside the step
"""
SLOT_V = 0
SLOT_TEST = 1
SLOT_CURRENT = 2
SLOT_POISSON = 3
