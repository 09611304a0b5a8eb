import Foundation
import Testing
import AeronClient
import TensorPoolBridgeCodecs
import TensorPoolCore
@testable import TensorPool

/// The source's data-source beacon over the bridge (`BridgeDataSourceAnnounce`, schema 901 template 3): UDP
/// loopback on the real Aeron C media driver, as ``BridgeTests``. Fails (does not skip) without the pyaeron wheel:
/// run scripts/install-test-deps.sh (TP_PYAERON_SO).
@Suite(.serialized) struct BridgeAnnounceTests {
    /// Encoder and decoder agree on every field; the sender's encoding (``BridgeAnnounceOutbox``) is what the
    /// receiver's judge (``BridgeAnnounceInbox``) reads back, and it refuses what a consumer would refuse.
    @Test func codecAndOutboxRoundTrip() throws {
        let bytes = try BridgeChunkCrafter().announce(streamId: 4, producerId: 77, epoch: 0x1234_5678_9ABC,
                                                       metaVersion: 12, name: Array("cam-A".utf8),
                                                       summary: Array("UINT8 [480, 640]".utf8))
        #expect(bytes.count == 8 + 20 + 4 + 5 + 4 + 16)
        try bytes.withUnsafeBytes { raw in
            #expect(BridgeWire.isAnnounceMessage(raw) && !BridgeWire.isMetadataMessage(raw))
            var d = try BridgeDataSourceAnnounceDecoder(wrapAndCheckHeader: raw)
            #expect(d.streamId == 4 && d.producerId == 77 && d.epoch == 0x1234_5678_9ABC && d.metaVersion == 12)
            #expect(try d.nameString() == "cam-A")
            #expect(try d.summaryString() == "UINT8 [480, 640]")
            #expect(try d.encodedLength() == bytes.count)
        }

        let info = DataSourceInfo(streamId: 4, producerId: 77, epoch: 9, metaVersion: 3, name: "cam-A", summary: "UINT8 [64]")
        let outbox = BridgeAnnounceOutbox(intervalNs: 1_000_000)
        #expect(outbox.stage(info, streamId: 4))
        #expect(outbox.message.isDue(nowNs: 0))
        let inbox = BridgeAnnounceInbox()
        let encoded = UnsafeRawBufferPointer(start: outbox.message.buffer, count: outbox.message.length)
        guard case .updated(let decoded) = inbox.accept(encoded, sourceStreamId: 4) else {
            Issue.record("the outbox's message was not accepted")
            return
        }
        #expect(decoded == info)
        guard case .unchanged = inbox.accept(encoded, sourceStreamId: 4) else {
            Issue.record("a byte-identical re-send was not recognised")
            return
        }
        guard case .foreignStream = inbox.accept(encoded, sourceStreamId: 5) else {
            Issue.record("another stream's beacon was accepted")
            return
        }
        // Absent name and summary travel as empty fields and decode as nil.
        let anonymous = DataSourceInfo(streamId: 4, producerId: 77, epoch: 9, metaVersion: 4, name: nil, summary: nil)
        #expect(outbox.stage(anonymous, streamId: 4))
        guard case .updated(let bare) = inbox.accept(UnsafeRawBufferPointer(start: outbox.message.buffer, count: outbox.message.length),
                                                     sourceStreamId: nil) else {
            Issue.record("anonymous beacon not accepted")
            return
        }
        #expect(bare == anonymous)
        // What a consumer would refuse is not encoded, and nothing (not the previous beacon) is sent.
        var oversize = info
        oversize.name = String(repeating: "n", count: DataSourceInfo.maxNameBytes + 1)
        #expect(!outbox.stage(oversize, streamId: 4))
        #expect(!outbox.message.isDue(nowNs: .max))
        oversize = info
        oversize.summary = "caf\u{E9}"
        #expect(!outbox.stage(oversize, streamId: 4))
    }

    /// The receiver's summary: the source's with the bridge origin appended when both fit 1024 bytes.
    @Test func bridgedSummaryKeepsTheSourceSummaryFirst() {
        typealias R = TensorPoolBridgeReceiver
        #expect(R.bridgedSummary(source: "UINT8 [64]", local: "bridged from x") == "UINT8 [64]; bridged from x")
        #expect(R.bridgedSummary(source: nil, local: "bridged from x") == "bridged from x")
        #expect(R.bridgedSummary(source: "", local: "bridged from x") == "bridged from x")
        #expect(R.bridgedSummary(source: "UINT8 [64]", local: nil) == "UINT8 [64]")
        #expect(R.bridgedSummary(source: nil, local: nil) == nil)
        let long = String(repeating: "s", count: 1020)
        #expect(R.bridgedSummary(source: long, local: "bridged from x") == long, "origin appended past 1024 bytes")
    }

