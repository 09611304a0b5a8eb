import ArgumentParser

/// `tp bench placement`: the cache-line round trip between two threads right now. On a VM whose vCPUs move between
/// placements (here ~80–130 ns in one, ~500 ns in the other) it tells which one a measurement is about to run in;
/// `scripts/pingpong-placement-sweep.sh` uses it to compare clients within one placement.
struct PlacementProbe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "placement", abstract: "Cache-line round trip between two threads now (which placement this is).")

    @Option(help: "Round trips per run.") var roundTrips: Int = 200_000
    @Option(help: "Runs (the median is printed).") var runs: Int = 3
    @Flag(help: "Print only the nanoseconds.") var quiet = false

    func validate() throws {
        guard roundTrips > 0, runs > 0 else { throw ValidationError("--round-trips and --runs must be positive") }
    }

    func run() throws {
        let ns = BenchReferenceMeasurements.cacheLineRoundTripNs(roundTrips: roundTrips, runs: runs)
        print(quiet ? "\(Int(ns.rounded()))" : "cache-line round trip: \(Int(ns.rounded())) ns (median of \(runs) runs of \(roundTrips))")
    }
}
