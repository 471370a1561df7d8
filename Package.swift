// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "HighNeeds",
  platforms: [.macOS(.v13)],
  products: [
    .library(name: "HighNeedsCore", targets: ["HighNeedsCore"]),
    .library(name: "HighNeeds", targets: ["HighNeeds"]),
    .library(name: "HighNeedsReport", targets: ["HighNeedsReport"]),
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
      dependencies: ["CBLAS", "CLAPACKE", "CKernels"]
    ),
    // Vector kernels, AVX2 when the processor has it (Sources/CKernels): Philox blocks in bulk,
    // a draw's gammas (first candidates, boosts, Dirichlet shares) and the projection's loops
    // over draws.
    .target(name: "CKernels"),
    // Reading (YAML and CSV → ScenarioInputs), provenance, manifests, the output folder and the
    // writers of each command's tables. It sees neither the report nor the commands.
    .target(
      name: "HighNeeds",
      dependencies: [
        "HighNeedsCore",
        "CLAPACKE",
        .product(name: "Yams", package: "Yams"),
      ],
      resources: [.copy("Resources")]
    ),
    // The report (Sources/HighNeedsReport): Schools Forum papers built from the folders other
    // commands wrote, as Markdown, HTML/SVG and XLSX. It does not see the commands.
    .target(
      name: "HighNeedsReport",
      dependencies: ["HighNeedsCore", "HighNeeds", "CXLSXWriter"]
    ),
    // Each command's work (Sources/HighNeedsCommands): the command pipeline (load → check --out →
    // compute → write → print), the options' ranges and the benchmarks; `hnb` calls into it.
    .target(
      name: "HighNeedsCommands",
      dependencies: ["HighNeedsCore", "HighNeeds", "HighNeedsReport", "CBLAS"]
    ),
    .executableTarget(
      name: "hnb",
      dependencies: [
        "HighNeedsCommands",
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
        "HighNeedsReport",
        "HighNeedsCommands",
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
