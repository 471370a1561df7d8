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
//   share divided by it (the division four shares at a time in the vector path).
// Plain code calls libm's exp and log, as the Swift code does. The vector path does glibc's own
// steps for both (glibc 2.28 and later: Szabolcs Nagy's methods), four lanes at a time: its
// tables and coefficients (exp_log_tables.h) and its fused operations where glibc's x86-64 FMA
// build fuses them, in its order, for the arguments met here (log of a positive normal number,
// exp of one ≤ 0; a lane of any other calls libm). GammaKernelTests checks both paths against
// libm, bit for bit.
#include "CKernels.h"
#include "exp_log_tables.h"

#include <math.h>

#pragma STDC FP_CONTRACT OFF

#if defined(__FAST_MATH__)
#error "Sources/CKernels must not be built with fast math: the sweep's outputs would depend on the build"
#endif

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HNB_X86 1
#define HNB_AVX2_FMA __attribute__((target("avx2,fma")))
#endif

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
    __m256i logOutside, expOutside;
    const __m256d x = _mm256_mul_pd(log_positive(u, &logOutside), _mm256_loadu_pd(inverse_shape + j));
    double values[4];
    _mm256_storeu_pd(values, exp_nonpositive(x, &expOutside));
    const int outside = _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_or_si256(logOutside, expOutside)));
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

#endif

void hnb_gamma_boosts(const uint32_t *blocks, const int32_t *index, const double *inverse_shape, size_t n,
                      double *boost) {
#ifdef HNB_X86
  if (vector_ready()) {
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
