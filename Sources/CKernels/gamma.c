// The gamma sampler in bulk (Sources/HighNeedsCore/Uncertainty/Distribution.swift), four blocks
// at a time in AVX2 registers when the processor has AVX2 and FMA (hnb_simd_level), one at a
// time otherwise, the same numbers either way:
// - first candidates: Distribution.gammaCandidate where it needs nothing but its block (the
//   ziggurat's and the squeeze's first tries). Each lane does the Swift code's operations in its
//   order, never fused (FP_CONTRACT off; the intrinsics as written), and the conversions of
//   words to doubles are exact. (The full test's two logarithms, in vector for every lane of
//   the 37% of vectors with a lane that needs them, cost more than libm's for those lanes.)
// - boosts below shape 1: exp(log(u) · (1/shape));
// - Dirichlet shares from the gammas: each plan's G_k · boost_k, their sum in order, and each
//   share divided by it (the compiler's AVX2 variant divides four at a time in a release build).
// Plain code calls libm's exp and log, as the Swift code does. The vector path does glibc's own
// steps for both (glibc 2.28 and later: Szabolcs Nagy's methods), four lanes at a time: its
// tables and coefficients (exp_log_tables.h) and its fused operations where glibc's x86-64 FMA
// build fuses them, in its order, for the arguments met here (log of a positive normal number,
// exp of one ≤ 0; a lane of any other calls libm). It runs only where libm gives its numbers on
// 64 probes where glibc's FMA and plain builds differ (boosts_vector_ready), so that the two
// paths agree whatever the libm. GammaKernelTests checks both paths against libm, bit for bit.
#include "CKernels.h"
#include "exp_log_tables.h"

#include "kernel_rules.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

// The ziggurat's layers: a layer is the low 7 bits of word 3 (NormalZiggurat.layers = 128).
#define LAYER_MASK 127u
// 2^32: RandomStream.unit(w) = (w + 0.5) / 2^32.
#define TWO_32 4294967296.0
// Marsaglia and Tsang's squeeze constant.
#define SQUEEZE 0.0331

#define DIRICHLET_SHARES_BODY                                                                 \
  for (size_t p = 0; p < plans; p++) {                                                      \
    const double *restrict g = gamma + first[p];                                             \
    const double *restrict b = boost + first[p];                                             \
    double *restrict s = out + offset[p];                                                    \
    double total = 0.0;                                                                      \
    for (size_t k = 0; k < count[p]; k++) {                                                  \
      double x = g[k] * b[k];                                                                \
      s[k] = x;                                                                              \
      total += x;                                                                            \
    }                                                                                        \
    underflow[p] = !(total > 0.0);                                                           \
    if (total > 0.0) {                                                                       \
      for (size_t k = 0; k < count[p]; k++) s[k] /= total;                                   \
    }                                                                                        \
  }

#define DIRICHLET_SHARES_ARGS                                                                                \
  const double *restrict gamma, const double *restrict boost, const size_t *restrict first,                  \
      const size_t *restrict count, const size_t *restrict offset, size_t plans, double *restrict out,       \
      unsigned char *restrict underflow

static void first_candidates_plain(const uint32_t *blocks, const double *d, const double *c, const double *ratio,
                                   const double *width, size_t n, size_t start, double *gamma,
                                   unsigned char *accepted) {
  for (size_t i = start; i < n; i++) {
    const uint32_t *w = blocks + 4 * i;
    double u = 2.0 * (((double)w[0] + 0.5) / TWO_32) - 1.0;
    uint32_t layer = w[3] & LAYER_MASK;
    accepted[i] = 0;
    if (!(fabs(u) < ratio[layer])) continue;
    double z = u * width[layer];
    double v0 = 1.0 + c[i] * z;
    if (v0 <= 0.0) continue;
    double v = v0 * v0 * v0;
    double uniform = ((double)w[1] + 0.5) / TWO_32;
    double z2 = z * z;
    if (uniform < 1.0 - SQUEEZE * z2 * z2) {
      gamma[i] = d[i] * v;
      accepted[i] = 1;
    }
  }
}

