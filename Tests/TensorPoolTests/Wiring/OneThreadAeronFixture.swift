import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import AeronClient
import AeronDriver
import TensorPoolCore
@testable import TensorPool

/// The fixture of the one-thread allocation proofs: an embedded media driver (10 ms timer) and an Aeron client in
/// invoker mode, in a unique Aeron directory with a unique SHM root. After ``setUpRoles(_:)`` nothing runs on
/// another thread: the test drives `driver.doWork` and `aeron.doWork` itself, so every allocation of the whole
/// system lands on the test thread's malloc counter.
final class OneThreadAeronFixture {
    let aeronDir: String
    let shmRoot: String
    let driver: MediaDriver
    let aeron: Aeron
    /// The client context `aeron` was connected with (its resource linger bounds warm-ups).
    let clientContext: AeronContext
    var endpoint: AeronEndpointConfiguration { AeronEndpointConfiguration(aeronDir: aeronDir) }

    /// - Parameter name: part of the directory names, so a leftover directory names its test.
    init(_ name: String) throws {
        let unique = "\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"
        aeronDir = "/dev/shm/tp-\(name)-aeron-\(unique)"
        shmRoot = "/dev/shm/tp-\(name)-shm-\(unique)"
        mkdir(shmRoot, 0o770)
        var driverContext = MediaDriverContext()
        driverContext.aeronDirectory = aeronDir
        driverContext.ipcTermLength = 1 << 22
        driverContext.timerIntervalNs = 10_000_000
        driverContext.deleteDirectoryOnShutdown = true
        var clientContext = AeronContext(directory: aeronDir)
        clientContext.useConductorAgentInvoker = true
        clientContext.driverTimeoutMs = 60_000
        self.clientContext = clientContext
        let driver: MediaDriver
        do { driver = try MediaDriver(context: driverContext) } catch {
            try? FileManager.default.removeItem(atPath: shmRoot)
            throw error
        }
        self.driver = driver
        do {
            aeron = try Self.whileDriverRuns(driver) { try Aeron.connect(clientContext) }
        } catch {
            driver.close()
            try? FileManager.default.removeItem(atPath: shmRoot)
            throw error
        }
    }

    /// A producer on this fixture's SHM root and driver: 256 slots of 4 KiB, announce, QoS and heartbeat every
    /// 100 ms (so each fires many times during a measurement on the real clock).
    func producerConfiguration(user: String, streamId: UInt32? = nil) -> ProducerConfiguration {
        var c = ProducerConfiguration(user: user)
        if let streamId { c.streamId = streamId }
        c.shmRootDir = shmRoot
        c.headerNslots = 256
        c.payloadPools = [.init(poolId: 1, strideBytes: 4096)]
        c.aeron = endpoint
        c.announceIntervalMs = 100
        c.qosIntervalMs = 100
        c.heartbeatIntervalMs = 100
        return c
    }

    /// A consumer on this fixture's driver: hello and QoS every 100 ms.
    func consumerConfiguration(user: String, streamId: UInt32? = nil, consumerId: UInt32,
                               modeSettings: ConsumerModeSettings? = nil) -> ConsumerConfiguration {
        var c = ConsumerConfiguration(user: user)
        if let streamId { c.streamId = streamId }
        c.consumerId = consumerId
        if let modeSettings { c.modeSettings = modeSettings }
        c.aeron = endpoint
        c.helloIntervalMs = 100
        c.qosIntervalMs = 100
        return c
    }

    /// Producer options that discard log lines (formatting one allocates).
    var producerOptions: ProducerOptions {
        var o = ProducerOptions()
        o.logSink = .discard
        return o
    }

    /// Consumer options on this fixture's SHM root that discard log lines.
    var consumerOptions: ConsumerOptions {
        var o = ConsumerOptions(shmRootDir: shmRoot)
        o.logSink = .discard
        return o
    }

    /// Creates the roles: their publications and subscriptions wait for the driver, whose duty cycle runs on a
    /// helper thread meanwhile. When this returns, the driver belongs to the test thread again.
    func setUpRoles<Roles>(_ makeRoles: () throws -> Roles) throws -> Roles {
        try Self.whileDriverRuns(driver, makeRoles)
    }

    /// Closes the roles (removals wait for the driver's answers, so it runs on a helper thread meanwhile: the
    /// measurement is over), then the client, the driver and the SHM root.
    func close(roles closeRoles: () -> Void = {}) {
        Self.whileDriverRuns(driver) {
            closeRoles()
            aeron.close()
        }
        driver.close()
        try? FileManager.default.removeItem(atPath: shmRoot)
    }

    private static func whileDriverRuns<T>(_ driver: MediaDriver, _ body: () throws -> T) rethrows -> T {
        let helper = DriverHelperThread(driver: driver)
        do { try helper.start() } catch { Issue.record("the driver's helper thread did not start: \(error)") }
        defer {
            do { try helper.stop() } catch { Issue.record("the driver's helper thread did not stop: \(error)") }
        }
        return try body()
    }
}
