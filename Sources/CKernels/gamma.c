// The gamma sampler's first candidates in bulk: the path of Distribution.gammaCandidate
// (Sources/HighNeedsCore/Uncertainty/Distribution.swift) that needs nothing but its block,
// four blocks at a time in AVX2 registers when the processor has AVX2 (hnb_simd_level), one at a
// time otherwise. Each lane does the Swift code's operations in its order, never fused
// (FP_CONTRACT off; neither variant is compiled for FMA), and the conversions of 32-bit words to
// doubles are exact: the two paths and the Swift code give the same candidates, bit for bit.
#include "CKernels.h"

#include <math.h>

#pragma STDC FP_CONTRACT OFF

#if defined(__FAST_MATH__)
#error "Sources/CKernels must not be built with fast math: the sweep's outputs would depend on the build"
#endif

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HNB_X86 1
#define HNB_AVX2 __attribute__((target("avx2")))
#endif

// The ziggurat's layers: a layer is the low 7 bits of word 3 (NormalZiggurat.layers = 128).
#define LAYER_MASK 127u
// 2^32: RandomStream.unit(w) = (w + 0.5) / 2^32.
#define TWO_32 4294967296.0
// Marsaglia and Tsang's squeeze constant.
#define SQUEEZE 0.0331

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

#ifdef HNB_X86
// The words `word` (0 to 3) of blocks i, i + 1, i + 2, i + 3 as exact doubles (a 32-bit word,
// offset by 2^31 into the signed range, converted, and the offset added back: all exact).
HNB_AVX2 static inline __m256d word_as_double(const uint32_t *blocks, __m128i stride, int word) {
  __m128i w = _mm_i32gather_epi32((const int *)(blocks + word), stride, 4);
  __m128i shifted = _mm_xor_si128(w, _mm_set1_epi32((int)0x80000000u));
  return _mm256_add_pd(_mm256_cvtepi32_pd(shifted), _mm256_set1_pd(2147483648.0));
}

HNB_AVX2 static void first_candidates_avx2(const uint32_t *blocks, const double *d, const double *c,
                                           const double *ratio, const double *width, size_t n, double *gamma,
                                           unsigned char *accepted) {
  const __m128i stride = _mm_setr_epi32(0, 4, 8, 12);
  const __m256d half = _mm256_set1_pd(0.5), scale = _mm256_set1_pd(TWO_32), one = _mm256_set1_pd(1.0),
                two = _mm256_set1_pd(2.0), zero = _mm256_setzero_pd(), squeeze = _mm256_set1_pd(SQUEEZE),
                magnitude = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7FFFFFFFFFFFFFFFLL));
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const uint32_t *w = blocks + 4 * i;
    __m256d u = _mm256_sub_pd(
        _mm256_mul_pd(two, _mm256_div_pd(_mm256_add_pd(word_as_double(w, stride, 0), half), scale)), one);
    __m128i layer =
        _mm_and_si128(_mm_i32gather_epi32((const int *)(w + 3), stride, 4), _mm_set1_epi32((int)LAYER_MASK));
    __m256d r = _mm256_i32gather_pd(ratio, layer, 8);
    __m256d x = _mm256_i32gather_pd(width, layer, 8);
    __m256d ok = _mm256_cmp_pd(_mm256_and_pd(u, magnitude), r, _CMP_LT_OQ);
    __m256d z = _mm256_mul_pd(u, x);
    __m256d v0 = _mm256_add_pd(one, _mm256_mul_pd(_mm256_loadu_pd(c + i), z));
    ok = _mm256_and_pd(ok, _mm256_cmp_pd(v0, zero, _CMP_GT_OQ));
    __m256d v = _mm256_mul_pd(_mm256_mul_pd(v0, v0), v0);
    __m256d uniform = _mm256_div_pd(_mm256_add_pd(word_as_double(w, stride, 1), half), scale);
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
#endif

void hnb_gamma_first_candidates(const uint32_t *blocks, const double *d, const double *c, const double *ratio,
                                const double *width, size_t n, double *gamma, unsigned char *accepted) {
#ifdef HNB_X86
  if (hnb_simd_level() == 2) {
    first_candidates_avx2(blocks, d, c, ratio, width, n, gamma, accepted);
    return;
  }
#endif
  first_candidates_plain(blocks, d, c, ratio, width, n, 0, gamma, accepted);
}
