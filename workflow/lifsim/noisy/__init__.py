"""Reference integrators for noisy input (NumPy, one neuron type, constant conductance).

The compiled kernels are checked against these. Random numbers come from
:mod:`lifsim.philox` keyed per neuron; the slots of a step are fixed here so
that every implementation draws the same numbers for the same purpose (the
Philox counter is the step number k unless said otherwise):

- ``SLOT_V``        two normals per *pair* of steps: counter k // 2; the first (cos) normal is the
                    Gaussian increment of V at the even step 2m, the second (sin) at the odd step 2m + 1
                    (one Philox call and one Box-Muller per two steps). Its 11 + 11 spare bits
                    (``lifsim.philox.spare_bits``: the first set for the even step) give each step an
                    integer s in 0 .. 2047, the top of the bridge test's uniform (below)
- ``SLOT_TEST``     two uniforms: u_low and the acceptance of the crossing time. The bridge test's
                    uniform is u_bridge = (s + u_low) / 2048, uniform in (0, 1); where the crossing
                    probability p is <= s / 2048 no crossing is possible whatever u_low is, so u_low
                    is needed in only about 1/2048 + p of the steps that come near threshold
- ``SLOT_TIME``     two normals: the first is the normal of the crossing time (drawn at spikes only)
- ``SLOT_CURRENT``  two normals: the OU current's and V's noise in the joint transition over the (free part
                    of the) step (``lifsim.noisy.ou_current``; Euler-Maruyama uses the first)
- ``SLOT_POISSON``  two uniforms: the Poisson count of the step (first one used)
- ``SLOT_POISSON + 1 + j // 2``: the offsets of the step's events j = 0, 1, ... inside the step
  (all below ``SLOT_CURRENT_SPLIT``)
- ``SLOT_CURRENT_SPLIT``  two normals: the OU current's increment up to the end of a refractory period inside
                          the step, or over a whole refractory step (first one used)
- ``SLOT_CURRENT_START``  two normals at step 0 only: the OU current's stationary start value (first one used)

The last three lie far above the Poisson slots, which grow with the number of events in a step.

A draw is a pure function of (key, counter, slot), so an implementation may draw a number only
when it can matter (the compiled kernels skip the bridge test's uniform where the crossing
probability is below s / 2048, and the crossing time's numbers without a spike): the
numbers used, hence the results, are the same.
"""
SLOT_V = 0
SLOT_TEST = 1
SLOT_CURRENT = 2
SLOT_POISSON = 3
SLOT_CURRENT_SPLIT = 1 << 30
SLOT_CURRENT_START = (1 << 30) + 1
SLOT_TIME = 0x80000000
