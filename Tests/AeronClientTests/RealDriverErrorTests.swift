import Testing
import Synchronization
import AeronClient
import AeronConcurrent
import AeronInteropSupport
#if canImport(Glibc)
import Glibc
#endif

/// Driver errors, driver death and client close against the real C 1.53 media driver.
@Suite(.serialized) struct RealDriverErrorTests {
    @Test func invalidChannelIsATypedDriverError() throws {
        let driver = try RealAeronMediaDriver()
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        #expect {
            _ = try aeron.addPublication(channel: "aeron:foo?x=1", streamId: 1)
        } throws: { error in
            guard case let AeronError.driver(code, message, correlationId)? = error as? AeronError else { return false }
            return code == .invalidChannel && !message.isEmpty && correlationId > 0
        }
        #expect {
            _ = try aeron.addExclusivePublication(channel: "aeron:ipc?term-length=1000", streamId: 1)
        } throws: { error in
            guard case let AeronError.driver(code, message, _)? = error as? AeronError else { return false }
            return code == .genericError && message.contains("term length")
        }
        // The client is still usable afterwards.
        let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 7)
        #expect(!subscription.isClosed)
    }

    @Test func asyncAddReportsPendingThenResult() throws {
        let driver = try RealAeronMediaDriver()
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path, invoker: true))
        defer { aeron.close() }
        let id = try aeron.asyncAddSubscription(channel: "aeron:ipc", streamId: 3)
        var subscription: Subscription?
        #expect(ClientTestSupport.await(aeron) { subscription = try? aeron.subscription(registrationId: id); return subscription != nil })
        #expect(subscription?.registrationId == id)
        let bad = try aeron.asyncAddSubscription(channel: "aeron:bogus", streamId: 3)
        var failure: AeronError?
        #expect(ClientTestSupport.await(aeron) {
            do { _ = try aeron.subscription(registrationId: bad); return false } catch { failure = error as? AeronError; return true }
        })
        if case .driver(let code, _, let correlationId)? = failure {
            #expect(code == .invalidChannel)
            #expect(correlationId == bad)
        } else {
            Issue.record("expected a driver error, got \(String(describing: failure))")
        }
    }

    @Test func closeRemovesPublicationAndIsIdempotent() throws {
        let driver = try RealAeronMediaDriver()
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        let publication = try aeron.addPublication(channel: "aeron:ipc", streamId: 5)
        try publication.close()
        #expect(publication.isClosed)
        #expect(publication.offer(UnsafeRawBufferPointer(start: nil, count: 0)) == .closed)
        // Closing twice is a no-op, not a second command.
        try publication.close()
    }

    @Test func killedDriverIsReportedAsDriverTimeout() throws {
        let driver = try RealAeronMediaDriver()
        let errors = Mutex<[AeronError]>([])
        var context = ClientTestSupport.context(driver.path, driverTimeoutMs: 1_500)
        context.errorHandler = { error in errors.withLock { $0.append(error) } }
        let aeron = try Aeron.connect(context)
        defer { aeron.close() }
        let publication = try aeron.addPublication(channel: "aeron:ipc", streamId: 9)
        let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 9)
        try driver.kill()
        let start = AeronClock.nanoTime()
        #expect(ClientTestSupport.await(aeron, timeoutS: 10) { aeron.isClosed })
        let elapsedMs = (AeronClock.nanoTime() - start) / 1_000_000
        if case .driverTimeout? = aeron.closeReason {} else { Issue.record("close reason \(String(describing: aeron.closeReason))") }
        #expect(elapsedMs < 8_000)
        #expect(errors.withLock { $0.contains { if case .driverTimeout = $0 { true } else { false } } })
        #expect(publication.isClosed && subscription.isClosed)
        #expect(publication.offer(UnsafeRawBufferPointer(start: nil, count: 0)) == .closed)
        #expect(throws: AeronError.self) { _ = try aeron.addSubscription(channel: "aeron:ipc", streamId: 1) }
    }

    @Test func noDriverTimesOutAtConnect() throws {
        let directory = TemporaryAeronDirectory()
        let start = AeronClock.nanoTime()
        #expect {
            _ = try Aeron.connect(ClientTestSupport.context(directory.path, driverTimeoutMs: 300))
        } throws: { error in
            if case .driverTimeout? = error as? AeronError { return true }
            return false
        }
        #expect(AeronClock.nanoTime() - start < 5_000_000_000)
    }

    @Test func incompatibleCncVersionIsRejectedAtOnce() throws {
        let directory = TemporaryAeronDirectory()
        mkdir(directory.path, 0o755)
        defer { unlink(directory.cncPath); rmdir(directory.path) }
        var layout = CncFileDescriptor.Layout.defaults
        layout.countersValuesBufferLength = 1024 * 128
        layout.countersMetadataBufferLength = 4 * 1024 * 128
        layout.errorLogBufferLength = 65536
        let cnc = try CncFile.create(path: directory.cncPath, layout: layout, startTimestampMs: AeronClock.epochMillis(), pid: Int64(getpid()))
        cnc.publishVersion(SemanticVersion.compose(major: 1, minor: 0, patch: 0))
        #expect {
            _ = try Aeron.connect(ClientTestSupport.context(directory.path, driverTimeoutMs: 5_000))
        } throws: { error in
            if case .incompatibleDriver(let text)? = error as? AeronError { return text.contains("version") }
            return false
        }
    }

    @Test func clientCloseReleasesItsResourcesInTheDriver() throws {
        let driver = try RealAeronMediaDriver()
        let observer = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { observer.close() }
        let watch = try observer.addSubscription(channel: "aeron:ipc", streamId: 11)
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        let publication = try aeron.addExclusivePublication(channel: "aeron:ipc", streamId: 11)
        let counter = try aeron.addCounter(typeId: 1001, label: "client-close-test")
        #expect(ClientTestSupport.await(observer) { watch.imageCount == 1 })
        let counterId = counter.id
        let reader = observer.countersReader
        #expect(reader.state(counterId) == .allocated)
        aeron.close()
        #expect(publication.isClosed && counter.isClosed)
        // The driver drops the client at its next timer tick: the image goes and the counter is reclaimed.
        #expect(ClientTestSupport.await(observer, timeoutS: 15) { watch.images.isEmpty || watch.images.allSatisfy { $0.isClosed } })
        #expect(ClientTestSupport.await(observer, timeoutS: 15) { reader.state(counterId) != .allocated })
    }
}

@Suite(.serialized) struct RealDriverAsyncRemoveTests {
    @Test func asyncRemoveCompletesAndUnknownIdsFail() throws {
        let driver = try RealAeronMediaDriver()
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path, invoker: true))
        defer { aeron.close() }
        let publication = try aeron.addPublication(channel: "aeron:ipc", streamId: 31)
        let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 31)
        let counter = try aeron.addCounter(typeId: 4000, label: "async remove")
        let ids = [try aeron.asyncRemove(publication), try aeron.asyncRemove(subscription), try aeron.asyncRemove(counter)].compactMap { $0 }
        #expect(ids.count == 3)
        #expect(publication.isClosed && subscription.isClosed && counter.isClosed)
        #expect(try aeron.asyncRemove(publication) == nil) // already closed: nothing sent
        for id in ids {
            #expect(ClientTestSupport.await(aeron) { (try? aeron.isRemoveComplete(correlationId: id)) == true })
        }
    }
}
