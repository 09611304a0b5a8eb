import TensorPoolCodecs

extension FrameDescriptorValue {
    /// Copies the fields of a decoded `FrameDescriptor` (hot path: no allocation).
    /// The caller checks `decoder.streamId` against its stream.
    @inlinable
    public init(_ decoder: FrameDescriptorDecoder) {
        self.init(epoch: decoder.epoch, seq: decoder.seq, headerIndex: decoder.headerIndex, timestampNs: decoder.timestampNs)
    }
}
