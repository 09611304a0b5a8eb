@preconcurrency import Glibc
import AeronConcurrent
import ArgumentParser
import TensorPool

/// `tp stat`: the tensor-pool counters (producers, consumers, supervisors) of a driver, grouped by role instance.
struct StatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stat",
        abstract: "Show tensor-pool role counters (type ids 0x5450xxxx) from the driver's counters file.",
        discussion: "Reads cnc.dat without registering a client. `tp aeron stat` shows every counter.")

    @Option(help: "Aeron directory (default: $AERON_DIR or /dev/shm/aeron-$USER).")
    var aeronDir: String?

    @Option(help: "Refresh every N milliseconds (default: print once).")
    var watchMs: Int?

    func validate() throws {
        if let watchMs { _ = try WatchInterval(milliseconds: watchMs, option: "--watch-ms") }
    }

    func run() throws {
        // Below 10 ms the reprints would only burn the CPU the watched roles need.
        let interval = try watchMs.map { ms throws(ValidationError) in try WatchInterval(milliseconds: max(ms, 10), option: "--watch-ms") }
        let directory = aeronDir ?? ProcessInfoEnvironment.current["AERON_DIR"]
            ?? "/dev/shm/aeron-\(ProcessInfoEnvironment.current["USER"] ?? "default")"
        let cnc: CncFile
        do { cnc = try CncFile.open(path: directory + "/" + CncFileDescriptor.fileName) } catch {
            throw ValidationError("cannot open \(directory)/\(CncFileDescriptor.fileName): \(error)")
        }
        let reader = CountersReader(metadataBuffer: cnc.countersMetadataBuffer, valuesBuffer: cnc.countersValuesBuffer)
        repeat {
            let snapshots = TensorPoolCounterSnapshot.read(reader)
            print("tp stat: \(directory): \(snapshots.count) tensor-pool counters")
            for s in snapshots {
                print("\(pad(s.counterId, 4)): \(pad(s.value, 20)) - \(s.label)")
            }
            fflush(stdout)
            interval?.sleep()
        } while interval != nil
    }
}
