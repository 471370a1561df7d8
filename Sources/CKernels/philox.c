// Philox4x32-10 (Salmon et al., SC'11), in bulk: the bijection of Sources/HighNeedsCore/
// Uncertainty/Philox.swift (Philox4x32.block), eight blocks at a time in AVX2 registers when
// the processor has AVX2 (__builtin_cpu_supports, checked once), one at a time otherwise.
// Integer arithmetic only: both paths give the same words, bit for bit.
#include "CKernels.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HNB_X86 1
#endif

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static inline void block_scalar(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t c2,
                                uint32_t c3, uint32_t *out) {
  for (int round = 0; round < 10; round++) {
    uint64_t p0 = (uint64_t)PHILOX_M0 * c0;
    uint64_t p1 = (uint64_t)PHILOX_M1 * c2;
    c0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
    c1 = (uint32_t)p1;
    c2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
    c3 = (uint32_t)p0;
    k0 += PHILOX_W0;
    k1 += PHILOX_W1;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

static void blocks_scalar(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, const uint32_t *c2,
                          const uint32_t *c3, size_t n, uint32_t *out) {
  for (size_t i = 0; i < n; i++) block_scalar(k0, k1, c0, c1, c2[i], c3[i], out + 4 * i);
}

static void run_scalar(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3,
                       size_t n, uint32_t *out) {
  for (size_t i = 0; i < n; i++) block_scalar(k0, k1, c0, c1, c2, c3 + (uint32_t)i, out + 4 * i);
}

#ifdef HNB_X86
// Four blocks in a register set, each 32-bit word in the low half of a 64-bit lane, so that a
// round's products are vpmuludq of those halves; the high halves of x0..x3 are left as they
// fall (only low halves are multiplied or stored).
#define HNB_AVX2 __attribute__((target("avx2")))

HNB_AVX2 static inline void rounds4x2(uint32_t k0, uint32_t k1, __m256i *a, __m256i *b) {
  const __m256i m0 = _mm256_set1_epi64x(PHILOX_M0), m1 = _mm256_set1_epi64x(PHILOX_M1);
  for (int round = 0; round < 10; round++) {
    const __m256i key0 = _mm256_set1_epi64x(k0), key1 = _mm256_set1_epi64x(k1);
    __m256i pa0 = _mm256_mul_epu32(a[0], m0), pa1 = _mm256_mul_epu32(a[2], m1);
    __m256i pb0 = _mm256_mul_epu32(b[0], m0), pb1 = _mm256_mul_epu32(b[2], m1);
    a[0] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pa1, 32), a[1]), key0);
    a[2] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pa0, 32), a[3]), key1);
    a[1] = pa1;
    a[3] = pa0;
    b[0] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pb1, 32), b[1]), key0);
    b[2] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pb0, 32), b[3]), key1);
    b[1] = pb1;
    b[3] = pb0;
    k0 += PHILOX_W0;
    k1 += PHILOX_W1;
  }
}

// Stores the four blocks of x (words in low halves) at out, 16 bytes each.
HNB_AVX2 static inline void store4(const __m256i *x, uint32_t *out) {
  const __m256i low = _mm256_set1_epi64x(0xFFFFFFFF);
  __m256i w01 = _mm256_or_si256(_mm256_and_si256(x[0], low), _mm256_slli_epi64(x[1], 32));
  __m256i w23 = _mm256_or_si256(_mm256_and_si256(x[2], low), _mm256_slli_epi64(x[3], 32));
  __m256i lo = _mm256_unpacklo_epi64(w01, w23), hi = _mm256_unpackhi_epi64(w01, w23);
  _mm256_storeu_si256((__m256i *)out, _mm256_permute2x128_si256(lo, hi, 0x20));
  _mm256_storeu_si256((__m256i *)(out + 8), _mm256_permute2x128_si256(lo, hi, 0x31));
}