// RandomStream.unit(w2, w3): (⌊w2 · 2^21 + w3 / 2^11⌋ + 0.5) / 2^53.
static inline double boost_uniform(const uint32_t *w) {
  uint64_t bits = ((uint64_t)w[2] << 21) ^ ((uint64_t)w[3] >> 11);
  return ((double)bits + 0.5) / 9007199254740992.0;
}

static void boosts_plain(const uint32_t *blocks, const int32_t *index, const double *inverse_shape, size_t n,
                         size_t start, double *boost) {
  for (size_t j = start; j < n; j++) {
    boost[index[j]] = exp(log(boost_uniform(blocks + 4 * (size_t)index[j])) * inverse_shape[j]);
  }
}

#ifdef HNB_X86
// glibc's log (e_log.c) near 1, four lanes: x within [1 − 2⁻⁴, 1 + 0x1.09p−4), 0 at 1.
HNB_AVX2_FMA static inline __m256d log_near_one(__m256d x) {
  const __m256d one = _mm256_set1_pd(1.0);
  const __m256d r = _mm256_sub_pd(x, one);
  const __m256d r2 = _mm256_mul_pd(r, r);
  const __m256d r3 = _mm256_mul_pd(r, r2);
  const __m256d p123 =
      _mm256_fmadd_pd(r2, _mm256_set1_pd(LOG_B3), _mm256_fmadd_pd(r, _mm256_set1_pd(LOG_B2), _mm256_set1_pd(LOG_B1)));
  const __m256d p456 =
      _mm256_fmadd_pd(r2, _mm256_set1_pd(LOG_B6), _mm256_fmadd_pd(r, _mm256_set1_pd(LOG_B5), _mm256_set1_pd(LOG_B4)));
  __m256d p = _mm256_fmadd_pd(r2, _mm256_set1_pd(LOG_B9), _mm256_fmadd_pd(r, _mm256_set1_pd(LOG_B8), _mm256_set1_pd(LOG_B7)));
  p = _mm256_fmadd_pd(r3, _mm256_set1_pd(LOG_B10), p);
  p = _mm256_fmadd_pd(p, r3, p456);
  p = _mm256_fmadd_pd(p, r3, p123);
  // r split into rhi (its top 26 bits) and rlo: r · 2^27 is exact, so fused or not alike.
  const __m256d scale = _mm256_set1_pd(0x1p27);
  const __m256d rhi = _mm256_fnmadd_pd(scale, r, _mm256_fmadd_pd(r, scale, r));
  const __m256d rlo = _mm256_sub_pd(r, rhi);
  const __m256d b0 = _mm256_set1_pd(LOG_B0);
  const __m256d rhi2 = _mm256_mul_pd(rhi, rhi);
  const __m256d hi = _mm256_fmadd_pd(rhi2, b0, r);
  __m256d lo = _mm256_fmadd_pd(rhi2, b0, _mm256_sub_pd(r, hi));
  lo = _mm256_fmadd_pd(_mm256_mul_pd(b0, rlo), _mm256_add_pd(r, rhi), lo);
  const __m256d y = _mm256_add_pd(hi, _mm256_fmadd_pd(p, r3, lo));
  return _mm256_blendv_pd(y, _mm256_setzero_pd(), _mm256_cmp_pd(x, one, _CMP_EQ_OQ));
}

