/// A producer's counters, readable from any thread while the producer runs (single writer: the producer).
public typealias ProducerStatistics = RoleStatistics<ProducerStatisticsCounter>

/// The counters of ``ProducerStatistics`` (`ProducerStatistics.Counter`).
public enum ProducerStatisticsCounter: Int, RoleStatisticsCounter {
    /// Frames committed whose `FrameDescriptor` was offered successfully.
    case framesPublished
    /// Payload bytes of those frames.
    case bytesPublished
    /// Frames committed whose descriptor offer failed (back pressure, no subscriber...).
    case descriptorOfferFailures
    /// Frames dropped because no pool was large enough (§9).
    case oversizeDrops
    /// Frames dropped because the layout was invalid (bad dtype, shape, strides vs length).
    case invalidLayoutDrops
    /// Claims given up with abort.
    case claimsAborted
    /// Slots refused: a zero-copy claim while `header_nslots` claims are already in flight, or, on either path,
    /// a planned slot the slot writer refuses (pool not in the mapped regions, `seq` reached 2^63). A claim
    /// or publish on a closed producer is not counted.
    case claimsRefused
    /// Commits refused because an older claim was still in flight.
    case outOfOrderCommits
    /// `FrameProgress` messages sent.
    case progressSent
    /// `ShmPoolAnnounce` messages sent.
    case announcesSent
    /// `ConsumerHello` messages for this stream that registered or refreshed a consumer (periodic hellos count
    /// each time; refused ones count in ``hellosRejected``).
    case hellosAccepted
    /// `ConsumerHello` refused with a `ControlResponse` (unknown enum value, `expected_layout_version` mismatch, or
    /// another stream when ``ProducerOptions/rejectHellosForOtherStreams`` is set; spec §10.1.2, §15.18), so an
    /// operator can see consumers that will never receive frames.
    case hellosRejected
    /// Consumers currently registered (hello within the expiry window).
    case consumers
    /// Current `meta_version`.
    case metaVersion
    /// Descriptor offers refused by back pressure / for lack of a subscriber (part of `descriptorOfferFailures`).
    case descriptorBackPressured
    /// Descriptor offers that found no connected subscriber (`NOT_CONNECTED`): frames committed while no consumer
    /// listens, expected at start-up and not a fault (part of `descriptorOfferFailures`).
    case descriptorNotConnected
    /// `QosProducer` messages sent.
    case qosSent
}
