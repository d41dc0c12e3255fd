/* The forward-Euler step of lifsim's model (lifsim/model.py, as in sim/euler_numba.py), hand-written in C.
 *
 *   euler N STEPS   ->  prints "seconds spikes" for N neurons advanced STEPS steps of dt = 0.1 ms
 *
 * The batch is the one of benchmarks/kernel_throughput.py: an f-I sweep (I_e from 0 to 5 nA), every neuron
 * receiving one presynaptic spike at 10 ms, threshold, reset and refractory period, spikes counted.
 * One core; compiled by benchmarks/euler_vs_c.py with the system compiler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: euler N STEPS\n"); return 2; }
    long n = atol(argv[1]), steps = atol(argv[2]);
    const double dt = 1e-4, tau_m = 0.01, R_m = 1e7, E_m = -0.08, V_thr = -0.054, V_reset = -0.08;
    const double tau_syn = 0.01, g_star = 30e-9, E_syn = 0.0, t_ref = 0.0;
    double *restrict V = malloc(n * sizeof *V), *restrict x = malloc(n * sizeof *x);
    double *restrict g = malloc(n * sizeof *g), *restrict ref = malloc(n * sizeof *ref);
    double *restrict b0 = malloc(n * sizeof *b0);
    double *restrict count = calloc(n, sizeof *count);   /* spikes per neuron */
    const double a0 = 1.0 / tau_m, a1 = R_m / tau_m, a_s = dt / tau_syn, ref_steps = t_ref / dt;
    for (long i = 0; i < n; i++) {
        double I_e = n > 1 ? 5e-9 * i / (n - 1) : 0.0;
        V[i] = E_m; x[i] = 0.0; g[i] = 0.0; ref[i] = 0.0;
        b0[i] = (E_m + R_m * I_e) / tau_m;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long k = 0; k < steps; k++) {
        for (long i = 0; i < n; i++) {
            double v0 = V[i], gi = g[i], xi = x[i];
            double v1 = v0 + dt * (b0[i] - a0 * v0 - a1 * gi * (v0 - E_syn));
            g[i] = gi + a_s * (xi - gi);
            x[i] = xi - a_s * xi;
            double r = ref[i];
            v1 = r > 0.5 ? V_reset : v1;
            r = r > 0.5 ? r - 1.0 : r;
            V[i] = v1 >= V_thr ? V_reset : v1;
            ref[i] = v1 >= V_thr ? ref_steps : r;
            count[i] += v1 >= V_thr ? 1.0 : 0.0;
        }
        if (k + 1 == 100)                   /* the presynaptic spike at 10 ms */
            for (long i = 0; i < n; i++) x[i] += g_star;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double total = 0;
    for (long i = 0; i < n; i++) total += count[i];
    printf("%.6f %.0f\n", (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec), total);
    return 0;
}
