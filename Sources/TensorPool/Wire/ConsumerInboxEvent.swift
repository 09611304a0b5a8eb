/// What the consumer's duty cycle must do after ``ConsumerCoordinator/handle(_:length:nowNs:followProgress:)``.
public enum ConsumerInboxEvent: Sendable, Hashable {
    /// Nothing (message applied internally, ignored, held for LATEST, dropped or malformed).
    case none
    /// Read this slot now (seqlock), then report with ``ConsumerCoordinator/recordRead(_:outcome:nowNs:)``.
    case read(FrameDescriptorValue)
    /// Perform these mapping actions in order.
    case actions([MappingAction])
    /// `FrameProgress` for a frame this consumer will read (only when it opted in to progress).
    case progress(FrameProgressObservation)
}

/// A `FrameProgress` worth acting on (spec §10.2.2): read at most `[0, payloadBytesFilled)` and still
/// validate the commit word.
public struct FrameProgressObservation: Sendable, Hashable {
    public var epoch: UInt64
    public var frameId: UInt64
    public var headerIndex: UInt32
    public var payloadBytesFilled: UInt64
    public var rowsFilled: UInt32?
    public var state: FrameProgressState

    public init(epoch: UInt64, frameId: UInt64, headerIndex: UInt32, payloadBytesFilled: UInt64, rowsFilled: UInt32?,
                state: FrameProgressState) {
        self.epoch = epoch
        self.frameId = frameId
        self.headerIndex = headerIndex
        self.payloadBytesFilled = payloadBytesFilled
        self.rowsFilled = rowsFilled
        self.state = state
    }
}
