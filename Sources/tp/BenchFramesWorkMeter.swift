import Histogram

/// The producer's own work per frame, as `tp bench frames` defines it ("work/frame"): wall time inside `publish`
/// (copy path) or claim + fill + `commit` (claim path), failed attempts included, plus the duty cycles
/// (`doWork`) that did something (returned > 0: hellos, QoS, announces, heartbeats, progress) since the previous
/// published frame. Excluded: duty cycles that found nothing to do (idle spinning between paced frames) and the
/// closed loop's wait for the slowest consumer (flow control).
///
/// Wall time (two `CLOCK_MONOTONIC` reads, ≈25 ns each, instead of a ≈0.5–3 µs thread-CPU-time syscall here), so
/// a preemption inside a measured section counts in the mean: the per-frame p50 is robust to that.
struct BenchProducerWorkMeter {
    private(set) var publishNs: UInt64 = 0
    private(set) var dutyWorkNs: UInt64 = 0
    private var publishNsAtStart: UInt64 = 0
    private var dutyWorkNsAtStart: UInt64 = 0
    private var pendingNs: UInt64 = 0
    /// Duty cycles that found nothing to do: their cost per call is the producer's polling cost (it grows with
    /// the images of its control/QoS subscriptions, one per publisher: 1 + consumers each).
    private(set) var idleDutyNs: UInt64 = 0
    private(set) var idleDutyCalls: UInt64 = 0
    private var idleDutyNsAtStart: UInt64 = 0
    private var idleDutyCallsAtStart: UInt64 = 0
    /// Idle duty-cycle durations of the window (the median is robust to preemption, the mean is not).
    private(set) var idleDuty = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .two)
    private var measuring = false
    private(set) var perFrame = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    /// Claim path: wall time of `commit` alone (stamp → header → commit word → descriptor offer), the producer's
    /// share of the commit → callback latency.
    private(set) var commits = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)

    /// One `commit` call of the claim path (recorded when `measuring`).
    mutating func commit(from start: UInt64, to end: UInt64, measuring: Bool) {
        if measuring, end >= start { _ = commits.record(end - start) }
    }

    /// A duty cycle from `start` to `end` that did `work` (0: idle, not counted).
    mutating func dutyCycle(_ work: Int, from start: UInt64, to end: UInt64) {
        guard end >= start else { return }
        guard work > 0 else {
            idleDutyNs &+= end - start
            idleDutyCalls &+= 1
            if measuring { _ = idleDuty.record(end - start) }
            return
        }
        dutyWorkNs &+= end - start
        pendingNs &+= end - start
    }

    /// One publish attempt; a published frame closes its per-frame sample (recorded when `measuring`).
    mutating func publish(from start: UInt64, to end: UInt64, published: Bool, measuring: Bool) {
        let ns = end >= start ? end - start : 0
        publishNs &+= ns
        pendingNs &+= ns
        guard published else { return }
        if measuring { _ = perFrame.record(pendingNs) }
        pendingNs = 0
    }

    /// The measured window starts now (after the warm-up).
    mutating func startWindow() {
        publishNsAtStart = publishNs
        dutyWorkNsAtStart = dutyWorkNs
        idleDutyNsAtStart = idleDutyNs
        idleDutyCallsAtStart = idleDutyCalls
        perFrame.reset()
        commits.reset()
        idleDuty.reset()
        measuring = true
    }

    var windowPublishNs: UInt64 { publishNs &- publishNsAtStart }
    var windowDutyWorkNs: UInt64 { dutyWorkNs &- dutyWorkNsAtStart }
    /// Mean wall time of an idle duty cycle in the window (0 when none).
    var windowIdleDutyNsPerCall: Double {
        let calls = idleDutyCalls &- idleDutyCallsAtStart
        return calls > 0 ? Double(idleDutyNs &- idleDutyNsAtStart) / Double(calls) : 0
    }

    /// Percentiles of the per-frame work samples of the window.
    func percentiles() -> BenchLatency { BenchLatency(perFrame) }
}

extension BenchLatency {
    /// p50/p99/p99.9/max of `histogram` (zeros when empty).
    init(_ histogram: Histogram<UInt64>) {
        let empty = histogram.totalCount == 0
        self.init(count: histogram.totalCount, p50: empty ? 0 : histogram.valueAtPercentile(50),
                  p99: empty ? 0 : histogram.valueAtPercentile(99), p999: empty ? 0 : histogram.valueAtPercentile(99.9),
                  max: empty ? 0 : histogram.max)
    }
}
