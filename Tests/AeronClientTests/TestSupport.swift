import Testing
import AeronClient
import AeronInteropSupport
#if canImport(Glibc)
import Glibc
#endif

/// Shared helpers for client tests against the real C media driver.
enum ClientTestSupport {
    /// A context for `directory` with a short driver timeout (tests must not hang for 10 s).
    static func context(_ directory: String, driverTimeoutMs: Int64 = 5_000, invoker: Bool = false) -> AeronContext {
        var context = AeronContext(directory: directory)
        context.driverTimeoutMs = driverTimeoutMs
        context.useConductorAgentInvoker = invoker
        return context
    }

    /// Polls `condition` (driving `aeron` in invoker mode) until true or `timeoutS` passes.
    static func await(_ aeron: Aeron, timeoutS: Double = 20, _ condition: () -> Bool) -> Bool {
        let deadline = AeronClock.nanoTime() + Int64(timeoutS * 1e9)
        while AeronClock.nanoTime() < deadline {
            if condition() { return true }
            if aeron.context.useConductorAgentInvoker { aeron.doWork() }
            usleep(500)
        }
        return condition()
    }
}
