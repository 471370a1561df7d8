import ArgumentParser
import Foundation
import HighNeedsCommands

struct Init: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a starting scenario for any English local authority from the national data pack.",
    discussion: """
      Writes baseline.yaml (unmitigated, from the latest January census, 10 years), its CSV \
      inputs under data/, a sweep/ copy for hnb sweep, README.md (the assumptions log and the \
      figures to replace first) and assumptions.csv (every value with its status: data, \
      derived, national default or not stated) to --out, all or nothing. The folder runs as it \
      is: hnb validate lists the values an officer should enter. The method is in docs/INIT.md. \
      An unknown or ambiguous --la lists the nearest matches (exit 64).

      Examples:
        hnb init --la "Medway" --out my-la
        hnb init --la 887 --out my-la
        hnb init --la E06000035 --out my-la
      """)

  @Option(name: .customLong("la"), help: "The local authority: old 3-digit DfE code, ONS E-code or name (any case).")
  var la: String

  @Option(name: .long, help: "Output directory for the scenario folder (created or replaced).")
  var out: String

  @Option(
    name: .customLong("pack"),
    help: "The national data pack folder (default: Data/national in the current directory or above the hnb executable)."
  )
  var pack: String?

  func validate() throws {
    if la.trimmingCharacters(in: .whitespaces).isEmpty {
      throw ValidationError("--la is empty: give a code or a name.")
    }
  }

  func run() throws {
    try reportingErrors(usage: Init.self) {
      for line in try InitCommand.run(la: la, out: out, pack: pack, executable: CommandLine.arguments[0]) {
        print(line)
      }
    }
  }
}