// glibc's log (e_log.c) of positive normal x, four lanes: its main path, and its path near 1
// when a lane needs it. *outside gets the lanes of other x (all bits set).
HNB_AVX2_FMA static inline __m256d log_positive(__m256d x, __m256i *outside) {
  const __m256i ix = _mm256_castpd_si256(x);
  // Near 1: 0 ≤ ix − asuint64(0.9375) < 0x3090000000000 (glibc's test, unsigned, as two signed).
  const __m256i offset = _mm256_sub_epi64(ix, _mm256_set1_epi64x(0x3FEE000000000000LL));
  const __m256i near = _mm256_andnot_si256(_mm256_cmpgt_epi64(_mm256_setzero_si256(), offset),
                                           _mm256_cmpgt_epi64(_mm256_set1_epi64x(0x3090000000000LL), offset));
  // Not a positive normal finite number.
  *outside = _mm256_or_si256(_mm256_cmpgt_epi64(_mm256_set1_epi64x(0x0010000000000000LL), ix),
                             _mm256_cmpgt_epi64(ix, _mm256_set1_epi64x(0x7FEFFFFFFFFFFFFFLL)));
  const __m256i tmp = _mm256_sub_epi64(ix, _mm256_set1_epi64x(0x3FE6000000000000LL));
  const __m256i i = _mm256_and_si256(_mm256_srli_epi64(tmp, 45), _mm256_set1_epi64x(127));
  // k = tmp >> 52 (arithmetic): the top 12 bits, sign-extended; as a double, exactly.
  const __m256i k = _mm256_sub_epi64(_mm256_xor_si256(_mm256_srli_epi64(tmp, 52), _mm256_set1_epi64x(0x800)),
                                     _mm256_set1_epi64x(0x800));
  const __m256d kd = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_add_epi64(k, _mm256_set1_epi64x(0x4338000000000000LL))),
                                   _mm256_set1_pd(0x1.8p52));
  const __m256i iz = _mm256_sub_epi64(ix, _mm256_and_si256(tmp, _mm256_set1_epi64x((long long)0xFFF0000000000000ULL)));
  const __m256i twice = _mm256_slli_epi64(i, 1);
  const __m256d invc = _mm256_i64gather_pd(hnb_log_table, twice, 8);
  const __m256d logc = _mm256_i64gather_pd(hnb_log_table + 1, twice, 8);
  const __m256d r = _mm256_fmadd_pd(_mm256_castsi256_pd(iz), invc, _mm256_set1_pd(-1.0));
  const __m256d w = _mm256_fmadd_pd(kd, _mm256_set1_pd(LOG_LN2_HI), logc);
  const __m256d p12 = _mm256_fmadd_pd(r, _mm256_set1_pd(LOG_A2), _mm256_set1_pd(LOG_A1));
  const __m256d hi = _mm256_add_pd(w, r);
  const __m256d r2 = _mm256_mul_pd(r, r);
  __m256d lo = _mm256_add_pd(_mm256_sub_pd(w, hi), r);
  lo = _mm256_fmadd_pd(kd, _mm256_set1_pd(LOG_LN2_LO), lo);
  const __m256d r3 = _mm256_mul_pd(r, r2);
  const __m256d p34 = _mm256_fmadd_pd(r, _mm256_set1_pd(LOG_A4), _mm256_set1_pd(LOG_A3));
  lo = _mm256_fmadd_pd(r2, _mm256_set1_pd(LOG_A0), lo);
  const __m256d p = _mm256_fmadd_pd(p34, r2, p12);
  const __m256d y = _mm256_add_pd(_mm256_fmadd_pd(r3, p, lo), hi);
  if (_mm256_testz_si256(near, near)) return y;
  return _mm256_blendv_pd(y, log_near_one(x), _mm256_castsi256_pd(near));
}

