import SharedMemory

/// Writes data frame headers for one publication (session and stream fixed), in the order that keeps a frame
/// invisible until its positive length is published (PROTOCOL_FACTS §7): negative length + version/flags/type
/// as one release-written word, a store fence, then the remaining fields.
@frozen
public struct HeaderWriter: Sendable {
    /// Version, flags and type in the bit positions of the first 8-byte word (length bits zero).
    @usableFromInline let versionTypeWord: Int64
    @usableFromInline let sessionId: Int32
    @usableFromInline let streamId: Int32

    /// A writer for `sessionId`/`streamId` (version 0, type DATA).
    public init(sessionId: Int32, streamId: Int32) {
        self.sessionId = sessionId
        self.streamId = streamId
        versionTypeWord = (Int64(DataFrameHeader.currentVersion) << 32) | (Int64(UInt16(bitPattern: DataFrameHeader.typeData)) << 48)
    }

    /// A writer that copies session and stream from a log's default frame header (Java publishers do this).
    public init(defaultHeaderIn metadata: AtomicBuffer) {
        let base = LogBufferDescriptor.defaultFrameHeaderOffset
        self.init(sessionId: metadata.int32(at: base + DataFrameHeader.sessionIdOffset),
                  streamId: metadata.int32(at: base + DataFrameHeader.streamIdOffset))
    }

    /// Writes a header with `flags` and the negated `length` at `offset` of term `termId`.
    @inlinable @inline(__always)
    public func write(_ termBuffer: AtomicBuffer, offset: Int, length: Int, termId: Int32, flags: UInt8 = DataFrameHeader.unfragmentedFlags) {
        let negated = Int64(UInt32(truncatingIfNeeded: 0 &- length))
        termBuffer.setInt64Release(versionTypeWord | (Int64(flags) << 40) | negated, at: offset)
        AtomicBuffer.releaseFence()
        termBuffer.setInt64((Int64(sessionId) << 32) | Int64(UInt32(truncatingIfNeeded: offset)), at: offset &+ DataFrameHeader.termOffsetOffset)
        termBuffer.setInt64((Int64(termId) << 32) | Int64(UInt32(bitPattern: streamId)), at: offset &+ DataFrameHeader.streamIdOffset)
    }

    /// Writes a complete padding frame of `length` bytes at `offset` (header, then release of the length).
    @inlinable
    public func writePadding(_ termBuffer: AtomicBuffer, offset: Int, length: Int, termId: Int32) {
        write(termBuffer, offset: offset, length: length, termId: termId)
        termBuffer.setInt16(DataFrameHeader.typePadding, at: offset + DataFrameHeader.typeOffset)
        DataFrameHeader.setFrameLengthOrdered(termBuffer, offset, Int32(length))
    }
}

/// Copies the logical range `[from, from + count)` of the concatenation `first ‖ second` into `buffer` at `offset`.
@inlinable @inline(__always)
func copyGather(_ buffer: AtomicBuffer, to offset: Int, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, from: Int, count: Int) {
    var remaining = count
    var source = from
    var destination = offset
    if source < first.count, remaining > 0, let base = first.baseAddress {
        let n = min(remaining, first.count &- source)
        buffer.copy(from: base + source, count: n, to: destination)
        remaining &-= n; source &+= n; destination &+= n
    }
    if remaining > 0, let base = second.baseAddress {
        buffer.copy(from: base + (source &- first.count), count: remaining, to: destination)
    }
}
