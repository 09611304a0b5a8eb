import TensorPoolCore

/// The self-checking payload of synthetic frames: 64-bit word `i` of frame `seq` in epoch `epoch` is
/// `seq &* 0x9E3779B97F4A7C15 ^ epoch &* 0xC2B2AE3D27D4EB4F &+ i` (little-endian; a trailing partial word takes the
/// low bytes). A byte from another frame, another epoch or a torn write breaks it. Used by `tp producer`,
/// `tp consumer --verify`, `tp demo` and the tests.
public enum SyntheticFramePattern {
    /// Expected 64-bit word `index` (0-based, counted in 8-byte words from the payload start) of frame `seq` in
    /// `epoch`, before little-endian storage: the per-word formula both ``fill(_:count:epoch:seq:)`` and
    /// ``matches(_:epoch:seq:)`` use.
    @inlinable
    public static func word(epoch: UInt64, seq: UInt64, index: Int) -> UInt64 {
        (seq &* 0x9E37_79B9_7F4A_7C15) ^ (epoch &* 0xC2B2_AE3D_27D4_EB4F) &+ UInt64(truncatingIfNeeded: index)
    }

    /// Writes the pattern over the first `count` bytes of `buffer`.
    @inlinable
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer, count: Int, epoch: UInt64, seq: UInt64) {
        guard let base = buffer.baseAddress, count > 0, count <= buffer.count else { return }
        let words = count / 8
        var i = 0
        while i < words {
            base.storeBytes(of: word(epoch: epoch, seq: seq, index: i).littleEndian, toByteOffset: i * 8, as: UInt64.self)
            i += 1
        }
        var tail = word(epoch: epoch, seq: seq, index: words).littleEndian
        var b = words * 8
        while b < count {
            base.storeBytes(of: UInt8(truncatingIfNeeded: tail), toByteOffset: b, as: UInt8.self)
            tail >>= 8
            b += 1
        }
    }

    /// Writes the pattern's bytes `range` (offsets from the payload start) into the same offsets of `buffer`, so a
    /// frame can be filled in steps (progress prefixes) and still equal ``fill(_:count:epoch:seq:)``'s result.
    /// Nothing is written when `range` does not lie inside `buffer`.
    @inlinable
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer, range: Range<Int>, epoch: UInt64, seq: UInt64) {
        guard let base = buffer.baseAddress, range.lowerBound >= 0, range.upperBound <= buffer.count else { return }
        var b = range.lowerBound
        let end = range.upperBound
        while b < end && b & 7 != 0 {
            base.storeBytes(of: byte(epoch: epoch, seq: seq, offset: b), toByteOffset: b, as: UInt8.self)
            b += 1
        }
        while b + 8 <= end {
            base.storeBytes(of: word(epoch: epoch, seq: seq, index: b >> 3).littleEndian, toByteOffset: b, as: UInt64.self)
            b += 8
        }
        while b < end {
            base.storeBytes(of: byte(epoch: epoch, seq: seq, offset: b), toByteOffset: b, as: UInt8.self)
            b += 1
        }
    }

    /// The byte ``SyntheticFrameSource`` writes in the padding between rows of a padded layout: not checked by
    /// ``matchesRows(_:rows:rowBytes:pitch:epoch:seq:)``, and a whole-frame ``matches(_:epoch:seq:)`` over a padded
    /// payload fails on it, so a check that reads padding cannot pass by accident.
    public static let paddingByte: UInt8 = 0xA5

    /// Byte `offset` of the pattern (little-endian byte of its word).
    @inlinable
    static func byte(epoch: UInt64, seq: UInt64, offset: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: word(epoch: epoch, seq: seq, index: offset >> 3) >> UInt64((offset & 7) * 8))
    }

    /// True when `bytes` holds exactly the pattern of (`epoch`, `seq`).
    @inlinable
    public static func matches(_ bytes: UnsafeRawBufferPointer, epoch: UInt64, seq: UInt64) -> Bool {
        guard bytes.baseAddress != nil else { return bytes.isEmpty }
        return counts(bytes, from: word(epoch: epoch, seq: seq, index: 0))
    }

    /// True when `bytes` holds the pattern of (`epoch`, `seq`) at offsets `byteOffset ..< byteOffset + bytes.count`
    /// of the payload: the check for one row of a padded layout (row `r` at `byteOffset = r * pitch`), whose
    /// bytes ``fill(_:range:epoch:seq:)`` wrote at the same offsets. `false` for a negative offset.
    @inlinable
    public static func matches(_ bytes: UnsafeRawBufferPointer, epoch: UInt64, seq: UInt64, byteOffset: Int) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        guard byteOffset >= 0 else { return false }
        var b = 0
        var mismatch: UInt8 = 0
        while b < bytes.count && (byteOffset + b) & 7 != 0 {
            mismatch |= base.load(fromByteOffset: b, as: UInt8.self) ^ byte(epoch: epoch, seq: seq, offset: byteOffset + b)
            b += 1
        }
        guard mismatch == 0 else { return false }
        let rest = UnsafeRawBufferPointer(start: base + b, count: bytes.count - b)
        return counts(rest, from: word(epoch: epoch, seq: seq, index: (byteOffset + b) >> 3))
    }

    /// True when rows `0 ..< rows` of a padded row-major payload hold the pattern of (`epoch`, `seq`) at their own
    /// offsets: row `r` is the `rowBytes` bytes at `r * pitch` of `bytes`, compared with the pattern's bytes at the same
    /// offsets (what ``SyntheticFrameSource`` writes for a padded layout). The padding between rows is never read.
    /// `false` when the rows do not fit in `bytes` or the geometry is not positive with `pitch >= rowBytes`.
    @inlinable
    public static func matchesRows(_ bytes: UnsafeRawBufferPointer, rows: Int, rowBytes: Int, pitch: Int,
                                   epoch: UInt64, seq: UInt64) -> Bool {
        rowsCount(bytes, rows: rows, rowBytes: rowBytes, pitch: pitch, from: word(epoch: epoch, seq: seq, index: 0))
    }

    /// Rows `0 ..< rows` (each `rowBytes` at `r * pitch`) hold the counting pattern whose word 0 is `start`.
    @inlinable
    static func rowsCount(_ bytes: UnsafeRawBufferPointer, rows: Int, rowBytes: Int, pitch: Int, from start: UInt64) -> Bool {
        guard rows >= 0, rowBytes > 0, pitch >= rowBytes else { return false }
        guard rows > 0 else { return true }
        let (steps, o1) = (rows - 1).multipliedReportingOverflow(by: pitch)
        let (end, o2) = steps.addingReportingOverflow(rowBytes)
        guard !o1, !o2, end <= bytes.count, let base = bytes.baseAddress else { return false }
        for r in 0..<rows {
            let offset = r * pitch
            let row = UnsafeRawBufferPointer(start: base + offset, count: rowBytes)
            var b = 0
            var mismatch: UInt8 = 0
            while b < rowBytes && (offset + b) & 7 != 0 {
                let o = offset + b
                mismatch |= row.load(fromByteOffset: b, as: UInt8.self)
                    ^ UInt8(truncatingIfNeeded: (start &+ UInt64(o >> 3)) >> UInt64((o & 7) * 8))
                b += 1
            }
            guard mismatch == 0 else { return false }
            let rest = UnsafeRawBufferPointer(start: base + offset + b, count: rowBytes - b)
            guard counts(rest, from: start &+ UInt64((offset + b) >> 3)) else { return false }
        }
        return true
    }

    /// True when every 64-bit word `i` of `bytes` is `start &+ i` (little-endian) and a trailing partial word holds
    /// the low bytes of the next one: the shape of every frame's pattern, whose word `i` is word 0 plus `i`.
    @inlinable
    static func counts(_ bytes: UnsafeRawBufferPointer, from start: UInt64) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let words = bytes.count / 8
        var mismatch: UInt64 = 0
        var i = 0
        while i < words {
            mismatch |= UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) ^ (start &+ UInt64(i))
            i += 1
        }
        var tail = start &+ UInt64(words)
        var b = words * 8
        while b < bytes.count {
            mismatch |= UInt64(base.load(fromByteOffset: b, as: UInt8.self) ^ UInt8(truncatingIfNeeded: tail))
            tail >>= 8
            b += 1
        }
        return mismatch == 0
    }
}