// glibc's exp (e_exp.c) of x ≤ 0, four lanes: 1 + x below 2⁻⁵⁴ in magnitude, the main path below
// 512, its special case for results near and in the subnormal range below 1024 (where glibc's
// build fuses nothing), and 0 beyond. *outside gets the lanes of other x (positive beyond 2⁻⁵⁴,
// or NaN).
HNB_AVX2_FMA static inline __m256d exp_nonpositive(__m256d x, __m256i *outside) {
  const __m256i ix = _mm256_castpd_si256(x);
  const __m256i abstop = _mm256_and_si256(_mm256_srli_epi64(ix, 52), _mm256_set1_epi64x(0x7FF));
  const __m256i tiny = _mm256_cmpgt_epi64(_mm256_set1_epi64x(0x3C9), abstop);
  const __m256i special = _mm256_cmpeq_epi64(abstop, _mm256_set1_epi64x(0x408));
  const __m256i huge = _mm256_cmpgt_epi64(abstop, _mm256_set1_epi64x(0x408));
  // Positive (sign bit clear) and not tiny, or NaN: libm's.
  const __m256i positive = _mm256_cmpgt_epi64(ix, _mm256_setzero_si256());
  const __m256i nan = _mm256_castpd_si256(_mm256_cmp_pd(x, x, _CMP_UNORD_Q));
  *outside = _mm256_or_si256(_mm256_andnot_si256(tiny, positive), nan);
  const __m256d one = _mm256_set1_pd(1.0);
  const __m256d shift = _mm256_set1_pd(EXP_SHIFT);
  __m256d kd = _mm256_fmadd_pd(x, _mm256_set1_pd(EXP_INV_LN2_N), shift);
  const __m256i ki = _mm256_castpd_si256(kd);
  kd = _mm256_sub_pd(kd, shift);
  __m256d r = _mm256_fmadd_pd(kd, _mm256_set1_pd(EXP_NEG_LN2_HI_N), x);
  r = _mm256_fmadd_pd(kd, _mm256_set1_pd(EXP_NEG_LN2_LO_N), r);
  const __m256i idx = _mm256_slli_epi64(_mm256_and_si256(ki, _mm256_set1_epi64x(127)), 1);
  const __m256i top = _mm256_slli_epi64(ki, 45);
  const __m256d p23 = _mm256_fmadd_pd(r, _mm256_set1_pd(EXP_C3), _mm256_set1_pd(EXP_C2));
  const __m256d tail = _mm256_castsi256_pd(_mm256_i64gather_epi64((const long long *)hnb_exp_table, idx, 8));
  const __m256d tr = _mm256_add_pd(r, tail);
  const __m256i sbits =
      _mm256_add_epi64(_mm256_i64gather_epi64((const long long *)hnb_exp_table + 1, idx, 8), top);
  const __m256d r2 = _mm256_mul_pd(r, r);
  const __m256d p45 = _mm256_fmadd_pd(r, _mm256_set1_pd(EXP_C5), _mm256_set1_pd(EXP_C4));
  const __m256d t = _mm256_fmadd_pd(p23, r2, tr);
  const __m256d r4 = _mm256_mul_pd(r2, r2);
  const __m256d tmp = _mm256_fmadd_pd(r4, p45, t);
  const __m256d scale = _mm256_castsi256_pd(sbits);
  const __m256d main = _mm256_fmadd_pd(scale, tmp, scale);
  // The special case (k < 0): the scale 2^1022 higher, y = scale + scale · tmp unfused; below 1,
  // y rounded to its final precision before it is scaled back into the subnormal range.
  const __m256d raised = _mm256_castsi256_pd(_mm256_add_epi64(sbits, _mm256_set1_epi64x(0x3FE0000000000000LL)));
  const __m256d st = _mm256_mul_pd(tmp, raised);
  const __m256d y = _mm256_add_pd(raised, st);
  const __m256d hi = _mm256_add_pd(y, one);
  const __m256d lo = _mm256_add_pd(_mm256_sub_pd(raised, y), st);
  const __m256d rounded =
      _mm256_sub_pd(_mm256_add_pd(_mm256_add_pd(_mm256_add_pd(_mm256_sub_pd(one, hi), y), lo), hi), one);
  // (+0 for −0: glibc's guard against a negative zero; a no-op when rounding to nearest.)
  const __m256d below = _mm256_cmp_pd(y, one, _CMP_LT_OQ);
  const __m256d small = _mm256_blendv_pd(y, _mm256_add_pd(rounded, _mm256_setzero_pd()), below);
  const __m256d subnormal = _mm256_mul_pd(small, _mm256_set1_pd(0x1p-1022));
  __m256d result = _mm256_blendv_pd(main, subnormal, _mm256_castsi256_pd(special));
  result = _mm256_blendv_pd(result, _mm256_setzero_pd(), _mm256_castsi256_pd(huge));
  return _mm256_blendv_pd(result, _mm256_add_pd(one, x), _mm256_castsi256_pd(tiny));
}

