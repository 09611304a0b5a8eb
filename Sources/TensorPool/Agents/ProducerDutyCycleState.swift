/// The mutable state a ``TensorPoolProducer`` touches on every publish and every duty cycle, kept behind one
/// pointer owned by the producer. A stored `var` of a class pays a dynamic exclusivity check (`swift_beginAccess`,
/// a thread-local access-set walk) on every access the compiler cannot prove private; a copy-path publish made
/// about ten of them. Accesses through `UnsafeMutablePointer.pointee` are not checked: the producer is
/// single-threaded and never holds an access across a call that could re-enter it.
@usableFromInline
struct ProducerDutyCycleState {
    @usableFromInline var planner: ProducerFramePlanner
    /// Oldest claimed sequence number not yet committed or aborted.
    @usableFromInline var oldestOpenSeq: UInt64 = 0
    @usableFromInline var isClosed = false
    @usableFromInline var throttler: ProgressThrottler
    /// Sequence number of the claim whose progress is being reported, if any.
    @usableFromInline var progressSeq: UInt64?
    @usableFromInline var metaVersion: UInt32 = 0
    @usableFromInline var announceCadence: Cadence
    @usableFromInline var qosCadence: Cadence
    @usableFromInline var heartbeatCadence: Cadence
    @usableFromInline var expiryCadence: Cadence
    @usableFromInline var metaCadence: Cadence
    @usableFromInline var countersCadence: Cadence

    init(planner: ProducerFramePlanner, throttler: ProgressThrottler, announceCadence: Cadence, qosCadence: Cadence,
         heartbeatCadence: Cadence, expiryCadence: Cadence, countersCadence: Cadence) {
        self.planner = planner
        self.throttler = throttler
        self.announceCadence = announceCadence
        metaCadence = announceCadence
        self.qosCadence = qosCadence
        self.heartbeatCadence = heartbeatCadence
        self.expiryCadence = expiryCadence
        self.countersCadence = countersCadence
    }
}
