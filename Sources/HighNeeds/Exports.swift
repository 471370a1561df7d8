// The core (the typed scenario, the model and the run) is part of this library's API.
@_exported import HighNeedsCore