// The words `word` (0 to 3) of blocks i, i + 1, i + 2, i + 3 as exact doubles (a 32-bit word,
// offset by 2^31 into the signed range, converted, and the offset added back: all exact).
HNB_AVX2_FMA static inline __m256d word_as_double(const uint32_t *blocks, __m128i stride, int word) {
  __m128i w = _mm_i32gather_epi32((const int *)(blocks + word), stride, 4);
  __m128i shifted = _mm_xor_si128(w, _mm_set1_epi32((int)0x80000000u));
  return _mm256_add_pd(_mm256_cvtepi32_pd(shifted), _mm256_set1_pd(2147483648.0));
}

HNB_AVX2_FMA static void first_candidates_avx2(const uint32_t *blocks, const double *d, const double *c,
                                           const double *ratio, const double *width, size_t n, double *gamma,
                                           unsigned char *accepted) {
  const __m128i stride = _mm_setr_epi32(0, 4, 8, 12);
  // Dividing by 2^32 and multiplying by 2^-32 are the same, exactly.
  const __m256d half = _mm256_set1_pd(0.5), inverse = _mm256_set1_pd(1.0 / TWO_32), one = _mm256_set1_pd(1.0),
                two = _mm256_set1_pd(2.0), zero = _mm256_setzero_pd(), squeeze = _mm256_set1_pd(SQUEEZE),
                magnitude = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7FFFFFFFFFFFFFFFLL));
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const uint32_t *w = blocks + 4 * i;
    __m256d u = _mm256_sub_pd(
        _mm256_mul_pd(two, _mm256_mul_pd(_mm256_add_pd(word_as_double(w, stride, 0), half), inverse)), one);
    __m128i layer =
        _mm_and_si128(_mm_i32gather_epi32((const int *)(w + 3), stride, 4), _mm_set1_epi32((int)LAYER_MASK));
    __m256d r = _mm256_i32gather_pd(ratio, layer, 8);
    __m256d x = _mm256_i32gather_pd(width, layer, 8);
    __m256d ok = _mm256_cmp_pd(_mm256_and_pd(u, magnitude), r, _CMP_LT_OQ);
    __m256d z = _mm256_mul_pd(u, x);
    __m256d v0 = _mm256_add_pd(one, _mm256_mul_pd(_mm256_loadu_pd(c + i), z));
    ok = _mm256_and_pd(ok, _mm256_cmp_pd(v0, zero, _CMP_GT_OQ));
    __m256d v = _mm256_mul_pd(_mm256_mul_pd(v0, v0), v0);
    __m256d uniform = _mm256_mul_pd(_mm256_add_pd(word_as_double(w, stride, 1), half), inverse);
    __m256d z2 = _mm256_mul_pd(z, z);
    __m256d bound = _mm256_sub_pd(one, _mm256_mul_pd(_mm256_mul_pd(squeeze, z2), z2));
    ok = _mm256_and_pd(ok, _mm256_cmp_pd(uniform, bound, _CMP_LT_OQ));
    _mm256_storeu_pd(gamma + i, _mm256_mul_pd(_mm256_loadu_pd(d + i), v));
    int mask = _mm256_movemask_pd(ok);
    accepted[i] = (unsigned char)(mask & 1);
    accepted[i + 1] = (unsigned char)((mask >> 1) & 1);
    accepted[i + 2] = (unsigned char)((mask >> 2) & 1);
    accepted[i + 3] = (unsigned char)((mask >> 3) & 1);
  }
  first_candidates_plain(blocks, d, c, ratio, width, n, i, gamma, accepted);
}

