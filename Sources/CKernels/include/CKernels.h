// Vector kernels with AVX2 when the processor has it (checked once, at run time) and plain code
// otherwise, giving the same numbers either way: Philox4x32-10 blocks in bulk (philox.c; integer
// arithmetic), and the projection's loops over a batch's draws (projection.c; each element's
// floating-point operations as written, in the same order, never fused).
#ifndef HNB_CKERNELS_H
#define HNB_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Block i (i < n) under the key (k0, k1) of the counter (c0, c1, c2[i], c3[i]): its four words
/// at out[4i], ..., out[4i + 3].
void hnb_philox4x32_blocks(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, const uint32_t *c2,
                           const uint32_t *c3, size_t n, uint32_t *out);

/// Block i (i < n) of the counter (c0, c1, c2, c3 + i), the last word wrapping: at out[4i], ...
void hnb_philox4x32_run(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3,
                        size_t n, uint32_t *out);

/// The implementation every kernel here uses on this processor: 2 for AVX2, 0 for plain code.
int hnb_simd_level(void);

/// Sets the implementation (2 AVX2, only when the processor has it; 0 plain), for tests that
/// compare the two; returns the level in use afterwards.
int hnb_simd_set_level(int level);

/// total[b] += rows[n * d + b] for n = 0, 1, ..., count - 1 in turn (b < d).
void hnb_sum_rows(double *total, const double *rows, size_t count, size_t d);

/// One move of a draw's own matrix: moved_total[b] += kept_total[b] * value[b]; then
/// target[n * d + b] = source[n * d + b] * (survives[b] * value[b]) (or += with accumulate),
/// n < count, b < d.
void hnb_move_rows(double *target, const double *source, const double *survives, const double *value,
                   const double *kept_total, double *moved_total, size_t count, size_t d, int accumulate);

/// The moves' totals of one placement: stay = kept[b] * diagonal[b]; out[b] += kept[b] - stay;
/// into[b] += moved[b] - stay (b < d).
void hnb_moves_out_in(double *out, double *into, const double *kept, const double *diagonal, const double *moved,
                      size_t d);

/// total[i] += x[i], i < count.
void hnb_add(double *total, const double *x, size_t count);

/// For n = 0, 1, ..., count - 1 in turn where used[n]: added = people * share[n * stride + b] *
/// inflow[b] (left to right); rows[n * d + b] += added; into[b] += added (b < d).
void hnb_add_new_plans(double *rows, double *into, const double *share, size_t stride, const unsigned char *used,
                       double people, const double *inflow, size_t count, size_t d);

/// Capacity, one age's block of a limited placement: for n = 0, 1, ..., count - 1 in turn,
/// e = rows[n * d + b] * release[b], excess[b] = e, rows[n * d + b] -= e, sums[n * d + b] -= e,
/// out[b] += e; then for each destination k in turn, moved = excess[b] * shares[k],
/// target_rows[k][n * d + b] += moved, target_sums[k][n * d + b] += moved,
/// target_into[k][b] += moved (b < d).
void hnb_overflow(double *rows, double *sums, double *out, double *excess, const double *release,
                  double *const *target_rows, double *const *target_sums, double *const *target_into,
                  const double *shares, size_t target_count, size_t count, size_t d);

/// out[(rows ? rows[i] : i) * stride + b] = columns[b][i] for i < count, b < width: `width`
/// columns (a draw's numbers each) into the first `width` places of rows `stride` apart.
void hnb_transpose(double *out, size_t stride, const size_t *rows, const double *const *columns, size_t width,
                   size_t count);

/// columns[b][rows ? rows[i] : i] = in[i * stride + b] for i < count, b < width: the first
/// `width` places of rows `stride` apart into `width` columns (the reverse of hnb_transpose).
void hnb_untranspose(double *const *columns, const size_t *rows, const double *in, size_t stride, size_t width,
                     size_t count);

#include "GammaKernels.h"

#endif
