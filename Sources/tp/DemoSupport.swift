@preconcurrency import Glibc
import Foundation

/// The process environment as a dictionary (for TP_* configuration overrides).
enum ProcessInfoEnvironment {
    static var current: [String: String] { ProcessInfo.processInfo.environment }
}

/// Prints a line and flushes (role commands are read line by line by tests and scripts).
func demoPrint(_ line: String) {
    print(line)
    fflush(stdout)
}

/// `1234567` → `1.23 M`.
func demoRate(_ value: Double) -> String {
    if value >= 1e6 { return String(format: "%.2f M", value / 1e6) }
    if value >= 1e3 { return String(format: "%.1f k", value / 1e3) }
    return String(format: "%.0f", value)
}

/// Nanoseconds as µs with one decimal.
func demoMicros(_ ns: UInt64) -> String { String(format: "%.1f", Double(ns) / 1000) }
