import CKernels

/// The vector kernels of `Sources/CKernels` (Philox blocks in bulk, the projection's loops over
/// draws): AVX2 when the processor has it, checked once at run time, plain code otherwise, with
/// the same numbers either way.
enum VectorKernels {
  /// The implementation in use: 2 for AVX2, 0 for plain code.
  ///
  /// Setting it (tests compare the two) takes AVX2 only where the processor has it.
  static var level: Int {
    get { Int(hnb_simd_level()) }
    set { _ = hnb_simd_set_level(Int32(newValue)) }
  }
}
