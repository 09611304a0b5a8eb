import Testing
import TensorPool  // not @testable: what compiles here is what applications can write

/// The spellings applications use for every role's statistics: `X()`, `x[.counter]`, `X.Counter.case`,
/// `X.Counter.allCases`, and the consumer's drop-reason subscript.
@Suite struct RoleStatisticsPublicAPITests {
    /// Raw values are dense from 0 (``RoleStatisticsCounter``'s contract: the raw value is the storage index).
    static func isDense<C: RoleStatisticsCounter>(_: C.Type) -> Bool {
        C.allCases.enumerated().allSatisfy { $0.offset == $0.element.rawValue }
    }

    @Test func everyRoleKeepsItsSpellings() {
        let producer = ProducerStatistics()
        let consumer = ConsumerStatistics()
        let decimator = DecimatorStatistics()
        let sender = BridgeSenderStatistics()
        let receiver = BridgeReceiverStatistics()
        let fallback = FallbackStatistics()
        #expect(producer[.framesPublished] == 0 && producer[ProducerStatistics.Counter.qosSent] == 0)
        #expect(consumer[.framesDelivered] == 0 && consumer[ConsumerStatistics.Counter.metadataUpdates] == 0)
        #expect(decimator[.republished] == 0 && decimator[DecimatorStatistics.Counter.metadataForwarded] == 0)
        #expect(sender[.framesSent] == 0 && sender[BridgeSenderStatistics.Counter.metadataAbandoned] == 0)
        #expect(receiver[.framesReceived] == 0 && receiver[BridgeReceiverStatistics.Counter.invalidMetadata] == 0)
        #expect(fallback[.framesAssembled] == 0 && fallback[FallbackStatistics.Counter.invalidMetadata] == 0)
        for reason in DropReason.allCases { #expect(consumer[reason] == 0) }
        #expect(ProducerStatistics.Counter.allCases.contains(.framesPublished))
        #expect(FallbackStatistics.Counter.allCases.contains(.invalidMetadata))
        #expect(ProducerStatistics.Counter.self == ProducerStatisticsCounter.self)
    }

    @Test func counterRawValuesAreStorageIndices() {
        #expect(Self.isDense(ProducerStatistics.Counter.self))
        #expect(Self.isDense(ConsumerStatistics.Counter.self))
        #expect(Self.isDense(DecimatorStatistics.Counter.self))
        #expect(Self.isDense(BridgeSenderStatistics.Counter.self))
        #expect(Self.isDense(BridgeReceiverStatistics.Counter.self))
        #expect(Self.isDense(FallbackStatistics.Counter.self))
    }
}
