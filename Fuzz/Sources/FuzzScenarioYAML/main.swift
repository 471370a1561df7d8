// Fuzzes a scenario YAML file through the public loader (`ScenarioLoader.load`): the input is
// written as `fuzz.yaml` beside copies of the Sutton scenarios and their CSVs, so that its
// `extends:` and file references resolve as the real scenarios' do.
import Foundation
import FuzzSupport
import HighNeeds

enum Target {
  static let scenario = Fuzz.path("sutton/fuzz.yaml")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenarioYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  Fuzz.write(Data(Fuzz.bytes(data, size)), to: Target.scenario)
  Fuzz.expectCleanOutcome("scenario YAML") { _ = try ScenarioLoader.load(path: Target.scenario) }
  return 0
}

Fuzz.main(fuzzScenarioYAML)
