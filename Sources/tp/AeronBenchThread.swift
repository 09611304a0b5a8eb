import CSystemShims
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A joinable pthread for the benchmark tools (publisher and subscriber loops run on their own threads).
final class AeronBenchThread: @unchecked Sendable {
    private var thread = pthread_t()
    /// Written by the thread as it ends, read after `pthread_join` (which orders the two).
    private var lastCPU: Int32 = -1
    private let body: @Sendable () -> Void

    private init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    /// Starts `body` on a new thread, pinned to `cpu` when one is given (a failed pin is reported on stderr and the
    /// thread runs unpinned).
    nonisolated static func start(pinnedTo cpu: Int32? = nil, _ body: @escaping @Sendable () -> Void) -> AeronBenchThread {
        let t = AeronBenchThread(cpu.map { cpu in
            { @Sendable in
                let rc = shims_pin_current_thread(cpu)
                if rc != 0 { fputs("tp: could not pin a benchmark thread to CPU \(cpu): \(String(cString: strerror(rc)))\n", stderr) }
                body()
            }
        } ?? body)
        let context = Unmanaged.passRetained(t).toOpaque()
        pthread_create(&t.thread, nil, { raw in
            let me = Unmanaged<AeronBenchThread>.fromOpaque(raw!).takeRetainedValue()
            me.body()
            me.lastCPU = shims_current_cpu()
            return nil
        }, context)
        return t
    }

    /// Waits for the thread to end; returns the CPU it was on when its body returned (−errno if unknown), so a
    /// report can show where a pinned or unpinned loop ran.
    @discardableResult
    func join() -> Int32 {
        pthread_join(thread, nil)
        return lastCPU
    }
}
