import AeronConcurrent
import ArgumentParser

/// The pause between two reprints of a command that watches something (`tp inspect --watch`, `tp stat --watch-ms`).
///
/// Checked when the arguments are validated, so a negative or huge value is a usage error naming the option
/// rather than an arithmetic trap when it is turned into a sleep (`usleep` takes a 32-bit microsecond count,
/// which overflows after 71 minutes; ``AeronConcurrent/ThreadPark`` sleeps with `nanosleep`).
struct WatchInterval {
    /// One day: longer pauses are certainly typos.
    static let maximumMilliseconds = 86_400_000

    let milliseconds: Int

    /// Throws a `ValidationError` naming `option` unless `milliseconds` is in `1...maximumMilliseconds`.
    init(milliseconds: Int, option: String) throws(ValidationError) {
        guard milliseconds >= 1, milliseconds <= Self.maximumMilliseconds else {
            throw ValidationError("\(option) must be between 1 and \(Self.maximumMilliseconds) (one day), not \(milliseconds)")
        }
        self.milliseconds = milliseconds
    }

    /// Sleeps for the interval (resuming after signal interruptions).
    func sleep() { ThreadPark.sleep(nanoseconds: milliseconds * 1_000_000) }
}
