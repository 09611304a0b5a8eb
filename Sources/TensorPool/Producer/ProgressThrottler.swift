/// Throttles `FrameProgress` for one in-flight frame (spec §10.2.2). Allocation-free.
///
/// Per frame: STARTED once (``start(frameId:headerIndex:nowNs:enabled:)``), then PROGRESS at most
/// once per `policy.intervalNs` and only when `payload_bytes_filled` advanced by at least
/// `bytesDelta` (or `rows_filled` by `rowsDelta` when rows are used) since the last emitted message,
/// then always COMPLETE (``complete(payloadBytesFilled:rowsFilled:nowNs:)``). Updates arriving too early
/// are not emitted but remembered: ``poll(nowNs:)`` emits the latest state once the interval elapses.
/// Values never go backwards: a lower byte or row count is ignored and counted.
///
/// When the frame was started with `enabled: false` (no live consumer supports progress), nothing
/// is emitted for it.
public struct ProgressThrottler: Sendable {
    /// Counters for diagnostics.
    public struct Counters: Sendable, Hashable {
        /// STARTED messages emitted.
        public var started: UInt64 = 0
        /// PROGRESS messages emitted.
        public var progress: UInt64 = 0
        /// COMPLETE messages emitted.
        public var completed: UInt64 = 0
        /// Updates not emitted because of the interval or deltas (latest kept).
        public var suppressed: UInt64 = 0
        /// Updates ignored because they went backwards.
        public var regressions: UInt64 = 0
        /// Frames started again before COMPLETE.
        public var abandoned: UInt64 = 0
        /// PROGRESS messages postponed because the stream's ``ProgressRateBudget`` was empty.
        public var budgetDeferred: UInt64 = 0
        /// All counters at zero.
        public init() {}
    }

    /// Thresholds; may be replaced between frames (or mid-frame: applies to the next decision).
    public var policy: ProgressPolicy
    /// Emission counters.
    public private(set) var counters = Counters()

    private var active = false
    private var enabled = false
    private var frameId: UInt64 = 0
    private var headerIndex: UInt32 = 0
    private var lastEmitNs: UInt64 = 0
    private var emittedBytes: UInt64 = 0
    private var emittedRows: UInt32 = 0
    private var latestBytes: UInt64 = 0
    private var latestRows: UInt32 = 0
    private var hasRows = false

    /// An idle throttler (no frame active) using `policy`, by default the spec §10.2.2 recommendation.
    public init(policy: ProgressPolicy = .specDefaults) {
        self.policy = policy
    }

    /// `true` between `start` and `complete`.
    public var isActive: Bool { active }
    /// `true` when an update of the current (or last) frame carried `rows_filled`: its COMPLETE carries rows too.
    public var reportsRows: Bool { hasRows }

    /// Starts a frame; returns STARTED when `enabled`.
    ///
    /// `startRows`: the frame has a row layout whose `rows_filled` readers can interpret (a staged row-major layout,
    /// ``TensorSlotHeader/startedRows``): STARTED then carries `rows_filled = 0`, so a consumer reading rows gets an
    /// intact empty row read instead of a byte prefix that a padded layout makes informational only (spec §10.2.2).
    /// Later updates carry rows only when they report rows: a producer reporting bytes alone keeps byte prefixes.
    public mutating func start(frameId: UInt64, headerIndex: UInt32, nowNs: UInt64, enabled: Bool,
                               startRows: Bool = false) -> ProgressEmission? {
        if active { counters.abandoned &+= 1 }
        active = true
        self.enabled = enabled
        self.frameId = frameId
        self.headerIndex = headerIndex
        lastEmitNs = nowNs
        emittedBytes = 0
        emittedRows = 0
        latestBytes = 0
        latestRows = 0
        hasRows = false
        guard enabled else { return nil }
        counters.started &+= 1
        let started = emission(.started)
        guard startRows else { return started }
        return ProgressEmission(frameId: frameId, headerIndex: headerIndex, payloadBytesFilled: 0, rowsFilled: 0,
                                state: .started)
    }

