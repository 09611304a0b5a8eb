import SharedMemory

/// Receives broadcast records by copying each one into a private scratch buffer and checking it was not
/// overwritten while being copied; only then is it handed to the caller. This is how clients read driver responses.
public final class CopyBroadcastReceiver: @unchecked Sendable {
    /// Default scratch size: enough for any control-protocol response.
    public static let defaultScratchLength = 4096

    /// Why a receive failed.
    public enum ReceiveError: Error, Equatable, CustomStringConvertible {
        /// The transmitter overwrote records this receiver had not read yet: responses were lost.
        case unableToKeepUp
        /// A record is larger than the scratch buffer.
        case recordTooLong(length: Int, scratchLength: Int)

        /// What went wrong, with the lengths involved, for the client's error report.
        public var description: String {
            switch self {
            case .unableToKeepUp: "unable to keep up with broadcast"
            case .recordTooLong(let length, let scratch): "broadcast record too long for scratch buffer: length=\(length) scratch=\(scratch)"
            }
        }
    }

    private var receiver: BroadcastReceiver
    private let scratch: UnsafeMutableRawPointer
    /// Scratch copy that handlers receive; valid only during the handler call.
    public let scratchBuffer: AtomicBuffer

    /// Wraps a broadcast buffer (records + trailer) and allocates the scratch buffer once.
    public init(buffer: AtomicBuffer, scratchLength: Int = CopyBroadcastReceiver.defaultScratchLength) throws(BroadcastBufferDescriptor.LayoutError) {
        receiver = try BroadcastReceiver(buffer: buffer)
        let length = max(scratchLength, 64)
        scratch = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 64)
        scratch.initializeMemory(as: UInt8.self, repeating: 0, count: length)
        scratchBuffer = AtomicBuffer(base: scratch, capacity: length)
    }

    deinit { scratch.deallocate() }

    /// Times the underlying receiver was lapped.
    public var lappedCount: Int64 { receiver.lappedCount }

    /// Delivers at most one record to `handler(typeId, scratchBuffer, length)` (body at offset 0 of the scratch).
    /// - Returns: the number of records delivered (0 or 1).
    @inlinable
    public func receive(_ handler: (Int32, AtomicBuffer, Int) -> Void) throws(ReceiveError) -> Int {
        guard let (typeId, length) = try copyNext() else { return 0 }
        handler(typeId, scratchBuffer, length)
        return 1
    }

    /// Copies the next record into ``scratchBuffer`` and returns its type and length, or nil when there is none.
    public func copyNext() throws(ReceiveError) -> (typeId: Int32, length: Int)? {
        let lapped = receiver.lappedCount
        guard receiver.receiveNext() else { return nil }
        if lapped != receiver.lappedCount { throw .unableToKeepUp }
        let length = receiver.length
        guard length <= scratchBuffer.capacity else { throw .recordTooLong(length: length, scratchLength: scratchBuffer.capacity) }
        let typeId = receiver.typeId
        if length > 0 { receiver.buffer.copy(from: receiver.offset, count: length, to: scratch) }
        guard receiver.validate() else { throw .unableToKeepUp }
        return (typeId, length)
    }
}
