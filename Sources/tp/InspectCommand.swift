import ArgumentParser
import Foundation
import TensorPoolCore
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `tp inspect`: prints a region's superblock and, for a header ring, its slots — safe while a producer in
/// another process writes the ring (slots are read under the seqlock; in-progress and torn slots are shown
/// as such).
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a shared-memory region's superblock and (for a header ring) its slots.")

    @Argument(help: "A region URI (shm:file?path=...) or an absolute path.")
    var region: String

    @Option(help: "Directory the region must be under (default: the region file's own directory).")
    var root: String?

    @Flag(help: "Also print every header slot.")
    var slots = false

    @Flag(help: "Reprint periodically until interrupted.")
    var watch = false

    @Option(help: "Milliseconds between reprints with --watch.")
    var intervalMs = 1000

    @Option(help: "Stop after this many prints with --watch (0 = until interrupted).")
    var count = 0

    func validate() throws {
        _ = try WatchInterval(milliseconds: intervalMs, option: "--interval-ms")
    }

    func run() throws {
        let interval = try WatchInterval(milliseconds: intervalMs, option: "--interval-ms")
        let uri: ShmRegionURI
        do {
            uri = region.hasPrefix("shm:") || !region.hasPrefix("/")
                ? try ShmRegionURI(parsing: region) : try ShmRegionURI(path: region)
        } catch { throw ValidationError("\(error)") }
        let rootPath = root ?? String(uri.path[..<(uri.path.lastIndex(of: "/") ?? uri.path.startIndex)])
        let regionRoot: RegionRoot
        do { regionRoot = try RegionRoot(rootPath.isEmpty ? "/" : rootPath) } catch { throw ValidationError("\(error)") }
        let opened: InspectedRegion
        do { opened = try InspectedRegion.open(uri: uri, root: regionRoot) } catch { throw ValidationError("\(error)") }

        var printed = 0
        repeat {
            print(Self.render(opened, uri: uri, slots: slots), terminator: "")
            fflush(nil)
            printed += 1
            if watch && (count == 0 || printed < count) { interval.sleep() }
        } while watch && (count == 0 || printed < count)
    }

    static func render(_ region: InspectedRegion, uri: ShmRegionURI, slots: Bool) -> String {
        let sb = region.superblock
        var out = "region \(uri)\n"
        out += "  magic                 0x\(String(sb.magic, radix: 16, uppercase: true))\(sb.magic == RegionLayout.magic ? " (TPOLSHM1)" : "")\n"
        out += "  layout_version        \(sb.layoutVersion)\n"
        out += "  epoch                 \(sb.epoch)\n"
        out += "  stream_id             \(sb.streamId)\n"
        out += "  region_type           \(sb.regionType.displayName)\n"
        out += "  pool_id               \(sb.poolId)\n"
        out += "  nslots                \(sb.nslots)\n"
        out += "  slot_bytes            \(sb.slotBytes)\n"
        out += "  stride_bytes          \(sb.strideBytes)\n"
        out += "  pid                   \(sb.pid)\n"
        out += "  start_timestamp_ns    \(sb.startTimestampNs)\n"
        out += "  activity_timestamp_ns \(sb.activityTimestampNs)\n"
        guard slots, case .headerRing(let ring) = region else { return out }
        for i in 0..<ring.nslots {
            let snapshot = SlotSnapshot.read(ring, slot: i)
            let state = snapshot.stateName.padding(toLength: 9, withPad: " ", startingAt: 0)
            switch snapshot {
            case .empty:
                out += "  slot \(i) \(state)\n"
            case .writing(let frameId):
                out += "  slot \(i) \(state) frame_id=\(frameId) (in progress)\n"
            case .torn(let first, let second):
                out += "  slot \(i) \(state) commit_word 0x\(String(first, radix: 16)) -> 0x\(String(second, radix: 16)) during read (being rewritten)\n"
            case .committed(let h):
                let n = Int(min(h.ndims, 8))
                out += "  slot \(i) \(state) frame_id=\(h.frameId) dtype=\(h.dtype.displayName) order=\(h.majorOrder.displayName)"
                out += " shape=\(h.dims.prefix(n)) strides=\(h.strides.prefix(n)) values_len=\(h.valuesLenBytes)"
                out += " pool=\(h.poolId) payload_slot=\(h.payloadSlot) ts=\(h.timestampNs) meta=\(h.metaVersion)"
                // The pools are not opened here: their strides are unknown, so only the header's own rules are checked.
                if let failure = h.validate(headerIndex: UInt32(i), poolStrideBytes: Int.max) { out += " INVALID(\(failure))" }
                out += "\n"
            }
        }
        return out
    }
}
