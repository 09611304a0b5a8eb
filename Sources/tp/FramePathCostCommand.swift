@preconcurrency import Glibc
import AeronClient
import AeronConcurrent
import AeronDriver
import ArgumentParser
import Foundation
import TensorPool
import TensorPoolCore

/// `tp bench frame-path` (hidden): the CPU cost of one frame through the tensor-pool frame path, independent of
/// machine load. Media driver, client conductor, producer and consumer all run on ONE thread in invoker mode;
/// each frame is one publish (copy or claim/commit), one consumer duty cycle that reads it, one producer duty
/// cycle, and 1/16 of a driver and conductor duty cycle. No thread ever waits for another, so instructions per
/// frame do not depend on what else runs on the machine.
///
/// Count with `perf stat -D -1 --control fifo:CTL,ACK -e instructions:u,cycles:u -- tp bench frame-path
/// --perf-ctl CTL --perf-ack ACK ...`: the command enables the counters only around the measured frames.
struct FramePathCost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frame-path", abstract: "Per-frame CPU cost of publish + consume on one thread.", shouldDisplay: false)

    @Option var bytes: Int = 65536
    @Option(help: "copy or claim") var path: String = "copy"
    @Option(help: "full or header") var read: String = "full"
    @Option var frames: Int = 1_000_000
    @Option var nslots: UInt32 = 4
    @Option(help: "perf stat control FIFO (enable/disable around the measured frames).") var perfCtl: String?
    @Option(help: "perf stat acknowledgement FIFO.") var perfAck: String?

    func run() throws {
        guard path == "copy" || path == "claim" else { throw ValidationError("--path copy|claim") }
        guard read == "full" || read == "header" else { throw ValidationError("--read full|header") }
        let unique = "\(getpid())"
        let aeronDir = "/dev/shm/tp-framepath-aeron-\(unique)"
        let shmRoot = "/dev/shm/tp-framepath-shm-\(unique)"
        mkdir(shmRoot, 0o770)
        defer { try? FileManager.default.removeItem(atPath: shmRoot) }
        var driverContext = MediaDriverContext()
        driverContext.aeronDirectory = aeronDir
        driverContext.ipcTermLength = 16 << 20
        driverContext.deleteDirectoryOnShutdown = true
        let driver = try MediaDriver(context: driverContext)
        defer { driver.close() }
        // The driver runs on a helper thread while the roles are set up (adding streams waits for it).
        let helper = AgentRunner(agent: MediaDriverAgent(driver: driver),
                                 idleStrategy: SleepingIdleStrategy(sleepPeriodNs: 100_000))
        try helper.start()
        var clientContext = AeronContext(directory: aeronDir)
        clientContext.useConductorAgentInvoker = true
        clientContext.driverTimeoutMs = 60_000
        let aeron: Aeron
        do { aeron = try Aeron.connect(clientContext) } catch { try? helper.close(); throw error }
        defer { aeron.close() }
        let endpoint = AeronEndpointConfiguration(aeronDir: aeronDir)

        var producerConfig = ProducerConfiguration(user: "framepath")
        producerConfig.shmRootDir = shmRoot
        producerConfig.headerNslots = nslots
        producerConfig.payloadPools = DemoFrameOptions.pools(for: bytes)
        producerConfig.aeron = endpoint
        producerConfig.producerId = 1
        var producerOptions = ProducerOptions()
        producerOptions.logSink = .discard
        var consumerConfig = ConsumerConfiguration(user: "framepath")
        consumerConfig.consumerId = 7
        consumerConfig.aeron = endpoint
        var consumerOptions = ConsumerOptions(shmRootDir: shmRoot)
        consumerOptions.logSink = .discard
        let producer: TensorPoolProducer
        let consumer: TensorPoolConsumer<FramePathHandler>
        do {
            producer = try TensorPoolProducer(configuration: producerConfig, aeron: aeron, options: producerOptions)
            consumer = try TensorPoolConsumer(configuration: consumerConfig, aeron: aeron,
                                              handler: FramePathHandler(readPayload: read == "full"), options: consumerOptions)
        } catch {
            try? helper.close()
            throw error
        }
        defer { consumer.close(); producer.close() }
        try helper.close()

        let source = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes, 8), alignment: 4096)
        defer { source.deallocate() }
        for i in 0..<source.count { source[i] = UInt8(truncatingIfNeeded: i &* 131) }
        let payload = UnsafeRawBufferPointer(start: source.baseAddress, count: bytes)
        let layout = TensorLayout(dtype: .uint8, shape: [bytes])
        let zeroCopy = path == "claim"
        // A local copy: reading an ArgumentParser `@Option` property costs a generic metadata lookup (~500
        // instructions) per access.
        let bytes = self.bytes

        func cycle(_ now: UInt64) throws {
            _ = driver.doWork(nowNs: Int64(now))
            _ = aeron.doWork(nowNs: Int64(now))
            _ = try producer.doWork(nowNs: now)
            _ = try consumer.doWork(nowNs: now)
        }
        let deadline = TensorPoolClock.monotonicNs() + 30_000_000_000
        while consumer.mappedEpoch != producer.epoch {
            let now = TensorPoolClock.monotonicNs()
            guard now < deadline else { throw ValidationError("the consumer did not map the producer's regions") }
            try cycle(now)
        }

        var failures = 0
        var lastFailure = ""
        func frame(_ index: Int) throws {
            let now = TensorPoolClock.monotonicNs()
            let result: ProducerPublishResult
            if zeroCopy {
                guard let claim = producer.claim(byteCount: bytes, nowNs: now) else { failures += 1; try cycle(now); return }
                if bytes > 0 { claim.payload.baseAddress!.copyMemory(from: source.baseAddress!, byteCount: bytes) }
                result = producer.commit(claim, layout: layout, valuesLength: bytes, timestampNs: now, nowNs: now)
            } else {
                result = producer.publish(payload, layout: layout, timestampNs: now, nowNs: now)
            }
            if case .published = result {} else { failures += 1; lastFailure = "\(result)" }
            _ = try consumer.doWork(nowNs: now)
            _ = try producer.doWork(nowNs: now)
            if index & 15 == 0 {
                _ = driver.doWork(nowNs: Int64(now))
                _ = aeron.doWork(nowNs: Int64(now))
            }
        }
        for i in 0..<max(frames / 10, 1000) { try frame(i) }

        let control = try perfCtl.map { ctl in
            try FramePathPerfControl(ctl: ctl, ack: perfAck ?? "")
        }
        failures = 0
        let deliveredBefore = consumer.handler.delivered
        control?.send("enable")
        let start = TensorPoolClock.monotonicNs()
        try Self.measuredFrames(frames, frame)
        let end = TensorPoolClock.monotonicNs()
        control?.send("disable")
        let delivered = consumer.handler.delivered - deliveredBefore
        print("RESULT frame-path bytes=\(bytes) path=\(path) read=\(read) frames=\(frames) delivered=\(delivered) failures=\(failures) \(lastFailure) ns_per_frame=\(String(format: "%.1f", Double(end - start) / Double(frames))) checksum=\(consumer.handler.checksum & 0xffff)")
        if delivered != UInt64(frames) || failures != 0 { throw ExitCode(1) }
    }
}

