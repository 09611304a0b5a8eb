#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import AeronClient
import AeronDriver
import TensorPoolCore
@testable import TensorPool

/// An embedded Swift media driver in a unique Aeron directory, a unique SHM root, and one Aeron client: the
/// in-process fixture of the producer/consumer tests. Roles are driven from the test thread (invoker mode).
final class WiringTestEnvironment {
    let name: String
    let aeronDir: String
    let shmRoot: String
    let driver: MediaDriver?
    let aeron: Aeron
    let logLines = LogCollector()

    /// - Parameter shmBase: the directory the SHM root is made in (a hugetlbfs mount for hugepage tests).
    init(_ name: String, externalAeronDir: String? = nil, shmBase: String = "/dev/shm") throws {
        let unique = "\(name)-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"
        self.name = unique
        shmRoot = "\(shmBase)/tp-wiring-shm-\(unique)"
        mkdir(shmRoot, 0o770)
        if let externalAeronDir {
            aeronDir = externalAeronDir
            driver = nil
        } else {
            aeronDir = "/dev/shm/tp-wiring-aeron-\(unique)"
            var context = MediaDriverContext()
            context.aeronDirectory = aeronDir
            context.ipcTermLength = 1 << 22
            context.deleteDirectoryOnShutdown = true
            driver = try MediaDriver.launch(context)
        }
        var clientContext = AeronContext(directory: aeronDir)
        clientContext.driverTimeoutMs = 10_000
        aeron = try Aeron.connect(clientContext)
    }

    deinit { close() }

    private var closed = false
    func close() {
        guard !closed else { return }
        closed = true
        aeron.close()
        driver?.close()
        try? FileManager.default.removeItem(atPath: shmRoot)
    }

    func producerConfiguration(streamId: UInt32 = 1, nslots: UInt32 = 64,
                               pools: [PayloadPoolConfiguration] = [.init(poolId: 1, strideBytes: 1 << 16)]) -> ProducerConfiguration {
        var c = ProducerConfiguration(user: "test")
        c.streamId = streamId
        c.shmRootDir = shmRoot
        c.headerNslots = nslots
        c.payloadPools = pools
        c.aeron = AeronEndpointConfiguration(aeronDir: aeronDir)
        return c
    }

    func consumerConfiguration(streamId: UInt32 = 1, consumerId: UInt32, mode: ConsumerMode = .stream,
                               decimation: UInt16 = 1) -> ConsumerConfiguration {
        var c = ConsumerConfiguration(user: "test")
        c.streamId = streamId
        c.consumerId = consumerId
        c.modeSettings = ConsumerModeSettings(mode: mode, decimation: decimation)
        c.aeron = AeronEndpointConfiguration(aeronDir: aeronDir)
        return c
    }

    var consumerOptions: ConsumerOptions {
        var o = ConsumerOptions(shmRootDir: shmRoot)
        o.logSink = logLines.sink
        return o
    }

    var producerOptions: ProducerOptions {
        var o = ProducerOptions()
        o.logSink = logLines.sink
        return o
    }

    /// Runs `step` until `condition` holds or `timeoutS` passes; returns whether it held.
    @discardableResult
    func pump(timeoutS: Double = 20, until condition: () -> Bool, _ step: (UInt64) throws -> Void) rethrows -> Bool {
        let deadline = TensorPoolClock.monotonicNs() + UInt64(timeoutS * 1e9)
        while TensorPoolClock.monotonicNs() < deadline {
            if condition() { return true }
            try step(TensorPoolClock.monotonicNs())
            usleep(100)
        }
        return condition()
    }
}

/// Collects log lines (thread-safe) so tests can assert on diagnostics without printing thousands of lines.
final class LogCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    var lines: [String] { lock.withLock { storage } }
    var sink: TensorPoolLogSink {
        TensorPoolLogSink { [self] line in lock.withLock { storage.append(line) } }
    }
}

/// Records every frame it is given and checks its payload against the synthetic pattern.
struct VerifyingHandler: TensorFrameHandler {
    var accepted: [UInt64] = []
    var corrupt: [UInt64] = []
    var torn = 0
    var progress: [FrameProgressUpdate] = []
    private var provisional: (seq: UInt64, ok: Bool)?

    mutating func onFrame(_ frame: borrowing TensorFrame) {
        let ok = frame.withBytes { SyntheticFramePattern.matches($0, epoch: frame.epoch, seq: frame.seq) }
        provisional = (frame.seq, ok)
    }

    mutating func onFrameCompleted(seq: UInt64, intact: Bool) {
        guard let p = provisional, p.seq == seq else { return }
        provisional = nil
        if !intact { torn += 1; return }
        if p.ok { accepted.append(seq) } else { corrupt.append(seq) }
    }

    mutating func onProgress(_ update: FrameProgressUpdate) { progress.append(update) }
}