/// Synthetic frames at a fixed rate, filled with ``SyntheticFramePattern`` (copy path or zero-copy claims).
///
/// A row-major layout of 2 or more dimensions with a padded row pitch (`strides[0]` larger than the dense row) is
/// written row by row: row `r` holds the pattern's bytes at its payload offset `r * pitch`, the padding holds
/// ``SyntheticFramePattern/paddingByte`` (never part of the pattern check, see
/// ``SyntheticFramePattern/matchesRows(_:rows:rowBytes:pitch:epoch:seq:)``), and the payload is
/// ``frameByteCount`` = `dims[0] * pitch` bytes.
public struct SyntheticFrameSource: ProducerFrameSource {
    /// Frame layout (dtype, shape, strides); the payload is ``frameByteCount`` bytes.
    public let layout: TensorLayout
    /// Bytes of each frame's payload (`values_len_bytes`): `layout.contiguousByteCount`, or `dims[0] * pitch` for a
    /// padded row layout.
    public let frameByteCount: Int
    /// `(rows, rowBytes, pitch)` of a padded row layout, nil for a contiguous one.
    private let paddedRows: (rows: Int, rowBytes: Int, pitch: Int)?
    /// Frames per second; 0 = as fast as possible.
    public let rateHz: Double
    /// Write into claimed slots instead of copying a prepared buffer.
    public let zeroCopy: Bool
    /// Stop after this many frames (nil = unlimited).
    public let maxFrames: UInt64?
    /// Frames handed to the producer so far.
    public private(set) var framesProduced: UInt64 = 0
    /// Most frames produced in one duty cycle when catching up.
    public var burstLimit = 16
    /// With ``zeroCopy``: fill each frame in this many steps spread over the frame period (one step per duty cycle
    /// at `rateHz` 0), like a DMA engine, claiming it with its layout staged
    /// (``TensorPoolProducer/claim(byteCount:layout:metaVersion:nowNs:)``) and reporting each step with
    /// ``TensorPoolProducer/reportProgress(_:bytesFilled:rowsFilled:nowNs:)``, so consumers that read progress
    /// prefixes see the frame grow; for a row-major layout of 2 or more dimensions each update also carries the
    /// complete rows written (`rows_filled`). 0 (default) or 1: fill in one go.
    public var progressSteps = 0
    private var inProgress: ProducerClaim?
    private var filledBytes = 0
    private var filledRows = 0
    private var nextStepNs: UInt64 = 0
    private var startNs: UInt64?
    private let scratch: UnsafeMutableRawBufferPointer
    private let scratchOwner: ScratchBuffer

