#!/usr/bin/env python3
"""Writes Sources/CKernels/exp_log_tables.h: the coefficients and tables of glibc's exp and log.

glibc (2.28 and later) computes exp and log by Szabolcs Nagy's table methods, written for Arm's
optimized-routines (MIT licence; sysdeps/ieee754/dbl-64/e_exp_data.c and e_log_data.c in glibc).
The gamma kernels (Sources/CKernels/gamma.c) compute the same steps four at a time, so they need
the same numbers: this script reads them from the libm loaded here (Debian 12, glibc 2.36),
at the offsets of `__exp_data` and `__log_data` in that build (found with `perf annotate` of
`__ieee754_exp_fma` and `__ieee754_log_fma`), and checks a few known values first.

Usage: python3 scripts/kernels/dump_libm_tables.py > Sources/CKernels/exp_log_tables.h
A different libm build has other offsets: the checks below then fail rather than write wrong
numbers; GammaKernelTests compares the kernels with libm bit for bit on every test run.
"""
import ctypes
import struct
import sys

EXP_SYMBOL_OFFSET = 0x39370  # exp@@GLIBC_2.29 in /lib/x86_64-linux-gnu/libm.so.6 (nm -D)
EXP_DATA_OFFSET = 0xAAB20  # __exp_data
LOG_DATA_OFFSET = 0xAB3A0  # __log_data

libm = ctypes.CDLL("libm.so.6")
base = ctypes.cast(libm.exp, ctypes.c_void_p).value - EXP_SYMBOL_OFFSET


def words(offset, n):
    return struct.unpack("<%dQ" % n, ctypes.string_at(base + offset, 8 * n))


def doubles(offset, n):
    return struct.unpack("<%dd" % n, ctypes.string_at(base + offset, 8 * n))


exp_head = doubles(EXP_DATA_OFFSET, 8)
exp_table = words(EXP_DATA_OFFSET + 0x70, 256)
log_head = doubles(LOG_DATA_OFFSET, 7)
log_near_one = doubles(LOG_DATA_OFFSET + 0x38, 11)
log_table = doubles(LOG_DATA_OFFSET + 0x90, 256)

# Known values (optimized-routines' exp_data.c and log_data.c): N / ln 2 with N = 128, the
# rounding shift 1.5 · 2^52, ln 2's high part, 2^(0/128) = 1 and its zero tail.
assert exp_head[0].hex() == "0x1.71547652b82fep+7", exp_head[0].hex()
assert exp_head[7] == 1.5 * 2**52
assert exp_table[0] == 0 and exp_table[1] == 0x3FF0000000000000
assert log_head[0].hex() == "0x1.62e42fefa3800p-1", log_head[0].hex()
assert abs(log_table[0] * 2 ** -0.5 - 1) < 0.1  # invc near 1/√2 at the table's start
assert log_near_one[0] == -0.5  # B[0] of the polynomial near 1

out = sys.stdout
out.write("// Written by scripts/kernels/dump_libm_tables.py: do not edit.\n")
out.write("// The coefficients and tables of glibc's exp and log (glibc 2.36; Szabolcs Nagy's methods\n")
out.write("// for Arm's optimized-routines, MIT licence), as gamma.c uses them.\n")
out.write("#ifndef HNB_EXP_LOG_TABLES_H\n#define HNB_EXP_LOG_TABLES_H\n\n#include <stdint.h>\n\n")
names = ["EXP_INV_LN2_N", "EXP_NEG_LN2_HI_N", "EXP_NEG_LN2_LO_N", "EXP_C2", "EXP_C3", "EXP_C4", "EXP_C5", "EXP_SHIFT"]
for name, value in zip(names, exp_head):
    out.write("#define %s %s\n" % (name, value.hex()))
for name, value in zip(["LOG_LN2_HI", "LOG_LN2_LO", "LOG_A0", "LOG_A1", "LOG_A2", "LOG_A3", "LOG_A4"], log_head):
    out.write("#define %s %s\n" % (name, value.hex()))
for i, value in enumerate(log_near_one):
    out.write("#define LOG_B%d %s\n" % (i, value.hex()))
out.write("\n// exp: for i < 128, [2i] the tail of 2^(i/128), [2i + 1] its bits less i << 45.\n")
out.write("static const uint64_t hnb_exp_table[256] = {\n")
for i in range(0, 256, 4):
    out.write("    " + ", ".join("0x%016xu" % w for w in exp_table[i : i + 4]) + ",\n")
out.write("};\n\n// log: for i < 128, [2i] = invc and [2i + 1] = log(c) of the i-th subinterval.\n")
out.write("static const double hnb_log_table[256] = {\n")
for i in range(0, 256, 2):
    out.write("    %s, %s,\n" % (log_table[i].hex(), log_table[i + 1].hex()))
out.write("};\n\n#endif\n")
