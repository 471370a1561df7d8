// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "HighNeeds",
  platforms: [.macOS(.v13)],
  products: [
    .library(name: "HighNeedsCore", targets: ["HighNeedsCore"]),
    .library(name: "HighNeeds", targets: ["HighNeeds"]),
    .executable(name: "hnb", targets: ["hnb"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
  ],
  targets: [
    .systemLibrary(
      name: "CBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]
    ),
    .systemLibrary(
      name: "CLAPACKE",
      pkgConfig: "lapacke",
      providers: [.apt(["liblapacke-dev"])]
    ),
    .systemLibrary(
      name: "CXLSXWriter",
      pkgConfig: "xlsxwriter",
      providers: [.apt(["libxlsxwriter-dev"])]
    ),
    // The core (Sources/HighNeedsCore): the typed scenario (ScenarioInputs → resolve → Scenario),
    // the model, finance, mitigations, checks, one scenario's run, the random-number generators
    // and the sweep engine. No Yams and no file access: a back-edge to the I/O layer is a
    // compile error.
    .target(
      name: "HighNeedsCore",
      dependencies: ["CBLAS", "CLAPACKE"]
    ),
    // Reading (YAML and CSV → ScenarioInputs), provenance, manifests, writers, the report and
    // each command's work.
    .target(
      name: "HighNeeds",
      dependencies: [
        "HighNeedsCore",
        "CBLAS",
        "CLAPACKE",
        "CXLSXWriter",
        .product(name: "Yams", package: "Yams"),
      ],
      resources: [.copy("Resources")]
    ),
    .executableTarget(
      name: "hnb",
      dependencies: [
        "HighNeedsCore",
        "HighNeeds",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // What both test targets share: the seeded generator, element-wise and golden-file
    // expectations (Tests/TestSupport; docs/VERIFICATION.md).
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(
      name: "HighNeedsTests",
      dependencies: [
        "HighNeedsCore",
        "HighNeeds",
        "TestSupport",
        .product(name: "Numerics", package: "swift-numerics"),
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "hnbTests",
      dependencies: ["hnb", "HighNeedsCore", "HighNeeds", "TestSupport"]
    ),
  ]
)
