// The projection's loops over a batch's draws (Sources/HighNeedsCore/Model/BatchProjection.swift),
// in AVX2 registers when the processor has AVX2 (hnb_simd_level), in plain code otherwise. Every
// loop is element by element: each element sees the operations written, in the order written
// (a sum over rows adds them in row order), so the vector width changes no number. Products are
// never fused into additions: FP_CONTRACT is off, and neither variant is compiled for FMA.
#include "CKernels.h"
#include "kernel_rules.h"

#define SUM_ROWS_BODY                                               \
  for (size_t n = 0; n < count; n++) {                              \
    const double *restrict row = rows + n * d;                      \
    for (size_t b = 0; b < d; b++) total[b] += row[b];              \
  }

#define MOVE_ROWS_BODY                                                         \
  for (size_t b = 0; b < d; b++) moved_total[b] += kept_total[b] * value[b];   \
  for (size_t n = 0; n < count; n++) {                                         \
    double *restrict out = target + n * d;                                     \
    const double *restrict in = source + n * d;                                \
    if (accumulate) {                                                          \
      for (size_t b = 0; b < d; b++) out[b] += in[b] * (survives[b] * value[b]); \
    } else {                                                                   \
      for (size_t b = 0; b < d; b++) out[b] = in[b] * (survives[b] * value[b]); \
    }                                                                          \
  }

#define MOVES_OUT_IN_BODY                                                      \
  for (size_t b = 0; b < d; b++) {                                             \
    double stay = kept[b] * diagonal[b];                                       \
    out[b] += kept[b] - stay;                                                  \
    into[b] += moved[b] - stay;                                                \
  }

#define ADD_BODY for (size_t i = 0; i < count; i++) total[i] += x[i];

#define ADD_NEW_PLANS_BODY                                                     \
  for (size_t n = 0; n < count; n++) {                                         \
    if (!used[n]) continue;                                                    \
    double *restrict row = rows + n * d;                                       \
    const double *restrict s = share + n * stride;                             \
    for (size_t b = 0; b < d; b++) {                                           \
      double added = people * s[b] * inflow[b];                                \
      row[b] += added;                                                         \
      into[b] += added;                                                        \
    }                                                                          \
  }

// Capacity: one age's block of a limited placement releases its excess, which each destination
// takes its share of (rows, occupancy and the flows), row by row.
static inline __attribute__((always_inline)) void overflow_into(double *restrict row, double *restrict total,
                                                                double *restrict into,
                                                                const double *restrict excess, double share,
                                                                size_t d) {
  for (size_t b = 0; b < d; b++) {
    double moved = excess[b] * share;
    row[b] += moved;
    total[b] += moved;
    into[b] += moved;
  }
}

#define OVERFLOW_BODY                                                                     \
  for (size_t n = 0; n < count; n++) {                                                    \
    double *restrict row = rows + n * d;                                                  \
    double *restrict total = sums + n * d;                                                \
    for (size_t b = 0; b < d; b++) {                                                      \
      double e = row[b] * release[b];                                                     \
      excess[b] = e;                                                                      \
      row[b] -= e;                                                                        \
      total[b] -= e;                                                                      \
      out[b] += e;                                                                        \
    }                                                                                     \
    for (size_t k = 0; k < target_count; k++) {                                           \
      overflow_into(target_rows[k] + n * d, target_sums[k] + n * d, target_into[k], excess, shares[k], d); \
    }                                                                                     \
  }

#define SUM_ROWS_ARGS double *restrict total, const double *restrict rows, size_t count, size_t d
#define MOVE_ROWS_ARGS                                                                                    \
  double *restrict target, const double *restrict source, const double *restrict survives,               \
      const double *restrict value, const double *restrict kept_total, double *restrict moved_total,     \
      size_t count, size_t d, int accumulate
#define MOVES_OUT_IN_ARGS                                                                                 \
  double *restrict out, double *restrict into, const double *restrict kept, const double *restrict diagonal, \
      const double *restrict moved, size_t d
#define ADD_ARGS double *restrict total, const double *restrict x, size_t count
#define OVERFLOW_ARGS                                                                                      \
  double *restrict rows, double *restrict sums, double *restrict out, double *restrict excess,           \
      const double *restrict release, double *const *target_rows, double *const *target_sums,            \
      double *const *target_into, const double *shares, size_t target_count, size_t count, size_t d
