import Foundation
import Testing

@testable import HighNeeds

/// The Sobol estimators on the Ishigami function, whose indices are known analytically.
@Suite struct SobolTests {
  /// `f(x) = sin x₁ + a sin² x₂ + b x₃⁴ sin x₁`, `xᵢ` uniform on (−π, π).
  static func ishigami(_ u: [Double], a: Double = 7, b: Double = 0.1) -> Double {
    let x = u.map { -Double.pi + 2 * Double.pi * $0 }
    return sin(x[0]) + a * sin(x[1]) * sin(x[1]) + b * pow(x[2], 4) * sin(x[0])
  }

  /// Analytic indices for a = 7, b = 0.1: `V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2`,
  /// `V₁ = (1 + bπ⁴/5)²/2`, `V₂ = a²/8`, `V₁₃ = b²π⁸(1/18 − 1/50)`; `S₃ = 0`.
  static func analytic(a: Double = 7, b: Double = 0.1) -> (first: [Double], total: [Double]) {
    let pi4 = pow(Double.pi, 4)
    let v = a * a / 8 + b * pi4 / 5 + b * b * pi4 * pi4 / 18 + 0.5
    let v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5)
    let v2 = a * a / 8
    let v13 = b * b * pi4 * pi4 * (1.0 / 18 - 1.0 / 50)
    return ([v1 / v, v2 / v, 0], [(v1 + v13) / v, v2 / v, v13 / v])
  }

  @Test func ishigamiAnalyticIndicesLieWithinTheBootstrapIntervals() {
    let (first, total) = Self.analytic()
    #expect(abs(first[0] - 0.3139) < 1e-4 && abs(first[1] - 0.4424) < 1e-4)
    #expect(abs(total[0] - 0.5576) < 1e-4 && abs(total[2] - 0.2437) < 1e-4)
    let n = 8192
    let points = Sobol.points(factors: 3, samples: n, seed: 2024)
    #expect(points.count == n * 5)
    let result = Sobol.indices(points.map { Self.ishigami($0) }, factors: 3, samples: n, seed: 2024, bootstrap: 300)
    for i in 0..<3 {
      #expect(result.firstInterval[i].contains(first[i]), "S\(i + 1) = \(first[i]) not in \(result.firstInterval[i])")
      #expect(result.totalInterval[i].contains(total[i]), "ST\(i + 1) = \(total[i]) not in \(result.totalInterval[i])")
      #expect(result.firstInterval[i].upperBound - result.firstInterval[i].lowerBound < 0.1)
      #expect(result.totalInterval[i].upperBound - result.totalInterval[i].lowerBound < 0.1)
    }
  }

  @Test func sameSeedSameIndices() {
    let n = 256
    let y = Sobol.points(factors: 3, samples: n, seed: 5).map { Self.ishigami($0) }
    let a = Sobol.indices(y, factors: 3, samples: n, seed: 5, bootstrap: 50)
    let b = Sobol.indices(y, factors: 3, samples: n, seed: 5, bootstrap: 50)
    #expect(a.first == b.first && a.totalInterval == b.totalInterval)
  }
}
