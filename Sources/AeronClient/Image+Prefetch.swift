import CSystemShims
import SharedMemory
import AeronConcurrent

extension Image {
    /// Asks for the cache line after the one the next frame's header will be written to, without reading or
    /// changing anything the image tracks. A hint for a subscriber that busy-polls a stream whose messages span two
    /// lines (an Aeron frame of more than 64 bytes, e.g. a 44-byte SBE message with its 32-byte data header).
    ///
    /// Why: a spinning poll only reads the frame-length word, so it sees the frame when the header's line comes
    /// back from the publisher's core, and only then fetches the rest of the message: two cross-core transfers one
    /// after the other. Called after each empty poll, the second line is requested while the poll waits, and
    /// arrives with the first (the tensor pool's paced descriptors: 10–15 ns lower p50 here). A frame of one line
    /// gains nothing: the line asked for belongs to the frame after it.
    @inlinable
    public func prefetchNextFrame() {
        if isClosed { return }
        let (buffer, termOffset) = term(at: positionBuffer.int64Relaxed(at: positionOffset))
        guard termOffset &+ 64 < buffer.capacity else { return }
        shims_prefetch_for_read(UnsafeRawPointer(buffer.base) + termOffset + 64)
    }
}

extension Subscription {
    /// ``Image/prefetchNextFrame()`` for every image: after a poll that read nothing, on a subscription whose
    /// messages span two cache lines.
    @inlinable
    public func prefetchNextFrames() {
        withImageList { images, count in
            var i = 0
            while i < count {
                images[i]._withUnsafeGuaranteedRef { $0.prefetchNextFrame() }
                i += 1
            }
        }
    }
}
