import TensorPoolCore

/// The mutable state a ``TensorPoolConsumer`` touches on every duty cycle and every frame, kept behind one pointer
/// owned by the consumer. A stored `var` of a class pays a dynamic exclusivity check (`swift_beginAccess`, a
/// thread-local access-set walk) on every access that the compiler cannot prove private; the per-frame path made
/// about ten such accesses. Accesses through `UnsafeMutablePointer.pointee` are not checked: the consumer is
/// single-threaded and never holds an access across a call that could re-enter it.
@usableFromInline
struct ConsumerDutyCycleState {
    @usableFromInline var coordinator: ConsumerCoordinator
    /// The seqlock reader of the mapped regions, unretained: the consumer's `mapped` regions keep it alive and this
    /// field is cleared whenever `mapped` changes.
    @usableFromInline var reader: Unmanaged<SeqlockReader>?
    @usableFromInline var isClosed = false
    /// The open FALLBACK bridge source, unretained (owned by `fallback`); `nil` outside FALLBACK.
    @usableFromInline var fallbackSource: Unmanaged<FallbackFrameSource>?
    let fallback = ConsumerFallbackLink()
    @usableFromInline var helloCadence: Cadence
    @usableFromInline var qosCadence: Cadence
    @usableFromInline var superblockCadence: Cadence
    @usableFromInline var tickCadence: Cadence
    @usableFromInline var countersCadence: Cadence
    /// Sum of the admission counters last copied into the statistics (see `TensorPoolConsumer.mirrorStatistics`).
    @usableFromInline var mirroredDropTotal: UInt64 = .max
    /// The `nowNs` of the last duty cycle that ran the periodic work. A spinning agent reuses one clock reading
    /// across idle cycles (`DutyCycleClock`); no cadence can come due until the reading changes, and skipping the
    /// checks shortens the idle cycle, which a descriptor waits on average half of before it is polled.
    @usableFromInline var periodicCheckedNs: UInt64 = .max

    init(coordinator: ConsumerCoordinator, helloCadence: Cadence, qosCadence: Cadence, superblockCadence: Cadence,
         tickCadence: Cadence, countersCadence: Cadence) {
        self.coordinator = coordinator
        self.helloCadence = helloCadence
        self.qosCadence = qosCadence
        self.superblockCadence = superblockCadence
        self.tickCadence = tickCadence
        self.countersCadence = countersCadence
    }
}