    /// A source of `layout`-shaped frames at `rateHz` frames per second (0 = as fast as the producer accepts, at most
    /// ``burstLimit`` per cycle), written in place into claims when `zeroCopy`, or copied from a prepared buffer
    /// otherwise; `maxFrames` nil means run until stopped.
    public init(layout: TensorLayout, rateHz: Double, zeroCopy: Bool, maxFrames: UInt64? = nil) {
        self.layout = layout
        self.rateHz = rateHz
        self.zeroCopy = zeroCopy
        self.maxFrames = maxFrames
        let padded = Self.paddedRows(of: layout)
        paddedRows = padded
        frameByteCount = padded.map { $0.rows * $0.pitch } ?? layout.contiguousByteCount
        scratchOwner = ScratchBuffer(count: max(frameByteCount, 1))
        scratch = scratchOwner.bytes
    }

    /// The row geometry of a row-major layout (2 or more dimensions, dense within a row) whose pitch exceeds the
    /// row size; nil otherwise (contiguous layouts, and layouts the header would refuse, which the producer drops).
    private static func paddedRows(of layout: TensorLayout) -> (rows: Int, rowBytes: Int, pitch: Int)? {
        guard layout.majorOrder == .row, layout.ndims >= 2, layout.dims[0] > 0 else { return nil }
        guard case .rows(let g) = layout.header(valuesLength: 0, timestampNs: 0, metaVersion: 0).rowGeometry,
              g.pitch > g.rowBytes else { return nil }
        let (bytes, overflow) = Int(layout.dims[0]).multipliedReportingOverflow(by: g.pitch)
        return overflow || bytes > Int(UInt32.max) ? nil : (Int(layout.dims[0]), g.rowBytes, g.pitch)
    }

