#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A joinable pthread for the benchmark tools (publisher and subscriber loops run on their own threads).
final class AeronBenchThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: @Sendable () -> Void

    private init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    /// Starts `body` on a new thread.
    nonisolated static func start(_ body: @escaping @Sendable () -> Void) -> AeronBenchThread {
        let t = AeronBenchThread(body)
        let context = Unmanaged.passRetained(t).toOpaque()
        pthread_create(&t.thread, nil, { raw in
            let me = Unmanaged<AeronBenchThread>.fromOpaque(raw!).takeRetainedValue()
            me.body()
            return nil
        }, context)
        return t
    }

    func join() { pthread_join(thread, nil) }
}