#define ADD_NEW_PLANS_ARGS                                                                                \
  double *restrict rows, double *restrict into, const double *restrict share, size_t stride,             \
      const unsigned char *restrict used, double people, const double *restrict inflow, size_t count, size_t d

static void sum_rows_plain(SUM_ROWS_ARGS) { SUM_ROWS_BODY }
static void move_rows_plain(MOVE_ROWS_ARGS) { MOVE_ROWS_BODY }
static void moves_out_in_plain(MOVES_OUT_IN_ARGS) { MOVES_OUT_IN_BODY }
static void add_plain(ADD_ARGS) { ADD_BODY }
static void overflow_plain(OVERFLOW_ARGS) { OVERFLOW_BODY }
static void add_new_plans_plain(ADD_NEW_PLANS_ARGS) { ADD_NEW_PLANS_BODY }

#ifdef HNB_X86
HNB_AVX2 static void sum_rows_avx2(SUM_ROWS_ARGS) { SUM_ROWS_BODY }
HNB_AVX2 static void move_rows_avx2(MOVE_ROWS_ARGS) { MOVE_ROWS_BODY }
HNB_AVX2 static void moves_out_in_avx2(MOVES_OUT_IN_ARGS) { MOVES_OUT_IN_BODY }
HNB_AVX2 static void add_avx2(ADD_ARGS) { ADD_BODY }
HNB_AVX2 static void overflow_avx2(OVERFLOW_ARGS) { OVERFLOW_BODY }
HNB_AVX2 static void add_new_plans_avx2(ADD_NEW_PLANS_ARGS) { ADD_NEW_PLANS_BODY }
#define DISPATCH(name, ...)                  \
  if (hnb_simd_level() == 2) {               \
    name##_avx2(__VA_ARGS__);                \
  } else {                                   \
    name##_plain(__VA_ARGS__);               \
  }
#else
#define DISPATCH(name, ...) name##_plain(__VA_ARGS__);
#endif

void hnb_sum_rows(double *total, const double *rows, size_t count, size_t d) {
  DISPATCH(sum_rows, total, rows, count, d)
}

void hnb_move_rows(double *target, const double *source, const double *survives, const double *value,
                   const double *kept_total, double *moved_total, size_t count, size_t d, int accumulate) {
  DISPATCH(move_rows, target, source, survives, value, kept_total, moved_total, count, d, accumulate)
}

void hnb_moves_out_in(double *out, double *into, const double *kept, const double *diagonal, const double *moved,
                      size_t d) {
  DISPATCH(moves_out_in, out, into, kept, diagonal, moved, d)
}

void hnb_add(double *total, const double *x, size_t count) { DISPATCH(add, total, x, count) }

void hnb_add_new_plans(double *rows, double *into, const double *share, size_t stride, const unsigned char *used,
                       double people, const double *inflow, size_t count, size_t d) {
  DISPATCH(add_new_plans, rows, into, share, stride, used, people, inflow, count, d)
}

void hnb_transpose(double *out, size_t stride, const size_t *rows, const double *const *columns, size_t width,
                   size_t count) {
  for (size_t i = 0; i < count; i++) {
    double *row = out + (rows ? rows[i] : i) * stride;
    for (size_t b = 0; b < width; b++) row[b] = columns[b][i];
  }
}

void hnb_untranspose(double *const *columns, const size_t *rows, const double *in, size_t stride, size_t width,
                     size_t count) {
  for (size_t i = 0; i < count; i++) {
    const double *row = in + i * stride;
    size_t j = rows ? rows[i] : i;
    for (size_t b = 0; b < width; b++) columns[b][j] = row[b];
  }
}

void hnb_overflow(double *rows, double *sums, double *out, double *excess, const double *release,
                  double *const *target_rows, double *const *target_sums, double *const *target_into,
                  const double *shares, size_t target_count, size_t count, size_t d) {
  DISPATCH(overflow, rows, sums, out, excess, release, target_rows, target_sums, target_into, shares, target_count,
           count, d)
}
