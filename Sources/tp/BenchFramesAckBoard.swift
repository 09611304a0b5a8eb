@preconcurrency import Glibc
import Synchronization

/// The bench's flow control, like the C prototype's release stream: one cache line per consumer in a small
/// shared file, holding `seq + 1` of the last frame that consumer finished. The producer keeps at most `window`
/// frames ahead of the slowest consumer, so in `--flow closed` no slot is overwritten while it is read.
final class BenchFramesAckBoard {
    static let lineBytes = 64
    let consumers: Int
    private let base: UnsafeMutableRawPointer
    private let length: Int
    /// What this process last wrote to each line, in its own memory. Reading the shared word back instead costs a
    /// cache miss on every frame: the producer's polling takes the line away (on this AMD host a read of a
    /// modified line migrates it to the reader), ~55 ns in the fast placement and ~280 ns in the slow one.
    /// Behind a pointer: a class's stored `var` pays a dynamic exclusivity check per access.
    private let written: UnsafeMutablePointer<UInt64>

    /// Creates (`create: true`, the parent) or maps the board at `path`.
    init(path: String, consumers: Int, create: Bool) throws {
        self.consumers = consumers
        length = max(consumers, 1) * Self.lineBytes
        let fd = open(path, create ? (O_CREAT | O_RDWR | O_TRUNC) : O_RDWR, 0o600)
        guard fd >= 0 else { throw BenchFramesError("cannot open ack board \(path): errno \(errno)") }
        defer { close(fd) }
        if create, ftruncate(fd, off_t(length)) != 0 { throw BenchFramesError("cannot size ack board \(path)") }
        guard let mapped = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), mapped != MAP_FAILED else {
            throw BenchFramesError("cannot map ack board \(path)")
        }
        base = mapped
        written = .allocate(capacity: max(consumers, 1))
        written.initialize(repeating: 0, count: max(consumers, 1))
    }

    deinit {
        munmap(base, length)
        written.deallocate()
    }

    @inline(__always)
    private func word(_ index: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
        (base + index * Self.lineBytes).assumingMemoryBound(to: Atomic<UInt64>.self)
    }

    /// Consumer `index` finished `seq` (monotonic: a lower value never replaces a higher one).
    @inline(__always)
    func acknowledge(_ index: Int, seq: UInt64) {
        guard seq &+ 1 > written[index] else { return }
        written[index] = seq &+ 1
        word(index).pointee.store(seq &+ 1, ordering: .releasing)
    }

    /// `seq + 1` of the last frame every consumer finished.
    @inline(__always)
    func minimumAcknowledged() -> UInt64 {
        var low = UInt64.max
        var i = 0
        while i < consumers {
            low = min(low, word(i).pointee.load(ordering: .acquiring))
            i += 1
        }
        return low
    }
}
