// Philox4x32-10 blocks in bulk, with AVX2 when the processor has it (checked at run time) and
// the scalar bijection otherwise: the same words either way. See Sources/CPhilox/philox.c.
#ifndef HNB_CPHILOX_H
#define HNB_CPHILOX_H

#include <stddef.h>
#include <stdint.h>

/// Block i (i < n) under the key (k0, k1) of the counter (c0, c1, c2[i], c3[i]): its four words
/// at out[4i], ..., out[4i + 3].
void hnb_philox4x32_blocks(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, const uint32_t *c2,
                           const uint32_t *c3, size_t n, uint32_t *out);

/// Block i (i < n) of the counter (c0, c1, c2, c3 + i), the last word wrapping: at out[4i], ...
void hnb_philox4x32_run(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3,
                        size_t n, uint32_t *out);

/// The implementation the calls above use on this processor: 2 for AVX2, 0 for scalar.
int hnb_philox4x32_level(void);

/// Sets the implementation (2 AVX2, only when the processor has it; 0 scalar), for tests that
/// compare the two; returns the level in use afterwards.
int hnb_philox4x32_set_level(int level);

#endif
