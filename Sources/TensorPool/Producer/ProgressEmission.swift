/// One `FrameProgress` message the producer should publish (spec §10.2.2).
public struct ProgressEmission: Sendable, Hashable {
    /// `frame_id`.
    public var frameId: UInt64
    /// `header_index`.
    public var headerIndex: UInt32
    /// `payload_bytes_filled`.
    public var payloadBytesFilled: UInt64
    /// `nil` when the frame does not report rows.
    public var rowsFilled: UInt32?
    /// `state`.
    public var state: FrameProgressState

    /// A message to publish; `rowsFilled` nil omits the optional field (frames that are not row-major).
    public init(frameId: UInt64, headerIndex: UInt32, payloadBytesFilled: UInt64, rowsFilled: UInt32?,
                state: FrameProgressState) {
        self.frameId = frameId
        self.headerIndex = headerIndex
        self.payloadBytesFilled = payloadBytesFilled
        self.rowsFilled = rowsFilled
        self.state = state
    }
}
