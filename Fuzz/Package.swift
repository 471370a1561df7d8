// swift-tools-version:6.0
// libFuzzer targets for the scenario and calibration loaders of HighNeeds, kept in their own
// package so that the main Package.swift is untouched. Build with
//   swift build -c release -Xswiftc -sanitize=fuzzer,address --scratch-path .build
// (or `make fuzz-short` / `make fuzz-long` from the repository root); see docs/FUZZING.md.
import PackageDescription

// libFuzzer's runtime does not link with the system's gold linker (it fails on the runtime's
// DWARF), so the fuzz executables link with the toolchain's lld.
let fuzzExecutable: [LinkerSetting] = [.unsafeFlags(["-use-ld=lld"])]

let package = Package(
  name: "HighNeedsFuzz",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(name: "HighNeeds", path: "..")
  ],
  targets: [
    .target(name: "CFuzzDriver"),
    .target(
      name: "FuzzSupport",
      dependencies: ["CFuzzDriver", .product(name: "HighNeeds", package: "HighNeeds")]
    ),
    .executableTarget(
      name: "FuzzScenarioYAML",
      dependencies: ["FuzzSupport", .product(name: "HighNeeds", package: "HighNeeds")],
      linkerSettings: fuzzExecutable
    ),
    .executableTarget(
      name: "FuzzScenarioCSV",
      dependencies: ["FuzzSupport", .product(name: "HighNeeds", package: "HighNeeds")],
      linkerSettings: fuzzExecutable
    ),
    .executableTarget(
      name: "FuzzCalibration",
      dependencies: ["FuzzSupport", .product(name: "HighNeeds", package: "HighNeeds")],
      linkerSettings: fuzzExecutable
    ),
  ]
)
