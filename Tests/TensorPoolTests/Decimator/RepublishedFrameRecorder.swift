import TensorPoolCore
@testable import TensorPool

/// Records the frames a consumer of a republished (decimated or bridged) stream receives and checks each
/// payload against the ORIGINAL producer's ``SyntheticFramePattern``: the source sequence number is recovered
/// from the first word for each candidate source epoch, then every byte is checked. The pattern ties word 0 to
/// (epoch, seq) only through `seq * K1 ^ epoch * K2`, so a wrong candidate epoch yields a huge sequence number:
/// only sequence numbers below 2^32 (every test publishes far fewer frames) are accepted.
struct RepublishedFrameRecorder: TensorFrameHandler {
    struct Record: Equatable {
        var epoch: UInt64
        var seq: UInt64
        var sourceEpoch: UInt64?
        var sourceSeq: UInt64?
        var byteCount: Int
        var shape: [Int]
        var metaVersion: UInt32
        var timestampNs: UInt64
        var intactPattern: Bool { sourceSeq != nil }
    }

    /// Source epochs the payload may come from.
    var sourceEpochs: [UInt64]
    var records: [Record] = []
    var torn = 0
    /// Every ``onMetadata(_:)`` call, in order.
    var metadataUpdates: [DataSourceMetadata] = []
    private var provisional: Record?

    init(sourceEpochs: [UInt64] = []) { self.sourceEpochs = sourceEpochs }

    mutating func onMetadata(_ metadata: DataSourceMetadata) { metadataUpdates.append(metadata) }

    mutating func onFrame(_ frame: borrowing TensorFrame) {
        var record = Record(epoch: frame.epoch, seq: frame.seq, byteCount: frame.byteCount, shape: frame.shape,
                            metaVersion: frame.header.metaVersion, timestampNs: frame.header.timestampNs)
        let epochs = sourceEpochs
        frame.withBytes { bytes in
            for epoch in epochs {
                if let seq = Self.sourceSeq(bytes, epoch: epoch) {
                    record.sourceEpoch = epoch
                    record.sourceSeq = seq
                    return
                }
            }
        }
        provisional = record
    }

    mutating func onFrameCompleted(seq: UInt64, intact: Bool) {
        guard let record = provisional, record.seq == seq else { return }
        provisional = nil
        if intact { records.append(record) } else { torn += 1 }
    }

    /// Source sequence numbers of the intact records, in arrival order.
    var sourceSeqs: [UInt64] { records.compactMap(\.sourceSeq) }

    /// The `seq` whose pattern in `epoch` the bytes hold exactly, if any.
    static func sourceSeq(_ bytes: UnsafeRawBufferPointer, epoch: UInt64) -> UInt64? {
        guard bytes.count >= 8, let base = bytes.baseAddress else { return nil }
        let first = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        // word 0 = seq * K1 ^ epoch * K2, and K1 is odd, so seq = (word 0 ^ epoch * K2) * K1^-1 (mod 2^64).
        let seq = (first ^ (epoch &* 0xC2B2_AE3D_27D4_EB4F)) &* inverseK1
        guard seq < 1 << 32 else { return nil }
        return SyntheticFramePattern.matches(bytes, epoch: epoch, seq: seq) ? seq : nil
    }

    static let inverseK1: UInt64 = {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var x = k  // correct to 3 bits; each Newton step doubles the correct bits
        for _ in 0..<5 { x = x &* (2 &- k &* x) }
        return x
    }()
}

/// Counts frames of a republished stream whose payload is exactly source frame (`sourceEpoch`, some seq) of the
/// synthetic pattern, without allocating (for steady-state allocation tests).
struct RepublishedPatternCounter: TensorFrameHandler {
    let sourceEpoch: UInt64
    var delivered = 0
    var corrupt = 0
    var torn = 0
    private var lastOK = false

    init(sourceEpoch: UInt64) { self.sourceEpoch = sourceEpoch }

    mutating func onFrame(_ frame: borrowing TensorFrame) {
        let epoch = sourceEpoch
        lastOK = frame.withBytes { RepublishedFrameRecorder.sourceSeq($0, epoch: epoch) != nil }
    }

    mutating func onFrameCompleted(seq: UInt64, intact: Bool) {
        if !intact { torn += 1 } else if lastOK { delivered += 1 } else { corrupt += 1 }
    }
}
