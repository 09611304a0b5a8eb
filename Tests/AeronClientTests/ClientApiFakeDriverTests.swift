import Testing
import Synchronization
import MallocCounter
import SharedMemory
import AeronConcurrent
@testable import AeronClient

/// The client APIs of 1.47+ drivers against a hand-built directory (no driver): response parsing, the session-id
/// fallback, bounded poll and the controlled fragment assembler, deterministically and allocation-checked.
@Suite struct ClientApiFakeDriverTests {
    /// A publication and a subscription image over one hand-built log.
    struct Rig {
        let fake: FakeDriverDirectory
        let aeron: Aeron
        let publication: ExclusivePublication
        let subscription: Subscription
        let image: Image
        let log: LogBuffers

        init(errorHandler: (@Sendable (AeronError) -> Void)? = nil,
             publicationErrorHandler: (@Sendable (PublicationError) -> Void)? = nil) throws {
            fake = try FakeDriverDirectory()
            var context = AeronContext(directory: fake.path)
            context.useConductorAgentInvoker = true
            context.driverTimeoutMs = 60_000
            context.errorHandler = errorHandler
            context.publicationErrorHandler = publicationErrorHandler
            aeron = try Aeron.connect(context)
            let logPath = try fake.createLog(name: "rig")
            fake.setCounter(0, Int64.max / 2)
            fake.setCounter(1, 0)
            let pubId = try aeron.asyncAddExclusivePublication(channel: "aeron:ipc", streamId: 1001)
            fake.inject(aeron, ControlResponseTypeId.onExclusivePublicationReady,
                        PublicationBuffersReady(correlationId: pubId, registrationId: pubId, sessionId: 77, streamId: 1001,
                                                publicationLimitCounterId: 0, channelStatusIndicatorId: -1, logFileName: logPath))
            publication = try #require(try aeron.exclusivePublication(registrationId: pubId))
            let subId = try aeron.asyncAddSubscription(channel: "aeron:ipc", streamId: 1001)
            fake.inject(aeron, ControlResponseTypeId.onSubscriptionReady, SubscriptionReady(correlationId: subId, channelStatusIndicatorId: -1))
            subscription = try #require(try aeron.subscription(registrationId: subId))
            fake.inject(aeron, ControlResponseTypeId.onAvailableImage,
                        ImageBuffersReady(correlationId: pubId, sessionId: 77, streamId: 1001, subscriptionRegistrationId: subId,
                                          subscriberPositionId: 1, logFileName: logPath, sourceIdentity: "aeron:ipc"))
            image = try #require(subscription.images.first)
            log = try LogBuffers(path: logPath)
        }

        func offer(_ count: Int, size: Int, firstIndex: Int = 0) {
            for i in firstIndex..<(firstIndex + count) {
                var message = [UInt8](repeating: UInt8(truncatingIfNeeded: i), count: size)
                message[0] = UInt8(truncatingIfNeeded: i)
                var result = message.withUnsafeBytes { publication.offer($0) }
                while result == .adminAction { result = message.withUnsafeBytes { publication.offer($0) } }
                #expect(result.position != nil)
            }
        }
    }

    // MARK: Responses