    /// The source's name and summary reach the SHM consumer of the receiver's stream through the receiver's
    /// producer; the sender forwards a beacon once per change, not for the source's identical re-sends (the
    /// periodic bridge re-send is off here: 60 s).
    @Test func sourceNameReachesConsumersOfTheReceiverStreamOncePerChange() throws {
        let chain = try BridgeTestChain("bridge-announce", metadataIntervalNs: 60_000_000_000, sourceAnnounceIntervalMs: 10)
        try chain.connect()
        let now = TensorPoolClock.monotonicNs()
        chain.source.setDataSource(name: "cam-A", summary: "UINT8 [64]", nowNs: now)
        let named = try chain.pump { chain.consumer.dataSourceInfo?.name == "cam-A" }
        try #require(named, "source name did not reach T's consumer (\(String(describing: chain.consumer.dataSourceInfo))): sender \(describe(chain.sender.statistics)) receiver \(describe(chain.receiver.statistics))")
        let info = try #require(chain.consumer.dataSourceInfo)
        #expect(info.summary == "UINT8 [64]; \(chain.receiverSummary)")
        #expect(info.streamId == BridgeTestChain.targetStream, "T's beacon is about T")
        #expect(info.epoch == chain.receiver.target.epoch && info.producerId == chain.receiver.target.configuration.producerId,
                "the receiver's producer keeps its own identity")
        #expect(chain.receiver.target.dataSourceName == "cam-A")

        // The source re-sends the same beacon every 10 ms: the sender forwards nothing more.
        let sent = chain.sender.statistics[.announceSent]
        let updates = chain.receiver.statistics[.announceUpdates]
        let sourceAnnounces = chain.source.statistics[.announcesSent]
        #expect(try chain.pump { chain.source.statistics[.announcesSent] >= sourceAnnounces + 5 }, "source did not re-announce")
        try chain.sendFrame(TensorLayout(dtype: .uint8, shape: [64]))
        #expect(chain.sender.statistics[.announceSent] == sent, "an identical source beacon was forwarded again")
        #expect(chain.receiver.statistics[.announceUpdates] == updates)

        // A change is forwarded once and reaches T's consumer.
        chain.source.setDataSource(name: "cam-B", summary: nil, nowNs: TensorPoolClock.monotonicNs())
        #expect(try chain.pump { chain.consumer.dataSourceInfo?.name == "cam-B" }, "renamed source not seen")
        #expect(chain.consumer.dataSourceInfo?.summary == chain.receiverSummary, "no source summary: the origin alone")
        #expect(chain.sender.statistics[.announceSent] == sent + 1)
        #expect(chain.receiver.statistics[.announceUpdates] == updates + 1)
        let r = chain.receiver.statistics
        #expect(r[.malformedMessages] == 0 && r[.invalidAnnounces] == 0 && r[.foreignStreamDrops] == 0, "\(describe(r))")
    }

    /// Hostile `BridgeDataSourceAnnounce`s are counted and ignored; a template this receiver does not know is
    /// counted as malformed and dropped without disturbing anything.
    @Test func hostileAnnouncesAreCountedAndIgnored() throws {
        let chain = try BridgeTestChain("bridge-announce-hostile")
        let receiver = chain.receiver
        let r = receiver.statistics
        let crafter = BridgeChunkCrafter()
        let now = TensorPoolClock.monotonicNs()
        func feed(_ bytes: [UInt8]) { bytes.withUnsafeBytes { receiver.onMessage($0, sessionId: 5, nowNs: now) } }
        let name = Array("cam-A".utf8), summary = Array("UINT8 [64]".utf8)
        let good = try crafter.announce(name: name, summary: summary)

        feed(Array(good.dropLast(2)))                                  // summary past the end
        feed(Array(good.prefix(8)))                                    // header alone
        var overlong = good
        overlong[8 + 20] = 0xFF; overlong[8 + 20 + 1] = 0xFF           // name length 65535
        feed(overlong)
        var unknown = good
        unknown[2] = 4                                                  // template 4: not known here
        feed(unknown)
        #expect(r[.malformedMessages] == 4, "\(describe(r))")
        feed(try crafter.announce(name: Array(repeating: 0x61, count: DataSourceInfo.maxNameBytes + 1), summary: summary))
        feed(try crafter.announce(name: name, summary: Array(repeating: 0x61, count: DataSourceInfo.maxSummaryBytes + 1)))
        feed(try crafter.announce(name: [0x63, 0xC3, 0xA9], summary: summary))
        feed(try crafter.announce(name: name, summary: [0xFF]))
        #expect(r[.invalidAnnounces] == 4, "\(describe(r))")
        feed(try crafter.announce(streamId: BridgeTestChain.sourceStream + 1, name: name, summary: summary))
        #expect(r[.foreignStreamDrops] == 1)
        #expect(r[.announceUpdates] == 0 && receiver.target.dataSourceName == nil, "hostile beacon reached the producer")

        feed(good)
        feed(good)
        #expect(r[.announceUpdates] == 1, "a re-send counted as new")
        #expect(receiver.target.dataSourceName == "cam-A")
        #expect(receiver.target.dataSourceSummary == "UINT8 [64]; \(chain.receiverSummary)")
        feed(overlong)
        #expect(receiver.target.dataSourceName == "cam-A", "a hostile beacon replaced the held one")
        #expect(r[.invalidChunks] == 0 && r[.invalidHeaders] == 0 && r[.metadataUpdates] == 0 && r[.framesAborted] == 0)
    }
}
