import ArgumentParser
import Foundation
import TensorPoolCore
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `tp stress`: hidden helpers for multi-process stress tests.
struct Stress: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stress helpers for multi-process tests.", shouldDisplay: false,
        subcommands: [SeqlockWriter.self])
}

/// `tp stress seqlock-writer`: creates a region set and publishes frames as fast as it can, lapping readers.
/// Frame `f`'s payload is `FramePattern` for `f`, so a reader can verify every byte of every accepted frame.
/// Exits when its parent process goes away, after `--seconds`, or after `--frames`.
struct SeqlockWriter: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seqlock-writer", abstract: "Lapping seqlock writer.")

    @Option(help: "Region root directory (must exist).") var root: String
    @Option(help: "Stream id.") var stream: UInt32 = 1
    @Option(help: "Epoch.") var epoch: UInt64 = 1
    @Option(help: "Slots (power of two).") var nslots = 8
    @Option(help: "Payload bytes per frame (multiple of 8).") var payload = 256
    @Option(help: "Stop after this many seconds.") var seconds = 120
    @Option(help: "Stop after this many frames (0 = unlimited).") var frames: UInt64 = 0

    func validate() throws {
        // One day at most: bounds the conversion of the deadline to nanoseconds.
        guard seconds >= 0, seconds <= 86_400 else { throw ValidationError("--seconds must be between 0 and 86400, not \(seconds)") }
        // values_len_bytes is a u32 and the pool stride the next power of two: 1 GiB keeps both representable.
        guard payload > 0, payload % 8 == 0, payload <= 1 << 30 else {
            throw ValidationError("--payload must be a positive multiple of 8 up to 2^30, not \(payload)")
        }
    }

    func run() throws {
        let page = HugepageBacking.pageSize
        let stride = max(page, 1 << (Int.bitWidth - (payload - 1).leadingZeroBitCount))
        let regions = try RegionSet.create(
            .init(root: root, streamId: stream, epoch: epoch, nslots: nslots, pools: [.init(poolId: 1, strideBytes: stride)]),
            nowNs: Self.nowNs())
        defer { regions.close() }
        let writer = try SlotWriter(regions: regions)
        let header = TensorSlotHeader(
            valuesLenBytes: UInt32(payload), poolId: 1, dtype: .uint64, majorOrder: .row, ndims: 1,
            dims: TensorDims([Int32(payload / 8)]))
        print("READY \(regions.headerRingURI) \(regions.poolURIs[0])")
        fflush(nil)
        let parent = getppid()
        let deadline = Self.nowNs() + UInt64(seconds) * 1_000_000_000
        var frameId: UInt64 = 0
        while frames == 0 || frameId < frames {
            guard let claim = writer.claim(frameId: frameId, poolId: 1) else { throw ValidationError("claim failed") }
            FramePattern.fill(claim.payload, frameId: frameId, count: payload)
            var h = header
            h.timestampNs = frameId
            if let failure = writer.commit(claim, header: h) { throw ValidationError("commit failed: \(failure)") }
            frameId += 1
            if frameId & 0xFFF == 0 {
                let now = Self.nowNs()
                regions.refreshActivity(nowNs: now)
                if getppid() != parent || now > deadline { break }
            }
        }
        print("DONE frames=\(frameId)")
    }

    static func nowNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