    @Test func malformedPublicationErrorAndSessionIdResponsesAreCounted() throws {
        let errors = Mutex<[AeronError]>([])
        let rig = try Rig(errorHandler: { e in errors.withLock { $0.append(e) } })
        defer { rig.aeron.close() }
        let frame = PublicationErrorFrame(registrationId: rig.publication.registrationId, destinationRegistrationId: -1, sessionId: 77,
                                          streamId: 1001, receiverId: -1, groupTag: -1, addressType: 1, sourcePort: 0,
                                          sourceAddress: [1, 0, 0, 127], errorCode: 13, errorMessage: "go away")
        let next = NextAvailableSessionId(correlationId: 5, nextSessionId: 9)
        var expected = 0
        for cut in [0, 1, 8, 43, 59, 63, 67, frame.encodedLength - 1] {
            rig.fake.inject(rig.aeron, ControlResponseTypeId.onPublicationError, frame, truncateTo: cut)
            expected += 1
        }
        for cut in [0, 4, 8, 11] {
            rig.fake.inject(rig.aeron, ControlResponseTypeId.onNextAvailableSessionId, next, truncateTo: cut)
            expected += 1
        }
        // A hostile message length: negative, and far beyond the record.
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 8)
        defer { scratch.deallocate() }
        let buffer = AtomicBuffer(base: scratch, capacity: 128)
        buffer.fill(0, at: 0, count: 128)
        frame.encode(into: buffer, at: 0)
        for hostile: Int32 in [-1, Int32.max, 61] {
            buffer.setInt32(hostile, at: 64)
            rig.aeron.conductor.injectResponse(typeId: ControlResponseTypeId.onPublicationError, buffer, length: frame.encodedLength)
            expected += 1
        }
        #expect(rig.aeron.responseErrorCounts.malformed == expected)
        #expect(errors.withLock { $0.filter { if case .malformedResponse = $0 { true } else { false } }.count } == expected)
        #expect(!rig.aeron.isClosed)
        // A well-formed one still gets through afterwards (no publication error handler: the error handler hears it).
        rig.fake.inject(rig.aeron, ControlResponseTypeId.onPublicationError, frame)
        #expect(errors.withLock { $0.last } == .driver(code: .imageRejected, message: "go away", correlationId: rig.publication.registrationId))
    }

    @Test func publicationErrorsGoToTheDedicatedHandlerOnlyForOwnPublications() throws {
        let errors = Mutex<[AeronError]>([])
        let publicationErrors = Mutex<[PublicationError]>([])
        let rig = try Rig(errorHandler: { e in errors.withLock { $0.append(e) } },
                          publicationErrorHandler: { e in publicationErrors.withLock { $0.append(e) } })
        defer { rig.aeron.close() }
        let own = PublicationErrorFrame(registrationId: rig.publication.registrationId, destinationRegistrationId: -1, sessionId: 77,
                                        streamId: 1001, receiverId: -1, groupTag: -1, addressType: 1, sourcePort: 4242,
                                        sourceAddress: [127, 0, 0, 1], errorCode: 13, errorMessage: "too slow")
        var foreign = own
        foreign.registrationId = 999_999
        rig.fake.inject(rig.aeron, ControlResponseTypeId.onPublicationError, foreign)
        rig.fake.inject(rig.aeron, ControlResponseTypeId.onPublicationError, own)
        var v6 = own
        v6.addressType = 2
        v6.sourceAddress = [UInt8](repeating: 0, count: 15) + [1]
        rig.fake.inject(rig.aeron, ControlResponseTypeId.onPublicationError, v6)
        let got = publicationErrors.withLock { $0 }
        try #require(got.count == 2)
        #expect(got[0].registrationId == rig.publication.registrationId)
        #expect(got[0].errorCode == .imageRejected && got[0].errorMessage == "too slow")
        #expect(got[0].sessionId == 77 && got[0].streamId == 1001 && got[0].sourcePort == 4242)
        #expect(got[0].sourceAddress == "127.0.0.1")
        #expect(got[1].sourceAddress == "::1")
        #expect(errors.withLock { $0.isEmpty })
    }

    @Test func nextSessionIdWithoutControlProtocolIsChosenLocally() throws {
        let fake = try FakeDriverDirectory()
        let aeron = try fake.connect()
        defer { aeron.close() }
        #expect(aeron.controlProtocolVersion == 0)
        let ring = fake.ring
        let tailBefore = ring.producerPosition
        let id = try aeron.asyncNextAvailableSessionId(streamId: 3)
        // Ready at once, and nothing was written for the driver.
        #expect(try aeron.nextAvailableSessionId(correlationId: id) != nil)
        #expect(ring.producerPosition == tailBefore)
        _ = try aeron.nextAvailableSessionId(streamId: 3)
        #expect(ring.producerPosition == tailBefore)
    }

    @Test func nextSessionIdCompletesOnTheDriversAnswer() throws {
        let fake = try FakeDriverDirectory()
        // Publish control protocol 1.0.0 as system counter 43 (type 0, registration id 43).
        let manager = CountersManager(metadataBuffer: fake.cnc.countersMetadataBuffer, valuesBuffer: fake.cnc.countersValuesBuffer)
        for id in 0...43 {
            var key = Int32(id)
            let allocated = try withUnsafeBytes(of: &key) { raw in try manager.allocate(typeId: 0, key: raw, label: "c\(id)", nowMs: 0) }
            manager.setRegistrationId(allocated, Int64(allocated))
        }
        manager.setValue(43, 65536)
        let aeron = try fake.connect()
        defer { aeron.close() }
        #expect(aeron.controlProtocolVersion == 65536)
        let id = try aeron.asyncNextAvailableSessionId(streamId: 3)
        var sent: [(Int32, GetNextAvailableSessionIdMessage)] = []
        _ = fake.ring.read { typeId, buffer, offset, length in
            if let m = try? GetNextAvailableSessionIdMessage(decoding: buffer, at: offset, length: length) { sent.append((typeId, m)) }
        }
        try #require(sent.count == 1)
        #expect(sent[0].0 == ControlCommandTypeId.getNextAvailableSessionId)
        #expect(sent[0].1.correlationId == id && sent[0].1.streamId == 3 && sent[0].1.clientId == aeron.clientId)
        #expect(try aeron.nextAvailableSessionId(correlationId: id) == nil)
        fake.inject(aeron, ControlResponseTypeId.onNextAvailableSessionId, NextAvailableSessionId(correlationId: id + 1000, nextSessionId: 1))
        #expect(try aeron.nextAvailableSessionId(correlationId: id) == nil)
        fake.inject(aeron, ControlResponseTypeId.onNextAvailableSessionId, NextAvailableSessionId(correlationId: id, nextSessionId: 4711))
        #expect(try aeron.nextAvailableSessionId(correlationId: id) == 4711)
        // A refusal is a typed driver error.
        let refused = try aeron.asyncNextAvailableSessionId(streamId: 4)
        fake.inject(aeron, ControlResponseTypeId.onError, ErrorResponse(offendingCommandCorrelationId: refused, errorCode: 11, errorMessage: "no"))
        #expect(throws: AeronError.driver(code: .genericError, message: "no", correlationId: refused)) { _ = try aeron.nextAvailableSessionId(correlationId: refused) }
    }

    @Test func rejectReasonLongerThanTheDriverAcceptsIsRefusedLocally() throws {
        let rig = try Rig()
        defer { rig.aeron.close() }
        let tail = rig.fake.ring.producerPosition
        #expect(throws: AeronError.self) { try rig.image.rejectImage(reason: String(repeating: "x", count: 1024)) }
        #expect(rig.fake.ring.producerPosition == tail)
        let id = try rig.aeron.asyncRejectImage(imageCorrelationId: rig.image.correlationId, position: 0, reason: String(repeating: "y", count: 1023))
        var sent: [RejectImageMessage] = []
        _ = rig.fake.ring.read { typeId, buffer, offset, length in
            if typeId == ControlCommandTypeId.rejectImage, let m = try? RejectImageMessage(decoding: buffer, at: offset, length: length) { sent.append(m) }
        }
        #expect(sent.map(\.correlationId) == [id])
        #expect(sent.first?.imageCorrelationId == rig.image.correlationId && sent.first?.reason.utf8.count == 1023)
        #expect(try rig.aeron.isOperationComplete(correlationId: id) == false)
        rig.fake.inject(rig.aeron, ControlResponseTypeId.onOperationSuccess, OperationSucceeded(correlationId: id))
        #expect(try rig.aeron.isOperationComplete(correlationId: id))
    }

    @Test func revokeSendsRemovePublicationWithTheRevokeFlag() throws {
        let rig = try Rig()
        defer { rig.aeron.close() }
        let id = try #require(try rig.aeron.asyncRevoke(rig.publication))
        #expect(rig.publication.isClosed)
        #expect(try rig.aeron.asyncRevoke(rig.publication) == nil)
        var sent: [RemovePublicationMessage] = []
        _ = rig.fake.ring.read { typeId, buffer, offset, length in
            if typeId == ControlCommandTypeId.removePublication, let m = try? RemovePublicationMessage(decoding: buffer, at: offset, length: length) { sent.append(m) }
        }
        #expect(sent.count == 1)
        #expect(sent.first?.correlationId == id && sent.first?.registrationId == rig.publication.registrationId && sent.first?.flags == 1)
    }

    // MARK: Bounded poll

    @Test func boundedPollStopsAtTheLimitPosition() throws {
        let rig = try Rig()
        defer { rig.aeron.close() }
        rig.offer(10, size: 100) // 160 bytes per frame
        var seen: [UInt8] = []
        #expect(rig.image.boundedPoll(limitPosition: 3 * 160, fragmentLimit: 100) { p, _ in seen.append(p[0]) } == 3)
        #expect(rig.image.position == 480)
        // A limit inside a frame: the frame starting before it is delivered whole.
        #expect(rig.image.boundedPoll(limitPosition: 480 + 1, fragmentLimit: 100) { p, _ in seen.append(p[0]) } == 1)
        #expect(rig.image.position == 640)
        #expect(rig.image.boundedPoll(limitPosition: 640, fragmentLimit: 100) { _, _ in } == 0)
        #expect(rig.image.boundedPoll(limitPosition: 100, fragmentLimit: 100) { _, _ in } == 0)
        #expect(rig.image.boundedPoll(limitPosition: .max, fragmentLimit: 2) { p, _ in seen.append(p[0]) } == 2)
        #expect(rig.image.boundedPoll(limitPosition: .max, fragmentLimit: 100) { p, _ in seen.append(p[0]) } == 4)
        #expect(seen == Array(0..<10))
        #expect(rig.image.position == 1600)
    }

    @Test func boundedControlledPollHonoursActionsAndTheLimit() throws {
        let rig = try Rig()
        defer { rig.aeron.close() }
        rig.offer(10, size: 100)
        var seen: [UInt8] = []
        // ABORT on message 2: messages 0 and 1 consumed, 2 stays.
        #expect(rig.image.boundedControlledPoll(limitPosition: 5 * 160, fragmentLimit: 100) { p, _ in
            if p[0] == 2 { return .abort }
            seen.append(p[0]); return .continuePoll
        } == 2)
        #expect(rig.image.position == 320)
        // BREAK after message 3.
        #expect(rig.image.boundedControlledPoll(limitPosition: 5 * 160, fragmentLimit: 100) { p, _ in
            seen.append(p[0]); return p[0] == 3 ? .breakPoll : .continuePoll
        } == 2)
        #expect(rig.image.position == 640)
        // COMMIT publishes the position while the poll runs; the limit stops at message 4.
        var committedSeen: [Int64] = []
        #expect(rig.image.boundedControlledPoll(limitPosition: 5 * 160, fragmentLimit: 100) { p, _ in
            seen.append(p[0]); committedSeen.append(rig.image.position); return .commit
        } == 1)
        #expect(committedSeen == [640])
        #expect(rig.image.position == 800)
        #expect(rig.image.boundedControlledPoll(limitPosition: .max, fragmentLimit: 100) { p, _ in seen.append(p[0]); return .commit } == 5)
        #expect(seen == Array(0..<10))
        #expect(rig.image.position == 1600)
    }

    // MARK: Controlled fragment assembler

    @Test func controlledAssemblerRedeliversAnAbortedReassembledMessage() throws {
        let rig = try Rig()
        defer { rig.aeron.close() }
        rig.offer(3, size: 3000) // 3 fragments each (max payload 1376)
        let assembler = ControlledFragmentAssembler()
        var delivered: [[UInt8]] = []
        var aborts = 0
        var polls = 0
        while delivered.count < 3 && polls < 100 {
            polls += 1
            _ = rig.subscription.controlledPoll(fragmentLimit: 10) { payload, header in
                assembler.onFragment(payload, header) { message, header in
                    // Abort every message the first time it is complete, then take it.
                    if aborts == delivered.count { aborts += 1; return .abort }
                    delivered.append(Array(message))
                    #expect(header.position == Int64(delivered.count) * 3104) // 1408 + 1408 + align(248 + 32)
                    return .breakPoll
                }
            }
        }
        #expect(aborts == 3)
        #expect(delivered.count == 3)
        for (i, m) in delivered.enumerated() { #expect(m == [UInt8](repeating: UInt8(i), count: 3000)) }
        #expect(assembler.droppedFragments == 0)
        #expect(rig.image.position == 3 * 3104)
    }

    @Test func plainFragmentAssemblerLosesAMessageAbortedOnItsLastFragment() throws {
        // Why ControlledFragmentAssembler exists: FragmentAssembler forgets a delivered message, so a controlled poll
        // that aborts on the message's last fragment never sees it again.
        let rig = try Rig()
        defer { rig.aeron.close() }
        rig.offer(1, size: 3000)
        let assembler = FragmentAssembler()
        var completions = 0
        for _ in 0..<5 {
            _ = rig.subscription.controlledPoll(fragmentLimit: 10) { payload, header in
                var complete = false
                assembler.onFragment(payload, header) { _, _ in complete = true }
                if complete { completions += 1; return completions == 1 ? .abort : .continuePoll }
                return .continuePoll
            }
        }
        #expect(completions == 1)
        #expect(assembler.droppedFragments == 1)
    }

    @Test func controlledAssemblerPassesUnfragmentedMessagesAndDropsBrokenOnes() throws {
        let rig = try Rig()
        defer { rig.aeron.close() }
        rig.offer(2, size: 100)
        let assembler = ControlledFragmentAssembler()
        var delivered: [Int] = []
        var first = true
        _ = rig.subscription.controlledPoll(fragmentLimit: 10) { p, h in
            assembler.onFragment(p, h) { m, _ in
                if first { first = false; return .abort }
                delivered.append(m.count); return .continuePoll
            }
        }
        #expect(delivered.isEmpty)
        _ = rig.subscription.controlledPoll(fragmentLimit: 10) { p, h in assembler.onFragment(p, h) { m, _ in delivered.append(m.count); return .continuePoll } }
        #expect(delivered == [100, 100])
        // A middle fragment without its beginning is dropped.
        rig.offer(1, size: 3000, firstIndex: 7)
        var skippedBegin = false
        _ = rig.subscription.controlledPoll(fragmentLimit: 10) { p, h in
            if !skippedBegin { skippedBegin = true; return .continuePoll }
            return assembler.onFragment(p, h) { m, _ in delivered.append(m.count); return .continuePoll }
        }
        #expect(delivered == [100, 100])
        #expect(assembler.droppedFragments == 2)
    }

    @Test func boundedPollAndControlledAssemblerAllocateNothing() throws {
        let rig = try Rig()
        defer { rig.aeron.close() }
        let controlled = ControlledFragmentAssembler()
        let plain = FragmentAssembler()
        let message = [UInt8](repeating: 7, count: 3000)
        var received = 0
        var aborted = 0
        var cleanPosition: Int64 = 0
        var abortNext = true
        func cycle(_ n: Int) {
            for i in 0..<n {
                let size = i % 3 == 0 ? 100 : 3000
                var result = message.withUnsafeBytes { rig.publication.offer(UnsafeRawBufferPointer(rebasing: $0[0..<size])) }
                while result == .adminAction { result = message.withUnsafeBytes { rig.publication.offer(UnsafeRawBufferPointer(rebasing: $0[0..<size])) } }
                let end = rig.publication.position
                while rig.image.position < end {
                    let limit = rig.image.position + 2048
                    if i % 2 == 0 {
                        _ = rig.image.boundedControlledPoll(limitPosition: limit, fragmentLimit: 16) { payload, header in
                            controlled.onFragment(payload, header) { _, _ in
                                abortNext.toggle()
                                if !abortNext { aborted += 1; return .abort }
                                received += 1
                                return .commit
                            }
                        }
                    } else {
                        _ = rig.image.boundedPoll(limitPosition: limit, fragmentLimit: 16) { payload, header in
                            plain.onFragment(payload, header) { _, _ in received += 1 }
                        }
                    }
                }
                cleanPosition = TermCleaner.clean(rig.log, from: cleanPosition, to: rig.image.position)
            }
        }
        cycle(2_000)
        let before = malloc_counter_thread_allocations()
        cycle(20_000)
        #expect(malloc_counter_thread_allocations() - before == 0)
        #expect(received == 22_000)
        #expect(aborted == 11_000)
    }

    @Test(arguments: [true, false])
    func prefetchNextOfferChangesNothingAndAllocatesNothing(frameLines: Bool) throws {
        try checkHintChangesNothing(messageLength: 200,
                                    beforeOffer: { $0.publication.prefetchNextOffer(frameLines: frameLines) }, afterOffer: { _ in })
    }

    /// 96-byte frames, so the position visits every alignment of a frame against a line.
    @Test func prefetchNextFrameChangesNothingAndAllocatesNothing() throws {
        try checkHintChangesNothing(messageLength: 44,
                                    beforeOffer: { $0.image.prefetchNextFrame() },
                                    afterOffer: { $0.subscription.prefetchNextFrames() })
    }

    /// Offers and polls `messageLength`-byte messages through several term rotations (the tail and the position
    /// cover the whole term, its last line included) with the cache hints `beforeOffer` and `afterOffer` called
    /// around each offer: no log byte and no position may change, nothing may be allocated, every message arrives.
    func checkHintChangesNothing(messageLength: Int, beforeOffer: (Rig) -> Void, afterOffer: (Rig) -> Void) throws {
        let rig = try Rig()
        let termLength = rig.log.termLength
        let frameLength = DataFrameHeader.alignedLength(DataFrameHeader.length + messageLength)
        func snapshot() -> [UInt8] {
            (0..<LogBufferDescriptor.partitionCount).flatMap { Array(rig.log.termBuffers[$0].bytes(at: 0, count: termLength)) }
                + Array(rig.log.metadata.bytes(at: 0, count: rig.log.metadata.capacity))
        }
        let fill: UInt8 = 0xA5
        let message = [UInt8](repeating: fill, count: messageLength)
        var received = 0
        var cleanPosition: Int64 = 0
        func cycle(_ n: Int) {
            for _ in 0..<n {
                beforeOffer(rig)
                var result = message.withUnsafeBytes { rig.publication.offer($0) }
                while result == .adminAction { result = message.withUnsafeBytes { rig.publication.offer($0) } }
                afterOffer(rig)
                while rig.image.poll(fragmentLimit: 16, { payload, _ in
                    if payload.count == messageLength && payload[0] == fill && payload[messageLength - 1] == fill { received += 1 }
                }) > 0 {}
                cleanPosition = TermCleaner.clean(rig.log, from: cleanPosition, to: rig.image.position)
            }
        }
        cycle(1_000)
        let before = snapshot()
        let position = rig.image.position
        beforeOffer(rig)
        afterOffer(rig)
        #expect(snapshot() == before)
        #expect(rig.image.position == position)
        let allocationsBefore = malloc_counter_thread_allocations()
        cycle(4 * termLength / frameLength)
        #expect(malloc_counter_thread_allocations() - allocationsBefore == 0)
        #expect(received == 1_000 + 4 * termLength / frameLength)
    }

    // MARK: Channel URIs

    @Test func channelUriStringBuilderBuildsResponseChannels() throws {
        let response = ChannelUriStringBuilder(media: .udp).controlEndpoint("localhost:10001").controlMode(.response)
        #expect(try response.build() == "aeron:udp?control=localhost:10001|control-mode=response")
        #expect(try response.responseCorrelationId(42).build() == "aeron:udp?control=localhost:10001|control-mode=response|response-correlation-id=42")
        #expect(try ChannelUriStringBuilder(media: .ipc).build() == "aeron:ipc")
        #expect(try ChannelUriStringBuilder(media: .ipc).sessionId(-5).termLength(65536).sessionId(7).mtu(nil).build()
                == "aeron:ipc?session-id=7|term-length=65536")
        #expect(ChannelUriStringBuilder(media: .ipc).responseCorrelationId(3).responseCorrelationId(nil).parameters.isEmpty)
        #expect(response.value("control-mode") == "response")
        #expect(throws: AeronError.self) { try ChannelUriStringBuilder(media: .ipc).set("a|b", "1").build() }
        #expect(throws: AeronError.self) { try ChannelUriStringBuilder(media: .ipc).set("alias", "x|y").build() }
        #expect(throws: AeronError.self) { try ChannelUriStringBuilder(media: .ipc).set("alias", "").build() }
    }
}
