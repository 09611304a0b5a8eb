#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Synchronization
import AeronConcurrent
import SharedMemory

/// An embedded Aeron media driver for `aeron:ipc`, compatible with real Aeron C and Java clients (1.4x–1.5x).
///
/// It creates a standard Aeron directory (`cnc.dat`, `loss-report.dat`, `publications/`) with the C 1.53
/// driver's defaults and serves the client control protocol. Network channels are refused with an error that
/// says to run the Aeron C or Java media driver.
///
/// Two ways to host it:
/// - ``launch(_:)`` runs it on its own thread until ``close()``.
/// - ``init(context:)`` + ``doWork(nowNs:)`` lets the application call the duty cycle from its own loop
///   (invoker mode); call ``close()`` when done.
///
/// ```swift
/// var context = MediaDriverContext()
/// context.aeronDirectory = "/dev/shm/my-app"
/// let driver = try MediaDriver.launch(context)
/// defer { driver.close() }
/// ```
public final class MediaDriver: @unchecked Sendable {
    /// The settings the driver runs with.
    public let context: MediaDriverContext
    private let cnc: CncFile
    private let lossReport: MappedFile
    private let toDriver: ManyToOneRingBuffer
    private let conductor: DriverConductor
    private let closed = Atomic<Bool>(false)
    private var runner: AgentRunner<DriverConductorAgent, BackoffIdleStrategy>?

    /// Creates the Aeron directory and initialises the driver without starting a thread (invoker mode).
    ///
    /// - Throws: ``MediaDriverError/activeDriverDetected(directory:heartbeatAgeMs:pid:)`` when a live driver
    ///   owns the directory; configuration and I/O errors otherwise.
    public init(context: MediaDriverContext) throws(MediaDriverError) {
        try context.validate()
        self.context = context
        let nowMs = DriverClock.epochMs()
        try AeronDirectory.prepare(context.aeronDirectory, driverTimeoutMs: context.driverTimeoutMs, nowMs: nowMs)
        let cnc: CncFile
        do {
            cnc = try CncFile.create(path: context.aeronDirectory + "/" + CncFileDescriptor.fileName, layout: context.cncLayout,
                                     startTimestampMs: nowMs, pid: Int64(getpid()))
        } catch { throw .io("cannot create cnc.dat: \(error)") }
        self.cnc = cnc
        let counters = CountersManager(metadataBuffer: cnc.countersMetadataBuffer, valuesBuffer: cnc.countersValuesBuffer,
                                       freeToReuseTimeoutMs: context.counterFreeToReuseTimeoutMs)
        let systemCounters = try SystemCounters(counters: counters, nowMs: nowMs)
        let errorLog = DistinctErrorLog(buffer: cnc.errorLogBuffer)
        do {
            lossReport = try LossReportDescriptor.create(path: context.aeronDirectory + "/" + LossReportDescriptor.fileName,
                                                         length: context.lossReportLength, pageSize: context.cncLayout.filePageSize)
        } catch { throw .io("cannot create loss-report.dat: \(error)") }
        let toDriver: ManyToOneRingBuffer
        let toClients: BroadcastTransmitter
        do {
            toDriver = try ManyToOneRingBuffer(buffer: cnc.toDriverBuffer)
            toClients = try BroadcastTransmitter(buffer: cnc.toClientsBuffer)
        } catch { throw .invalidConfiguration("\(error)") }
        self.toDriver = toDriver
        conductor = DriverConductor(context: context, toDriver: toDriver, toClients: toClients, counters: counters,
                                    errorLog: errorLog, systemCounters: systemCounters, nowNs: DriverClock.nanoTime(), nowMs: nowMs)
        // The C driver takes one correlation id first, so the first client id is 1.
        _ = toDriver.nextCorrelationId()
        toDriver.setConsumerHeartbeatTime(nowMs)
        cnc.publishVersion()
    }

    /// Starts a driver on its own thread (named ``MediaDriverContext/threadName``), with the C driver's default
    /// backoff idle strategy (10 spins, 20 yields, then parks from 1 µs up to 1 ms).
    public static func launch(_ context: MediaDriverContext) throws(MediaDriverError) -> MediaDriver {
        let driver = try MediaDriver(context: context)
        let runner = AgentRunner(
            agent: DriverConductorAgent(conductor: driver.conductor, roleName: context.threadName),
            idleStrategy: BackoffIdleStrategy(maxSpins: 10, maxYields: 20, minParkPeriodNs: 1_000, maxParkPeriodNs: 1_000_000),
            errorHandler: { [errorLog = driver.conductor.errorLog] error in
                errorLog.record("driver agent error: \(error)", timestampMs: DriverClock.epochMs())
            },
            cpu: context.threadCpu)
        do { try runner.start() } catch {
            driver.close()
            throw .io("cannot start the driver thread: \(error)")
        }
        driver.runner = runner
        return driver
    }

    /// The Aeron directory clients connect to.
    public var aeronDirectory: String { context.aeronDirectory }

    /// One duty cycle (invoker mode): reads commands, updates publisher limits, runs the timer checks when due.
    /// Returns the work done (0 = idle). Allocation-free in steady state.
    @discardableResult
    public func doWork(nowNs: Int64 = DriverClock.nanoTime()) -> Int {
        guard !closed.load(ordering: .acquiring) else { return 0 }
        return conductor.doWork(nowNs: nowNs)
    }

    /// Stops the thread (if launched), writes −1 to the driver heartbeat so clients see a clean shutdown, and
    /// deletes the directory when ``MediaDriverContext/deleteDirectoryOnShutdown`` is set. Idempotent.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        if let runner {
            do { try runner.close() } catch {
                conductor.errorLog.record("driver thread did not stop cleanly: \(error)", timestampMs: DriverClock.epochMs())
            }
        }
        conductor.close()
        toDriver.setConsumerHeartbeatTime(-1)
        try? cnc.file.sync()
        if context.deleteDirectoryOnShutdown { AeronDirectory.delete(context.aeronDirectory) }
    }

    deinit { close() }

    // MARK: Introspection (tests, tools)

    /// Counters of this driver's `cnc.dat`.
    public var countersReader: CountersReader { conductor.counters.reader }
    /// Entries of the driver's distinct error log.
    public var errorLogEntries: [ErrorLogEntry] { ErrorLogReader.entries(cnc.errorLogBuffer) }
    /// Number of clients the driver currently tracks.
    /// Safe from any thread: the driver thread publishes the counts after each cycle that did work.
    public var clientCount: Int { conductor.publishedClientCount.load(ordering: .acquiring) }
    /// Number of IPC publications (logs) alive.
    public var publicationCount: Int { conductor.publishedPublicationCount.load(ordering: .acquiring) }
    /// Number of subscriptions alive.
    public var subscriptionCount: Int { conductor.publishedSubscriptionCount.load(ordering: .acquiring) }
}

/// The conductor as an ``Agent`` for ``AgentRunner`` (launched mode).
struct DriverConductorAgent: Agent {
    let conductor: DriverConductor
    let roleName: String

    mutating func doWork() throws -> Int {
        conductor.doWork(nowNs: DriverClock.nanoTime())
    }
}
