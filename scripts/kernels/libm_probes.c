// Finds the probes of Sources/CKernels/gamma.c (libm_probes): arguments (u, 1/shape) of the
// gamma boost exp(log(u) · (1/shape)) where glibc's FMA build and its plain build differ.
// Prints, for 4 million seeded arguments, the bits of u, 1/shape, the boost and log(u):
//
//   clang -O2 scripts/kernels/libm_probes.c -lm -o /tmp/probes
//   /tmp/probes > fma.txt
//   GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2_Usable,-FMA_Usable,-AVX2,-FMA /tmp/probes > plain.txt
//   paste -d' ' fma.txt plain.txt | awk '$4 != $8' | head -32            # log differs
//   paste -d' ' fma.txt plain.txt | awk '$4 == $8 && $3 != $7' | head -32 # only exp differs
//
// (about 1 argument in 1,000 differs, by one unit in the last place).
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
static uint64_t s = 20261205;
static uint64_t next(void) { uint64_t z = (s += 0x9e3779b97f4a7c15ULL); z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL; z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL; return z ^ (z >> 31); }
int main(void) {
  for (long i = 0; i < 4000000; i++) {
    uint64_t bits = next() >> 11;
    double u = ((double)bits + 0.5) / 9007199254740992.0;
    double inv = pow(10.0, (double)(next() % 1000000) / 1000000.0 * 5.0);
    volatile double l = log(u);
    volatile double x = l * inv;
    double e = exp(x);
    uint64_t ub, ib, eb, lb; memcpy(&ub, &u, 8); memcpy(&ib, &inv, 8); memcpy(&eb, &e, 8); double lv = l; memcpy(&lb, &lv, 8);
    printf("%016llx %016llx %016llx %016llx\n", (unsigned long long)ub, (unsigned long long)ib, (unsigned long long)eb, (unsigned long long)lb);
  }
}
