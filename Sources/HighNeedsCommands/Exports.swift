// The reading and writing library (and through it the core) is part of what `hnb` calls.
@_exported import HighNeeds
