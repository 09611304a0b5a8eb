import SharedMemory

/// A zero-filled, 64-byte-aligned heap region for building test buffers by hand; freed on deinit.
final class TestRegion {
    let buffer: AtomicBuffer
    init(length: Int) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(length, 1), alignment: 64)
        p.initializeMemory(as: UInt8.self, repeating: 0, count: max(length, 1))
        buffer = AtomicBuffer(base: p, capacity: length)
    }
    deinit { buffer.base.deallocate() }
}

#if canImport(Glibc)
import Glibc
#endif

/// A plain pthread for producer/consumer tests (joined explicitly).
final class Thread: @unchecked Sendable {
    private var tid = pthread_t()
    private let body: @Sendable () -> Void
    private init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    static func detachedProducer(_ body: @escaping @Sendable () -> Void) -> Thread {
        let t = Thread(body)
        let context = Unmanaged.passRetained(t).toOpaque()
        pthread_create(&t.tid, nil, { raw in
            let t = Unmanaged<Thread>.fromOpaque(raw!).takeRetainedValue()
            t.body()
            return nil
        }, context)
        return t
    }

    func join() { pthread_join(tid, nil) }
}