// exp(log(u) · inverse) of four lanes into values; returns the mask of the lanes glibc's steps
// here do not cover (values unspecified there).
HNB_AVX2_FMA static inline int boosts4(__m256d u, __m256d inverse, double values[4]) {
  __m256i logOutside, expOutside;
  const __m256d x = _mm256_mul_pd(log_positive(u, &logOutside), inverse);
  _mm256_storeu_pd(values, exp_nonpositive(x, &expOutside));
  return _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_or_si256(logOutside, expOutside)));
}

HNB_AVX2_FMA static void boosts_avx2(const uint32_t *blocks, const int32_t *index, const double *inverse_shape,
                                     size_t n, double *boost) {
  size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    // Words 2 and 3 of the four blocks, as RandomStream.unit(w2, w3): the 53 bits as a double,
    // exactly (their top 21 and low 32 bits each exact as 2^52 + bits less 2^52, and the sum of
    // the two exact below 2^53); then + 0.5 rounds as the scalar does.
    const __m128i at = _mm_slli_epi32(_mm_loadu_si128((const __m128i *)(index + j)), 2);
    const __m256i w2 = _mm256_cvtepu32_epi64(_mm_i32gather_epi32((const int *)(blocks + 2), at, 4));
    const __m256i w3 = _mm256_cvtepu32_epi64(_mm_i32gather_epi32((const int *)(blocks + 3), at, 4));
    const __m256i bits = _mm256_xor_si256(_mm256_slli_epi64(w2, 21), _mm256_srli_epi64(w3, 11));
    const __m256i exponent = _mm256_set1_epi64x(0x4330000000000000LL);
    const __m256d two52 = _mm256_set1_pd(0x1p52);
    const __m256d high = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(bits, 32), exponent)), two52);
    const __m256d low = _mm256_sub_pd(
        _mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi64x(0xFFFFFFFFLL)), exponent)), two52);
    const __m256d whole = _mm256_add_pd(_mm256_mul_pd(high, _mm256_set1_pd(0x1p32)), low);
    const __m256d u = _mm256_mul_pd(_mm256_add_pd(whole, _mm256_set1_pd(0.5)), _mm256_set1_pd(0x1p-53));
    double values[4];
    const int outside = boosts4(u, _mm256_loadu_pd(inverse_shape + j), values);
    for (int lane = 0; lane < 4; lane++) {
      if (outside & (1 << lane)) {
        boosts_plain(blocks, index, inverse_shape, j + (size_t)lane + 1, j + (size_t)lane, boost);
      } else {
        boost[index[j + (size_t)lane]] = values[lane];
      }
    }
  }
  boosts_plain(blocks, index, inverse_shape, n, j, boost);
}

HNB_AVX2_FMA static void dirichlet_shares_avx2(DIRICHLET_SHARES_ARGS) { DIRICHLET_SHARES_BODY }

// Whether the vector path runs: AVX2 in use (hnb_simd_level) and FMA present.
static int vector_ready(void) { return hnb_simd_level() == 2 && __builtin_cpu_supports("fma"); }

