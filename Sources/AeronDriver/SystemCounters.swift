import AeronConcurrent

/// The driver's system counters (type 0), ids 0…45 in the C 1.53 driver's order and labels (§10.4).
struct SystemCounters {
    /// Version this driver reports in counter 34 (the protocol level it implements).
    static let softwareVersion: Int32 = SemanticVersion.compose(major: 1, minor: 53, patch: 0)
    static let versionLabel = "version=1.53.0 commit=swift-embedded-ipc-driver"
    /// Control protocol version 1.0.0 (counter 43): clients then use GET_NEXT_AVAILABLE_SESSION_ID.
    static let controlProtocolVersion: Int64 = 65536

    static let labels: [String] = [
        "Bytes sent", "Bytes received", "Failed offers to ReceiverProxy", "Failed offers to SenderProxy",
        "Failed offers to DriverConductorProxy", "NAKs sent", "NAKs received", "Status Messages sent",
        "Status Messages received", "Heartbeats sent", "Heartbeats received", "Retransmits sent",
        "Flow control under runs", "Flow control over runs", "Invalid packets", "Errors: \(versionLabel)",
        "Short sends", "Failed attempts to free log buffers", "Sender flow control limits, i.e. back-pressure events",
        "Unblocked Publications", "Unblocked Control Commands", "Possible TTL Asymmetry",
        "ControllableIdleStrategy status", "Loss gap fills", "Client liveness timeouts", "Resolution changes",
        "Conductor max cycle time doing its work in ns", "Conductor work cycle exceeded threshold count",
        "Sender max cycle time doing its work in ns", "Sender work cycle exceeded threshold count",
        "Receiver max cycle time doing its work in ns", "Receiver work cycle exceeded threshold count",
        "NameResolver max time in ns", "NameResolver exceeded threshold count", "Aeron software: \(versionLabel)",
        "Bytes currently mapped", "Retransmitted bytes", "Retransmit Pool Overflow count", "Error Frames received",
        "Error Frames sent", "Publications Revoked", "Publication Images Revoked", "Images rejected",
        "Control protocol version", "Status Messages rejected", "Failed offers to NativeResourceAgentProxy",
    ]

    static let errors: Int32 = 15
    static let unblockedPublications: Int32 = 19
    static let unblockedCommands: Int32 = 20
    static let clientTimeouts: Int32 = 24
    static let conductorMaxCycleTime: Int32 = 26
    static let softwareVersionId: Int32 = 34
    static let bytesCurrentlyMapped: Int32 = 35
    static let publicationsRevoked: Int32 = 40
    static let imagesRejected: Int32 = 42
    static let controlProtocolVersionId: Int32 = 43

    let counters: CountersManager

    /// Allocates every system counter; they must get ids 0…45, so this runs first on a fresh counters buffer.
    init(counters: CountersManager, nowMs: Int64) throws(MediaDriverError) {
        self.counters = counters
        for (index, label) in Self.labels.enumerated() {
            var key = Int32(index)
            let id: Int32
            do {
                id = try withUnsafeBytes(of: &key) { raw throws(CountersError) in
                    try counters.allocate(typeId: AeronCounterTypeId.systemCounter, key: raw, label: label, nowMs: nowMs)
                }
            } catch { throw .invalidConfiguration("cannot allocate system counter \(index): \(error)") }
            guard id == Int32(index) else { throw .invalidConfiguration("system counter \(index) got id \(id): counters buffer not fresh") }
            counters.setRegistrationId(id, Int64(id))
            counters.setOwnerId(id, -1)
        }
        counters.setValue(Self.softwareVersionId, Int64(Self.softwareVersion))
        counters.setValue(Self.controlProtocolVersionId, Self.controlProtocolVersion)
    }

    func increment(_ id: Int32) {
        _ = counters.reader.valuesBuffer.getAndAddInt64(at: CounterDescriptor.valueRecordOffset(id), 1)
    }

    func add(_ id: Int32, _ delta: Int64) {
        _ = counters.reader.valuesBuffer.getAndAddInt64(at: CounterDescriptor.valueRecordOffset(id), delta)
    }

    func setMax(_ id: Int32, _ value: Int64) {
        let offset = CounterDescriptor.valueRecordOffset(id)
        if value > counters.reader.valuesBuffer.int64Acquire(at: offset) { counters.reader.valuesBuffer.setInt64Release(value, at: offset) }
    }
}