HNB_AVX2 static void blocks_avx2(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, const uint32_t *c2,
                                 const uint32_t *c3, size_t n, uint32_t *out) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i a[4], b[4];
    a[0] = b[0] = _mm256_set1_epi64x(c0);
    a[1] = b[1] = _mm256_set1_epi64x(c1);
    a[2] = _mm256_cvtepu32_epi64(_mm_loadu_si128((const __m128i *)(c2 + i)));
    b[2] = _mm256_cvtepu32_epi64(_mm_loadu_si128((const __m128i *)(c2 + i + 4)));
    a[3] = _mm256_cvtepu32_epi64(_mm_loadu_si128((const __m128i *)(c3 + i)));
    b[3] = _mm256_cvtepu32_epi64(_mm_loadu_si128((const __m128i *)(c3 + i + 4)));
    rounds4x2(k0, k1, a, b);
    store4(a, out + 4 * i);
    store4(b, out + 4 * i + 16);
  }
  blocks_scalar(k0, k1, c0, c1, c2 + i, c3 + i, n - i, out + 4 * i);
}

HNB_AVX2 static void run_avx2(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3,
                              size_t n, uint32_t *out) {
  size_t i = 0;
  const __m128i lanes = _mm_setr_epi32(0, 1, 2, 3), four = _mm_set1_epi32(4);
  for (; i + 8 <= n; i += 8) {
    __m256i a[4], b[4];
    a[0] = b[0] = _mm256_set1_epi64x(c0);
    a[1] = b[1] = _mm256_set1_epi64x(c1);
    a[2] = b[2] = _mm256_set1_epi64x(c2);
    // The counter's last word wraps in 32 bits, as block by block.
    __m128i first = _mm_add_epi32(_mm_set1_epi32((int)(c3 + (uint32_t)i)), lanes);
    a[3] = _mm256_cvtepu32_epi64(first);
    b[3] = _mm256_cvtepu32_epi64(_mm_add_epi32(first, four));
    rounds4x2(k0, k1, a, b);
    store4(a, out + 4 * i);
    store4(b, out + 4 * i + 16);
  }
  run_scalar(k0, k1, c0, c1, c2, c3 + (uint32_t)i, n - i, out + 4 * i);
}
#endif

// -1 until first use; then 2 (AVX2) or 0 (plain): for every kernel of this target.
static _Atomic int simd_level = -1;

// The level the processor allows: 2 with AVX2, 0 without, or when the environment variable
// HNB_KERNELS is "plain" (to compare the two paths' outputs in a release build: make sweep-check;
// any other value is ignored).
static int detected_level(void) {
  const char *forced = getenv("HNB_KERNELS");
  if (forced != NULL && strcmp(forced, "plain") == 0) return 0;
#ifdef HNB_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) return 2;
#endif
  return 0;
}

int hnb_simd_level(void) {
  int level = atomic_load_explicit(&simd_level, memory_order_relaxed);
  if (level < 0) {
    level = detected_level();
    atomic_store_explicit(&simd_level, level, memory_order_relaxed);
  }
  return level;
}

int hnb_simd_set_level(int level) {
  int available = detected_level();
  atomic_store_explicit(&simd_level, level >= 2 && available >= 2 ? 2 : 0, memory_order_relaxed);
  return hnb_simd_level();
}

void hnb_philox4x32_blocks(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, const uint32_t *c2,
                           const uint32_t *c3, size_t n, uint32_t *out) {
#ifdef HNB_X86
  if (hnb_simd_level() == 2) {
    blocks_avx2(k0, k1, c0, c1, c2, c3, n, out);
    return;
  }
#endif
  blocks_scalar(k0, k1, c0, c1, c2, c3, n, out);
}

void hnb_philox4x32_run(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3,
                        size_t n, uint32_t *out) {
#ifdef HNB_X86
  if (hnb_simd_level() == 2) {
    run_avx2(k0, k1, c0, c1, c2, c3, n, out);
    return;
  }
#endif
  run_scalar(k0, k1, c0, c1, c2, c3, n, out);
}