// Arguments (u, 1/shape), as bit patterns, where glibc's exp(log(u) · (1/shape)) differs
// between its FMA build (which the vector boosts follow) and its plain build: 32 where log
// differs, 32 where only exp does (scripts/kernels/libm_probes.c, run with and without
// GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA).
static const uint64_t libm_probes[64][2] = {
    {0x3fe5f5db6d2bf4fcu, 0x40554cde2c77bca2u},
    {0x3fc8eade104a79eeu, 0x409ce8e862c8ac9fu},
    {0x3fecbfa98c0a030au, 0x4052fe9db19bca1au},
    {0x3fee8e4d7437d4b8u, 0x402d1c771c1f51cau},
    {0x3fe5d9c07a140d38u, 0x408b8225381f6cf4u},
    {0x3fed1655abd53a88u, 0x401b0824265ebb69u},
    {0x3fe4379a81515606u, 0x40a3a71faafa263eu},
    {0x3fd9df330ce8f385u, 0x40e64443ba960a94u},
    {0x3fed548bbb9d3e8cu, 0x408b09563caed04du},
    {0x3fecf560df289576u, 0x4085084f23d73a0bu},
    {0x3fed55b37d669110u, 0x40df6eed0fb37129u},
    {0x3fda2c50ddd18cc1u, 0x40c442dd9f5e3c65u},
    {0x3fe5ed7e1f2db98cu, 0x40950c570a0e48efu},
    {0x3fdd5e7c1eddb9cbu, 0x40e0fb7444d97c69u},
    {0x3fe323f26838c71cu, 0x40c354be82d3b3e2u},
    {0x3fee1d32e89491a0u, 0x40d9e0ae7c426874u},
    {0x3fed2304e2979724u, 0x40e8f6f1aadb2893u},
    {0x3fee288ea64beadau, 0x40681506e52ac9aeu},
    {0x3fec9c08df2f55acu, 0x401178e86ca7f509u},
    {0x3fd1eb1f9b74cefdu, 0x3ff03fba6746cf72u},
    {0x3fed22bfd37f6afeu, 0x40d31b96ecd9bd07u},
    {0x3fed151b099603ecu, 0x40c1e141003f6967u},
    {0x3febee1d3b06eb44u, 0x40b32c1e38a73b6cu},
    {0x3feef0a33de192e6u, 0x40e274998259aaf8u},
    {0x3fec7b671e26694cu, 0x40cad4a0cd512be9u},
    {0x3feda086c3c3ca68u, 0x40006376ab350f87u},
    {0x3fee0ea6cc28c1c8u, 0x40d0f3673a93ea40u},
    {0x3feaf40f4693e18cu, 0x407b76662e9ceb10u},
    {0x3fe781eab7169a80u, 0x40b27acdf2d2a892u},
    {0x3fdf2d90e2b0538du, 0x4084f29848448cccu},
    {0x3fef38fe635c6db0u, 0x40e0f433e449cce1u},
    {0x3fef2e99b151e766u, 0x40d1cc2bc2003899u},
    {0x3fd7918a63d56025u, 0x4070ba79f826da19u},
    {0x3fde1fe27cce6235u, 0x404a99e3545a9ea5u},
    {0x3fe9aa99ba9127deu, 0x404f04fef0bbddadu},
    {0x3fd6b47556a75923u, 0x4002274aba604ec6u},
    {0x3fada79fd2ccb0e8u, 0x3ff85586746acad8u},
    {0x3fd57a26c0db0aefu, 0x40734fe749e5b708u},
    {0x3fd0c30d474a6a83u, 0x407354afdcc6b028u},
    {0x3fd2c7b21f38d741u, 0x3ff80bce6bb8f459u},
    {0x3fe9d6bdf45324d0u, 0x40520e0db646aa71u},
    {0x3fea5fad6df944aau, 0x408422d66c706103u},
    {0x3fdc19120ede8badu, 0x4030a0471d8a594bu},
    {0x3fd571d1d9ce5481u, 0x3ff0dc08ef5359ebu},
    {0x3fe28934361f179eu, 0x408a3d9cf4045922u},
    {0x3fefe0f531eaab34u, 0x406e0900883c7db9u},
    {0x3fe59b7df720ea3au, 0x4073987d88b7aa53u},
    {0x3fc4f4ceec9a0206u, 0x40297f9f17766badu},
    {0x3fe10c1f99a5448cu, 0x402bb7c6ec3a04afu},
    {0x3fd8e15eaa6d9e45u, 0x4057add8d80aa05du},
    {0x3fe546a1e23715fau, 0x405b9c37f7b52e0du},
    {0x3fda3aa15e8fa403u, 0x4061870a56a505bcu},
    {0x3fb1e6885871d944u, 0x40079aaf594d2ac2u},
    {0x3fe52b109dd4af68u, 0x40427814e84e1423u},
    {0x3fd5da9b019d9a1fu, 0x4031f70437aed112u},
    {0x3fd63898e835f12bu, 0x40666da085842b2au},
    {0x3fe1dc24670e2b3cu, 0x406acff6b5495edcu},
    {0x3fe52a1a780159acu, 0x4080f167b56ce3d9u},
    {0x3fe416143632ec44u, 0x4057add8d80aa05du},
    {0x3fef423d511b4b1cu, 0x400b2b868c95abd1u},
    {0x3fe3ef3cb90ece3eu, 0x400a01c9b0913cc3u},
    {0x3fe56d9e3865ecdau, 0x408b766633368adbu},
    {0x3fb6a45aa243b03cu, 0x4045ba6f6d71758du},
    {0x3feb45586a546f38u, 0x404d84bf9f0676cbu},
};