    /// Reports acquisition progress; returns PROGRESS when the interval and a delta allow it.
    public mutating func update(payloadBytesFilled: UInt64, rowsFilled: UInt32? = nil, nowNs: UInt64) -> ProgressEmission? {
        var unlimited = ProgressRateBudget(maxRateHz: 0)
        return update(payloadBytesFilled: payloadBytesFilled, rowsFilled: rowsFilled, nowNs: nowNs, budget: &unlimited)
    }

    /// Like ``update(payloadBytesFilled:rowsFilled:nowNs:)``, charging an emitted PROGRESS to the
    /// stream's `budget`; when the budget is empty the update is kept for a later ``poll(nowNs:budget:)``.
    public mutating func update(payloadBytesFilled: UInt64, rowsFilled: UInt32? = nil, nowNs: UInt64,
                                budget: inout ProgressRateBudget) -> ProgressEmission? {
        guard active else { return nil }
        if payloadBytesFilled < latestBytes || (rowsFilled.map { $0 < latestRows } ?? false) {
            counters.regressions &+= 1
            return nil
        }
        latestBytes = payloadBytesFilled
        if let rows = rowsFilled {
            latestRows = rows
            hasRows = true
        }
        guard enabled else { return nil }
        if let due = dueEmission(nowNs: nowNs, budget: &budget) { return due }
        counters.suppressed &+= 1
        return nil
    }

    /// Emits the latest remembered state if the interval has elapsed and a delta is reached.
    public mutating func poll(nowNs: UInt64) -> ProgressEmission? {
        var unlimited = ProgressRateBudget(maxRateHz: 0)
        return poll(nowNs: nowNs, budget: &unlimited)
    }

    /// Like ``poll(nowNs:)``, charging an emitted PROGRESS to the stream's `budget`.
    public mutating func poll(nowNs: UInt64, budget: inout ProgressRateBudget) -> ProgressEmission? {
        guard active, enabled else { return nil }
        return dueEmission(nowNs: nowNs, budget: &budget)
    }

    /// Ends the frame; returns COMPLETE when the frame was started enabled.
    ///
    /// `payloadBytesFilled`/`rowsFilled` lower than already reported are raised to the reported
    /// values so the sequence stays monotone.
    public mutating func complete(payloadBytesFilled: UInt64, rowsFilled: UInt32? = nil, nowNs: UInt64) -> ProgressEmission? {
        guard active else { return nil }
        active = false
        if payloadBytesFilled < latestBytes || (rowsFilled.map { $0 < latestRows } ?? false) {
            counters.regressions &+= 1
        }
        latestBytes = max(latestBytes, payloadBytesFilled)
        if let rows = rowsFilled {
            latestRows = max(latestRows, rows)
            hasRows = true
        }
        guard enabled else { return nil }
        counters.completed &+= 1
        lastEmitNs = nowNs
        return emission(.complete)
    }

    private mutating func dueEmission(nowNs: UInt64, budget: inout ProgressRateBudget) -> ProgressEmission? {
        guard nowNs >= lastEmitNs, nowNs - lastEmitNs >= policy.intervalNs else { return nil }
        let bytesAdvanced = latestBytes - emittedBytes
        let rowsAdvanced = latestRows - emittedRows
        let bytesDue = bytesAdvanced > 0 && bytesAdvanced >= policy.bytesDelta
        let rowsDue = hasRows && policy.rowsDelta > 0 && rowsAdvanced >= policy.rowsDelta
        guard bytesDue || rowsDue else { return nil }
        guard budget.tryConsume(nowNs: nowNs) else {
            counters.budgetDeferred &+= 1
            return nil
        }
        lastEmitNs = nowNs
        counters.progress &+= 1
        return emission(.progress)
    }

    private mutating func emission(_ state: FrameProgressState) -> ProgressEmission {
        emittedBytes = latestBytes
        emittedRows = latestRows
        return ProgressEmission(frameId: frameId, headerIndex: headerIndex, payloadBytesFilled: latestBytes,
                                rowsFilled: hasRows ? latestRows : nil, state: state)
    }
}
