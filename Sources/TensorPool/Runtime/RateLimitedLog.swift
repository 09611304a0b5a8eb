#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where roles write their diagnostics. The default writes one line to stderr.
public struct TensorPoolLogSink: Sendable {
    /// Writes one complete line (no trailing newline); called from the role's thread, possibly at error rates, so it
    /// should not block for long.
    public let write: @Sendable (String) -> Void

    /// A sink calling `write` for each line, e.g. to forward to an application logger or collect lines in a test.
    public init(_ write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    /// One line per message on standard error.
    public static let standardError = TensorPoolLogSink { line in
        fputs(line + "\n", stderr)
    }
    /// Discards everything (tests that provoke thousands of rejections on purpose).
    public static let discard = TensorPoolLogSink { _ in }
}

/// Logs at most one line per key per interval and says how many were suppressed in between, so hostile or
/// broken traffic cannot flood the log. Used on error paths only (building the message allocates).
public struct RateLimitedLog {
    /// Destination of the lines that pass the rate limit.
    public let sink: TensorPoolLogSink
    /// Text before `: ` on every line (typically the role name), so interleaved logs of several roles stay readable.
    public let prefix: String
    /// Minimum nanoseconds between two lines of one key (default 1 s); lines in between are only counted.
    public let intervalNs: UInt64
    private var lastNs: [UInt64]
    private var suppressed: [UInt64]

    /// - Parameter keys: number of distinct keys (e.g. `ControlMessageRejection.allCases.count`).
    public init(sink: TensorPoolLogSink, prefix: String, keys: Int, intervalNs: UInt64 = 1_000_000_000) {
        self.sink = sink
        self.prefix = prefix
        self.intervalNs = intervalNs
        lastNs = Array(repeating: 0, count: keys)
        suppressed = Array(repeating: 0, count: keys)
    }

    /// Logs `message()` under `key` unless another line of that key was logged less than an interval ago.
    public mutating func log(key: Int, nowNs: UInt64, _ message: () -> String) {
        guard key >= 0, key < lastNs.count else { return }
        if lastNs[key] != 0, nowNs >= lastNs[key], nowNs - lastNs[key] < intervalNs {
            suppressed[key] &+= 1
            return
        }
        let dropped = suppressed[key]
        lastNs[key] = max(nowNs, 1)
        suppressed[key] = 0
        let tail = dropped > 0 ? " (\(dropped) similar suppressed)" : ""
        sink.write("\(prefix): \(message())\(tail)")
    }
}
