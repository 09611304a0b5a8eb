/// The fields of a `FrameDescriptor` (spec §10.2.1) that frame admission needs, as a plain value.
///
/// Decoders copy the fields out of the wire buffer into this value so the admission logic stays
/// independent of the codec and of Aeron.
public struct FrameDescriptorValue: Sendable, Hashable {
    /// Producer epoch the descriptor belongs to.
    public var epoch: UInt64
    /// Frame sequence number (equals the header `frame_id` in v1.1).
    public var seq: UInt64
    /// Header ring slot (`seq & (nslots - 1)`).
    public var headerIndex: UInt32
    /// Producer timestamp of the frame, or `nil` when absent on the wire.
    public var timestampNs: UInt64?

    /// The fields of one descriptor; `timestampNs` is `nil` when the optional wire field holds its null value.
    public init(epoch: UInt64, seq: UInt64, headerIndex: UInt32, timestampNs: UInt64? = nil) {
        self.epoch = epoch
        self.seq = seq
        self.headerIndex = headerIndex
        self.timestampNs = timestampNs
    }
}
