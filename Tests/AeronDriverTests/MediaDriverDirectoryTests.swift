import Foundation
import Testing
import SharedMemory
import AeronConcurrent
@testable import AeronDriver

@Suite struct MediaDriverDirectoryTests {
    @Test func createsStandardAeronDirectoryWithCDriverDefaults() throws {
        var context = testContext()
        context.cncLayout = .defaults
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let dir = context.aeronDirectory
        let cnc = try CncFile.open(path: dir + "/cnc.dat")
        #expect(cnc.cncVersion == 512)
        #expect(cnc.file.length == 48_238_592)
        #expect(cnc.layout == .defaults)
        #expect(cnc.pid == Int64(getpid()))
        #expect(cnc.clientLivenessTimeoutNs == 10_000_000_000)
        let ring = try ManyToOneRingBuffer(buffer: cnc.toDriverBuffer)
        #expect(ring.consumerHeartbeatTime > 0)
        #expect(ring.nextCorrelationId() == 1, "the driver takes correlation id 0, so the first client id is 1")
        #expect(FileManager.default.fileExists(atPath: dir + "/loss-report.dat"))
        #expect((try FileManager.default.attributesOfItem(atPath: dir + "/loss-report.dat")[.size] as? Int) == 1_048_576)
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dir + "/publications", isDirectory: &isDir) && isDir.boolValue)

        let counters = CountersReader(metadataBuffer: cnc.countersMetadataBuffer, valuesBuffer: cnc.countersValuesBuffer)
        #expect(counters.state(43) == .allocated)
        #expect(counters.typeId(43) == 0)
        #expect(counters.registrationId(43) == 43)
        #expect(counters.value(43) == 65536)
        #expect(counters.value(34) == 79104)
        #expect(counters.label(34).hasPrefix("Aeron software: version=1.53.0"))
        #expect(counters.label(15).hasPrefix("Errors"))
        #expect(counters.label(24) == "Client liveness timeouts")
        #expect(counters.ownerId(0) == -1)
        #expect(counters.keyBuffer(20).int32(at: 0) == 20)
        #expect(counters.state(46) == .unused)
    }

    @Test func refusesADirectoryWhoseDriverIsAliveAndReusesAStaleOne() throws {
        var context = testContext()
        context.deleteDirectoryOnShutdown = false
        defer { AeronDirectory.delete(context.aeronDirectory) }
        let first = try MediaDriver(context: context)
        var refusal: MediaDriverError?
        do { _ = try MediaDriver(context: context) } catch { refusal = error }
        guard case .activeDriverDetected(let dir, _, let pid)? = refusal else {
            Issue.record("expected activeDriverDetected, got \(String(describing: refusal))")
            return
        }
        #expect(dir == context.aeronDirectory)
        #expect(pid == Int64(getpid()))
        #expect("\(refusal!)".contains("active media driver detected"))

        // A driver that died without closing leaves an old heartbeat: the directory is stale and reused.
        let cnc = try CncFile.open(path: context.aeronDirectory + "/cnc.dat")
        let ring = try ManyToOneRingBuffer(buffer: cnc.toDriverBuffer)
        ring.setConsumerHeartbeatTime(Int64(Date().timeIntervalSince1970 * 1000) - 60_000)
        let marker = context.aeronDirectory + "/publications/stale.logbuffer"
        #expect(FileManager.default.createFile(atPath: marker, contents: Data([1])))
        let second = try MediaDriver(context: context)
        #expect(!FileManager.default.fileExists(atPath: marker), "the stale directory is wiped")
        second.close()
        _ = first
    }

    @Test func cleanCloseWritesMinusOneToTheDriverHeartbeat() throws {
        var context = testContext()
        context.deleteDirectoryOnShutdown = false
        defer { AeronDirectory.delete(context.aeronDirectory) }
        let driver = try MediaDriver(context: context)
        let cnc = try CncFile.open(path: context.aeronDirectory + "/cnc.dat")
        let ring = try ManyToOneRingBuffer(buffer: cnc.toDriverBuffer)
        let before = ring.consumerHeartbeatTime
        usleep(30_000)
        driver.doWork(nowNs: DriverClock.nanoTime() + 10_000_000_000)
        #expect(ring.consumerHeartbeatTime >= before)
        driver.close()
        #expect(ring.consumerHeartbeatTime == -1)
        // And a closed driver's directory can be taken over at once.
        let next = try MediaDriver(context: context)
        next.close()
    }

    @Test func launchedDriverServesOnItsOwnThread() throws {
        let context = testContext()
        let driver = try MediaDriver.launch(context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        let correlationId = try client.addSubscription("aeron:ipc", stream: 7)
        var ready = false
        let deadline = ContinuousClock.now + .seconds(10)
        while !ready && ContinuousClock.now < deadline {
            while let (typeId, length) = try client.receiver.copyNext() {
                if typeId == ControlResponseTypeId.onSubscriptionReady,
                   client.receiver.scratchBuffer.int64(at: 0) == correlationId, length == 12 { ready = true }
            }
            usleep(1000)
        }
        #expect(ready)
    }

    @Test func rejectsInvalidConfiguration() {
        var context = testContext()
        context.ipcTermLength = 1000
        #expect(throws: MediaDriverError.self) { try MediaDriver(context: context) }
    }
}

@Suite struct MediaDriverDirectorySafetyTests {
    @Test func refusesToWipeANonEmptyDirectoryThatIsNotAnAeronDirectory() throws {
        let dir = uniqueAeronDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(FileManager.default.createFile(atPath: dir + "/precious.txt", contents: Data("keep".utf8)))
        var context = testContext(dir)
        context.deleteDirectoryOnShutdown = false
        #expect(throws: MediaDriverError.self) { try MediaDriver(context: context) }
        #expect(FileManager.default.fileExists(atPath: dir + "/precious.txt"))
        // An empty directory is fine.
        try FileManager.default.removeItem(atPath: dir + "/precious.txt")
        let driver = try MediaDriver(context: context)
        driver.close()
    }
}