extension FramePathCost {
    /// The measured frames, out of line so `valgrind --tool=callgrind --toggle-collect='*measuredFrames*'` counts
    /// exactly them.
    @inline(never)
    static func measuredFrames(_ frames: Int, _ frame: (Int) throws -> Void) rethrows {
        for i in 0..<frames { try frame(i) }
    }
}

/// perf stat's control FIFOs: `enable` / `disable`, each acknowledged.
final class FramePathPerfControl {
    private let ctl: Int32
    private let ack: Int32

    init(ctl: String, ack: String) throws {
        self.ctl = open(ctl, O_WRONLY)
        self.ack = ack.isEmpty ? -1 : open(ack, O_RDONLY)
        guard self.ctl >= 0 else { throw ValidationError("cannot open \(ctl)") }
    }

    deinit {
        close(ctl)
        if ack >= 0 { close(ack) }
    }

    func send(_ command: String) {
        let line = command + "\n"
        _ = line.withCString { write(ctl, $0, strlen($0)) }
        if ack >= 0 {
            var buffer = [UInt8](repeating: 0, count: 16)
            _ = buffer.withUnsafeMutableBytes { read(ack, $0.baseAddress, 16) }
        }
    }
}

/// Sums the payload inside the seqlock read (four accumulators, like the C prototype's consumer).
struct FramePathHandler: TensorFrameHandler {
    let readPayload: Bool
    var delivered: UInt64 = 0
    var checksum: UInt64 = 0
    private var pending: UInt64 = 0

    init(readPayload: Bool) { self.readPayload = readPayload }

    mutating func onFrame(_ frame: borrowing TensorFrame) {
        pending = readPayload ? frame.withBytes { PayloadWordSum.of($0) } : UInt64(frame.header.valuesLenBytes)
    }

    mutating func onFrameCompleted(seq: UInt64, intact: Bool) {
        guard intact else { return }
        delivered &+= 1
        checksum &+= pending
    }
}
