"""Reference integrators for noisy input (NumPy, one neuron type, constant conductance).

The compiled kernels are checked against these. Random numbers come from
:mod:`lifsim.philox` keyed per neuron; the slots of a step are fixed here so
that every implementation draws the same numbers for the same purpose:

- ``SLOT_V``        two normals: the Gaussian increment of V, the normal of the crossing time
- ``SLOT_TEST``     two uniforms: the bridge test, the acceptance of the crossing time
- ``SLOT_CURRENT``  two normals: the OU current's and V's noise in the joint transition over the (free part
                    of the) step (``lifsim.noisy.ou_current``; Euler-Maruyama uses the first)
- ``SLOT_POISSON``  two uniforms: the Poisson count of the step (first one used)
- ``SLOT_POISSON + 1 + j // 2``: the offsets of the step's events j = 0, 1, ... inside the step
- ``SLOT_CURRENT_SPLIT``  two normals: the OU current's increment up to the end of a refractory period inside
                          the step, or over a whole refractory step (first one used)
- ``SLOT_CURRENT_START``  two normals at step 0 only: the OU current's stationary start value (first one used)

The last two lie far above the Poisson slots, which grow with the number of events in a step.
"""
SLOT_V = 0
SLOT_TEST = 1
SLOT_CURRENT = 2
SLOT_POISSON = 3
SLOT_CURRENT_SPLIT = 1 << 30
SLOT_CURRENT_START = (1 << 30) + 1
