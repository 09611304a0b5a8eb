/// A header slot and its payload slot claimed for writing by ``SlotWriter/claim(frameId:poolId:)``.
///
/// When the claim is handed out the slot's commit word is already WRITING, so consumers drop the slot while
/// the payload is being filled (e.g. by device DMA into ``payload``). Finish with
/// ``SlotWriter/commit(_:header:)`` or ``SlotWriter/abort(_:)``.
public struct SlotClaim: @unchecked Sendable {
    /// The frame being written.
    public let frameId: UInt64
    /// `frameId & (nslots - 1)`: the header slot and (v1.1) the payload slot.
    public let headerIndex: Int
    /// The pool the payload goes to.
    public let poolId: UInt16
    /// The whole payload slot (`strideBytes` bytes) in the pool mapping.
    public let payload: UnsafeMutableRawBufferPointer
    /// The pool stride.
    public var strideBytes: Int { payload.count }

    @usableFromInline
    init(frameId: UInt64, headerIndex: Int, poolId: UInt16, payload: UnsafeMutableRawBufferPointer) {
        self.frameId = frameId
        self.headerIndex = headerIndex
        self.poolId = poolId
        self.payload = payload
    }
}
