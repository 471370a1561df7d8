// A draw's gammas in bulk (gamma.c): the common path of Distribution.gammaCandidate
// (Sources/HighNeedsCore/Uncertainty/Distribution.swift), the boosts below shape 1 and the
// Dirichlet shares, for many blocks at once, four at a time in AVX2 registers when the
// processor has it (hnb_simd_level).
#ifndef HNB_GAMMA_KERNELS_H
#define HNB_GAMMA_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Marsaglia and Tsang's first candidate of block i (i < n), where it needs nothing more than
/// the block: the ziggurat's normal deviate accepted at its first try and the candidate accepted
/// by the squeeze. Block i is the words blocks[4i], ..., blocks[4i + 3]; d[i] and c[i] its
/// gamma's constants; ratio and width the ziggurat's tables (NormalZiggurat.ratio and .x,
/// `layers` = 128 rows). Sets accepted[i] to 1 and gamma[i] to the candidate d[i]·v when both
/// tests pass; otherwise accepted[i] = 0 and gamma[i] is left unspecified (the caller then
/// takes the whole candidate from the block, which may draw more of its stream).
void hnb_gamma_first_candidates(const uint32_t *blocks, const double *d, const double *c, const double *ratio,
                                const double *width, size_t n, double *gamma, unsigned char *accepted);

/// The boosts of gammas below shape 1: boost[index[j]] = exp(log(u_j) · inverse_shape[j]) for
/// j < n, u_j = RandomStream.unit(w2, w3) of words 2 and 3 of block index[j]; libm's exp and
/// log, bit for bit (gamma.c). Other entries of boost are left as they are.
void hnb_gamma_boosts(const uint32_t *blocks, const int32_t *index, const double *inverse_shape, size_t n,
                      double *boost);

/// Dirichlet shares of `plans` plans: plan p's gammas are gamma[first[p] + k] times
/// boost[first[p] + k] (k < count[p]), written to out[offset[p] + k] and summed in order; when
/// the sum is positive each is divided by it and underflow[p] = 0, otherwise the products are
/// left and underflow[p] = 1.
void hnb_dirichlet_shares(const double *gamma, const double *boost, const size_t *first, const size_t *count,
                          const size_t *offset, size_t plans, double *out, unsigned char *underflow);

#endif