    /// Writes the pattern of rows `range` (each at its offset `r * pitch`) and poisons their padding.
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer, rows range: Range<Int>,
                             geometry g: (rows: Int, rowBytes: Int, pitch: Int), epoch: UInt64, seq: UInt64) {
        for r in range {
            let start = r * g.pitch
            SyntheticFramePattern.fill(buffer, range: start..<(start + g.rowBytes), epoch: epoch, seq: seq)
            if let base = buffer.baseAddress, start + g.pitch <= buffer.count {
                (base + start + g.rowBytes).initializeMemory(as: UInt8.self, repeating: SyntheticFramePattern.paddingByte,
                                                             count: g.pitch - g.rowBytes)
            }
        }
    }

    /// Writes a whole frame: the contiguous pattern, or every padded row.
    private func fillFrame(_ buffer: UnsafeMutableRawBufferPointer, epoch: UInt64, seq: UInt64) {
        if let g = paddedRows {
            Self.fill(buffer, rows: 0..<g.rows, geometry: g, epoch: epoch, seq: seq)
        } else {
            SyntheticFramePattern.fill(buffer, count: frameByteCount, epoch: epoch, seq: seq)
        }
    }

    /// Whether `maxFrames` frames have been produced.
    public var isFinished: Bool { maxFrames.map { framesProduced >= $0 } ?? false }

    /// Publishes the frames due since the first call at `rateHz` (catching up at most ``burstLimit`` per cycle after a
    /// stall instead of bursting the backlog) and returns how many it handed to `producer`; 0 once ``isFinished``.
    public mutating func produce(_ producer: TensorPoolProducer, nowNs: UInt64) -> Int {
        if inProgress != nil { return advance(producer, nowNs: nowNs) }
        if isFinished { return 0 }
        let start = startNs ?? nowNs
        startNs = start
        let due: UInt64
        if rateHz > 0 {
            due = UInt64(Double(nowNs - start) * rateHz / 1e9) + 1
        } else {
            due = framesProduced + UInt64(burstLimit)
        }
        var work = 0
        while framesProduced < due, work < burstLimit, !isFinished {
            if zeroCopy && progressSteps > 1 {
                startStepped(producer, nowNs: nowNs)
                framesProduced += 1
                return work + 1
            }
            produceOne(producer)
            framesProduced += 1
            work += 1
        }
        return work
    }

    /// Claims a frame with its layout staged; its bytes come in ``progressSteps`` steps (``advance(_:nowNs:)``).
    private mutating func startStepped(_ producer: TensorPoolProducer, nowNs: UInt64) {
        guard let claim = producer.claim(byteCount: frameByteCount, layout: layout, nowNs: nowNs) else { return }
        inProgress = claim
        filledBytes = 0
        filledRows = 0
        nextStepNs = nowNs
    }

    /// Writes the next step of the frame in progress and reports it, or commits the frame after the last step.
    private mutating func advance(_ producer: TensorPoolProducer, nowNs: UInt64) -> Int {
        guard let claim = inProgress, nowNs >= nextStepNs else { return 0 }
        let steps = max(progressSteps, 1)
        let finished: Bool
        if let g = paddedRows {
            // Padded rows: steps of whole rows; the byte count (rows * pitch) is informational for readers.
            let end = min(g.rows, filledRows + max((g.rows + steps - 1) / steps, 1))
            Self.fill(claim.payload, rows: filledRows..<end, geometry: g, epoch: producer.epoch, seq: claim.seq)
            filledRows = end
            filledBytes = end * g.pitch
            finished = end >= g.rows
            if !finished {
                producer.reportProgress(claim, bytesFilled: UInt64(filledBytes), rowsFilled: UInt32(end), nowNs: nowNs)
            }
        } else {
            let count = frameByteCount
            let end = min(count, filledBytes + max((count + steps - 1) / steps, 1))
            SyntheticFramePattern.fill(claim.payload, range: filledBytes..<end, epoch: producer.epoch, seq: claim.seq)
            filledBytes = end
            finished = end >= count
            if !finished {
                producer.reportProgress(claim, bytesFilled: UInt64(end), rowsFilled: rowsFilled(bytes: end), nowNs: nowNs)
            }
        }
        if !finished {
            nextStepNs = nowNs + (rateHz > 0 ? UInt64(1e9 / rateHz / Double(steps)) : 0)
        } else {
            inProgress = nil
            let now = TensorPoolClock.monotonicNs()
            _ = producer.commit(claim, timestampNs: now, nowNs: now)
        }
        return 1
    }

    /// Complete rows in the first `bytes` bytes of a row-major layout with at least 2 dimensions (the source writes
    /// contiguous frames, so bytes and rows describe the same prefix); `nil` for other layouts.
    private func rowsFilled(bytes: Int) -> UInt32? {
        guard layout.majorOrder == .row, layout.ndims >= 2, layout.dims[0] > 0 else { return nil }
        let rowBytes = layout.contiguousByteCount / Int(layout.dims[0])
        return rowBytes > 0 ? UInt32(truncatingIfNeeded: bytes / rowBytes) : nil
    }

    private func produceOne(_ producer: TensorPoolProducer) {
        let count = frameByteCount
        let seq = producer.nextSeq
        if zeroCopy {
            let claimNs = TensorPoolClock.monotonicNs()
            guard let claim = producer.claim(byteCount: count, nowNs: claimNs) else { return }
            fillFrame(claim.payload, epoch: producer.epoch, seq: claim.seq)
            let now = TensorPoolClock.monotonicNs()
            _ = producer.commit(claim, layout: layout, valuesLength: count, timestampNs: now, nowNs: now)
        } else {
            fillFrame(scratch, epoch: producer.epoch, seq: seq)
            let now = TensorPoolClock.monotonicNs()
            _ = producer.publish(UnsafeRawBufferPointer(rebasing: scratch[0..<count]), layout: layout, timestampNs: now, nowNs: now)
        }
    }
}

/// Owns the synthetic source's staging buffer (freed with the last copy of the source).
final class ScratchBuffer: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer
    init(count: Int) {
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 64)
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
    }
    deinit { bytes.deallocate() }
}