// 1 when this process's libm gives the vector boosts' numbers on every probe (glibc 2.28 or
// later running its FMA build), 0 otherwise (another libm, or glibc's plain build, as a tunable
// can choose): then the boosts call libm one at a time. Checked once.
static _Atomic int libm_is_followed = -1;

HNB_AVX2_FMA static int probe_libm(void) {
  for (int i = 0; i < 64; i += 4) {
    double u[4], inverse[4], values[4];
    for (int lane = 0; lane < 4; lane++) {
      memcpy(&u[lane], &libm_probes[i + lane][0], 8);
      memcpy(&inverse[lane], &libm_probes[i + lane][1], 8);
    }
    if (boosts4(_mm256_loadu_pd(u), _mm256_loadu_pd(inverse), values) != 0) return 0;
    for (int lane = 0; lane < 4; lane++) {
      double expected = exp(log(u[lane]) * inverse[lane]);
      if (memcmp(&expected, &values[lane], 8) != 0) return 0;
    }
  }
  return 1;
}

static int boosts_vector_ready(void) {
  if (!vector_ready()) return 0;
#if defined(__GLIBC__)
  int followed = atomic_load_explicit(&libm_is_followed, memory_order_relaxed);
  if (followed < 0) {
    followed = probe_libm();
    atomic_store_explicit(&libm_is_followed, followed, memory_order_relaxed);
  }
  return followed;
#else
  return 0;
#endif
}

#endif

void hnb_gamma_boosts(const uint32_t *blocks, const int32_t *index, const double *inverse_shape, size_t n,
                      double *boost) {
#ifdef HNB_X86
  if (boosts_vector_ready()) {
    boosts_avx2(blocks, index, inverse_shape, n, boost);
    return;
  }
#endif
  boosts_plain(blocks, index, inverse_shape, n, 0, boost);
}

static void dirichlet_shares_plain(DIRICHLET_SHARES_ARGS) { DIRICHLET_SHARES_BODY }

void hnb_dirichlet_shares(const double *gamma, const double *boost, const size_t *first, const size_t *count,
                          const size_t *offset, size_t plans, double *out, unsigned char *underflow) {
#ifdef HNB_X86
  if (vector_ready()) {
    dirichlet_shares_avx2(gamma, boost, first, count, offset, plans, out, underflow);
    return;
  }
#endif
  dirichlet_shares_plain(gamma, boost, first, count, offset, plans, out, underflow);
}

void hnb_gamma_first_candidates(const uint32_t *blocks, const double *d, const double *c, const double *ratio,
                                const double *width, size_t n, double *gamma, unsigned char *accepted) {
#ifdef HNB_X86
  if (vector_ready()) {
    first_candidates_avx2(blocks, d, c, ratio, width, n, gamma, accepted);
    return;
  }
#endif
  first_candidates_plain(blocks, d, c, ratio, width, n, 0, gamma, accepted);
}
