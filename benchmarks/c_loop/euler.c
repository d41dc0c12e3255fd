/* The forward-Euler step of lifsim's model (lifsim/model.py, as in sim/euler_numba.py), hand-written in C.
 *
 *   euler N STEPS   ->  prints "cpu_seconds spikes isi_sum" for N neurons advanced STEPS steps of dt = 0.1 ms
 *
 * The batch is the one of benchmarks/kernel_throughput.py: an f-I sweep (I_e from 0 to 5 nA), every neuron
 * receiving one presynaptic spike at 10 ms, threshold, reset and refractory period. The same state and the
 * same outputs as lifsim's kernel without stored spike times: per neuron V, x, g and the step its refractory
 * period ends; spike count, first and last spike, sum and sum of squares of the inter-spike intervals, runaway
 * onset; a non-finite V stops the run. Written the way that kernel is, which here is also the fastest C of
 * those tried: a branch-free loop the compiler vectorises (restrict pointers, selects) that flags the neurons
 * which crossed threshold, then a pass over the flags, eight at a time, for the bookkeeping. Parameters that
 * all neurons share are constants, as lifsim passes them when a sweep varies the drive alone.
 * One core; compiled by benchmarks/euler_vs_c.py with the system compiler; time is CPU time of the loop.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: euler N STEPS\n"); return 2; }
    long n = atol(argv[1]), steps = atol(argv[2]), words = (n + 7) / 8;
    const double dt = 1e-4, tau_m = 0.01, R_m = 1e7, E_m = -0.08, V_thr = -0.054, V_reset = -0.08;
    const double tau_syn = 0.01, g_star = 30e-9, E_syn = 0.0, t_ref = 0.0;
    const double a0 = 1.0 / tau_m, a1 = R_m / tau_m, a_s = dt / tau_syn, ref_steps = t_ref / dt;
    double *restrict V = malloc(n * sizeof *V), *restrict x = malloc(n * sizeof *x);
    double *restrict g = malloc(n * sizeof *g), *restrict ref = malloc(n * sizeof *ref);
    double *restrict b0 = malloc(n * sizeof *b0);
    double *restrict first = malloc(n * sizeof *first), *restrict last = malloc(n * sizeof *last);
    double *restrict isi_sum = calloc(n, sizeof *isi_sum), *restrict isi_sq = calloc(n, sizeof *isi_sq);
    double *restrict runaway = malloc(n * sizeof *runaway);
    long *restrict count = calloc(n, sizeof *count);
    uint8_t *restrict flag = calloc(words * 8, 1);
    for (long i = 0; i < n; i++) {
        double I_e = n > 1 ? 5e-9 * i / (n - 1) : 0.0;
        V[i] = E_m; x[i] = 0.0; g[i] = 0.0; ref[i] = -1.0;
        first[i] = NAN; last[i] = -INFINITY; runaway[i] = NAN;
        b0[i] = (E_m + R_m * I_e) / tau_m;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    for (long k = 0; k < steps; k++) {
        const double kf = (double)k, t = (k + 1) * dt;
        for (long i = 0; i < n; i++) {
            double v0 = V[i], gi = g[i], xi = x[i];
            double v1 = v0 + dt * (b0[i] - a0 * v0 - a1 * gi * (v0 - E_syn));
            v1 = ref[i] > kf ? v0 : v1;          /* held: V stays at V_reset */
            g[i] = gi + a_s * (xi - gi);
            x[i] = xi - a_s * xi;
            V[i] = v1;
            flag[i] = !((v1 < V_thr) & (v1 > -INFINITY));
        }
        for (long w = 0; w < words; w++) {
            uint64_t word;
            memcpy(&word, flag + 8 * w, 8);
            if (!word) continue;
            for (long i = 8 * w; i < 8 * w + 8 && i < n; i++) {
                if (!flag[i]) continue;
                if (!isfinite(V[i])) { fprintf(stderr, "non-finite V at step %ld\n", k + 1); return 1; }
                V[i] = V_reset;
                ref[i] = k + 1 + ref_steps;
                if (count[i] > 0) {
                    double isi = t - last[i];
                    isi_sum[i] += isi;
                    isi_sq[i] += isi * isi;
                    if (isi < 1.5 * dt && isnan(runaway[i])) runaway[i] = t;
                } else {
                    first[i] = t;
                }
                last[i] = t;
                count[i]++;
            }
        }
        if (k + 1 == 100)                       /* the presynaptic spike at 10 ms */
            for (long i = 0; i < n; i++) x[i] += g_star;
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    long total = 0;
    double sum = 0.0;
    for (long i = 0; i < n; i++) { total += count[i]; sum += isi_sum[i]; }
    printf("%.6f %ld %.17g\n", (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec), total, sum);
    return 0;
}
