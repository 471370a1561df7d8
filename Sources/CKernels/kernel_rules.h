// What every floating-point kernel of this target needs so that its numbers are the same on
// every build: products never fused into sums (FP_CONTRACT off; clang honours the pragma, GCC
// does not, so only clang may compile these files, as SwiftPM does), no fast math, and the
// x86-64 target attributes for the vector variants.
#ifndef HNB_KERNEL_RULES_H
#define HNB_KERNEL_RULES_H

#pragma STDC FP_CONTRACT OFF

#if !defined(__clang__)
#error "Sources/CKernels must be built with clang: other compilers may fuse products into sums"
#endif

// -ffast-math (or -Ofast) lets the compiler reassociate sums and fuse products whatever the
// pragma says: the outputs would then depend on the build, so refuse to compile.
#if defined(__FAST_MATH__)
#error "Sources/CKernels must not be built with fast math: the sweep's outputs would depend on the build"
#endif

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HNB_X86 1
#define HNB_AVX2 __attribute__((target("avx2")))
#define HNB_AVX2_FMA __attribute__((target("avx2,fma")))
#endif

#endif
