import ArgumentParser
import AeronClient
import AeronConcurrent
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `tp aeron stat`: every counter of a driver (like AeronStat), read straight from `cnc.dat` without
/// registering a client.
struct AeronStatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stat", abstract: "Show the driver's counters (like AeronStat).")

    @OptionGroup var aeron: AeronDirectoryOptions
    @Flag(help: "Print once and exit instead of refreshing.") var once = false
    @Option(help: "Refresh interval in milliseconds.") var intervalMs: Int = 1000
    @Option(help: "Only counters with this type id.") var type: Int32?
    @Flag(help: "Also show type id, registration and owner ids.") var verbose = false

    func validate() throws {
        _ = try WatchInterval(milliseconds: intervalMs, option: "--interval-ms")
    }

    func run() throws {
        let interval = try WatchInterval(milliseconds: intervalMs, option: "--interval-ms")
        let cnc: CncFile
        do { cnc = try CncFile.open(path: aeron.directory + "/" + CncFileDescriptor.fileName) }
        catch { throw ValidationError("\(error)") }
        let reader = CountersReader(metadataBuffer: cnc.countersMetadataBuffer, valuesBuffer: cnc.countersValuesBuffer)
        let ring = try ManyToOneRingBuffer(buffer: cnc.toDriverBuffer)
        repeat {
            if !once { print("\u{1B}[H\u{1B}[2J", terminator: "") }
            let heartbeat = ring.consumerHeartbeatTime
            let age = heartbeat > 0 ? "\(AeronClock.epochMillis() - heartbeat) ms" : (heartbeat == -1 ? "driver shut down" : "none")
            print("Aeron Stat (CnC v\(SemanticVersion.string(cnc.cncVersion))), pid \(cnc.pid), heartbeat age \(age)")
            print("======================================================================")
            reader.forEach { id, typeId, label in
                if let type, type != typeId { return }
                let value = reader.value(id)
                if verbose {
                    print("\(pad(id, 3)): \(pad(value, 20)) - \(label) [type=\(typeId) reg=\(reader.registrationId(id)) owner=\(reader.ownerId(id))]")
                } else {
                    print("\(pad(id, 3)): \(pad(value, 20)) - \(label)")
                }
            }
            fflush(stdout)
            if !once { interval.sleep() }
        } while !once
    }
}

/// Right-aligns `value` in `width` columns.
func pad<T: BinaryInteger>(_ value: T, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}
