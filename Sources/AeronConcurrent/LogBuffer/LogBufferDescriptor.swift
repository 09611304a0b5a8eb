import SharedMemory

/// Why a log buffer layout or parameter was rejected.
public enum LogBufferError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Term length not a power of two in [64 KiB, 1 GiB].
    case invalidTermLength(Int)
    /// Page size not a power of two in [4 KiB, 1 GiB].
    case invalidPageSize(Int)
    /// The file is shorter than its metadata says it must be.
    case fileTooShort(path: String, length: Int, expected: Int)
    /// MTU not a multiple of 32 in (32, 65504], or larger than the term allows.
    case invalidMtu(Int)

    /// The rejected value and the rule it breaks, with the path where a file is involved.
    public var description: String {
        switch self {
        case .invalidTermLength(let l): "term length \(l) is not a power of two in [64 KiB, 1 GiB]"
        case .invalidPageSize(let p): "page size \(p) is not a power of two in [4 KiB, 1 GiB]"
        case .fileTooShort(let path, let length, let expected): "log buffer \(path) is \(length) bytes, expected \(expected)"
        case .invalidMtu(let m): "mtu \(m) is not a multiple of 32 in (32, 65504]"
        }
    }
}

/// Layout of an Aeron log buffer file and the position arithmetic over it (PROTOCOL_FACTS §6).
///
/// Three term partitions followed by a 4096-byte metadata section at the end of the file.
public enum LogBufferDescriptor {
    /// Number of term partitions.
    public static let partitionCount = 3
    /// Smallest term length.
    public static let termMinLength = 64 * 1024
    /// Largest term length.
    public static let termMaxLength = 1024 * 1024 * 1024
    /// Smallest page size.
    public static let pageMinSize = 4 * 1024
    /// Largest page size.
    public static let pageMaxSize = 1024 * 1024 * 1024
    /// Length of the metadata section.
    public static let logMetaDataLength = 4096

    // Metadata offsets (relative to the metadata section).
    /// Three `i64` raw tails, one per partition.
    public static let termTailCountersOffset = 0
    /// `i32` active term count.
    public static let activeTermCountOffset = 24
    /// `i64` end-of-stream position.
    public static let endOfStreamPositionOffset = 128
    /// `i32` is-connected flag.
    public static let isConnectedOffset = 136
    /// `i32` active transport count.
    public static let activeTransportCountOffset = 140
    /// `i64` correlation (registration) id of the log.
    public static let correlationIdOffset = 256
    /// `i32` initial term id.
    public static let initialTermIdOffset = 264
    /// `i32` default frame header length.
    public static let defaultFrameHeaderLengthOffset = 268
    /// `i32` MTU.
    public static let mtuLengthOffset = 272
    /// `i32` term length.
    public static let termLengthOffset = 276
    /// `i32` page size.
    public static let pageSizeOffset = 280
    /// `i32` publication window length.
    public static let publicationWindowLengthOffset = 284
    /// `i32` receiver window length.
    public static let receiverWindowLengthOffset = 288
    /// Default frame header (first 32 of 128 bytes used).
    public static let defaultFrameHeaderOffset = 320
    /// Space reserved for the default frame header.
    public static let maxDefaultFrameHeaderLength = 128
    /// `i64` entity tag.
    public static let entityTagOffset = 448
    /// `i64` response correlation id.
    public static let responseCorrelationIdOffset = 456
    /// `i64` linger timeout (ns).
    public static let lingerTimeoutOffset = 464
    /// `i64` untethered window limit timeout (ns).
    public static let untetheredWindowLimitTimeoutOffset = 472
    /// `i64` untethered resting timeout (ns).
    public static let untetheredRestingTimeoutOffset = 480
    /// `u8` flags 488…495: group, is-response, rejoin, reliable, sparse, signal-eos, spies-simulate-connection, tether.
    public static let groupOffset = 488
    /// `u8` sparse flag.
    public static let sparseOffset = 492
    /// `u8` signal-eos flag.
    public static let signalEosOffset = 493
    /// `u8` is-publication-revoked (1.48+).
    public static let isPublicationRevokedOffset = 496
    /// `u8` publication type (1.50+): 0 concurrent, 1 exclusive, 2 network image.
    public static let publicationTypeOffset = 497
    /// `i64` untethered linger timeout (ns, 1.48+).
    public static let untetheredLingerTimeoutOffset = 500

    // MARK: Validation and sizes

    /// Throws unless `termLength` is a power of two in range.
    public static func checkTermLength(_ termLength: Int) throws(LogBufferError) {
        guard termLength >= termMinLength, termLength <= termMaxLength, isPowerOfTwo(termLength) else {
            throw .invalidTermLength(termLength)
        }
    }

    /// Throws unless `pageSize` is a power of two in range.
    public static func checkPageSize(_ pageSize: Int) throws(LogBufferError) {
        guard pageSize >= pageMinSize, pageSize <= pageMaxSize, isPowerOfTwo(pageSize) else {
            throw .invalidPageSize(pageSize)
        }
    }

    /// File length of a log with this term length and page size.
    public static func computeLogLength(termLength: Int, filePageSize: Int) -> Int {
        alignUp(partitionCount * termLength + logMetaDataLength, to: filePageSize)
    }

    /// Longest message a publication on this term length accepts (`min(term/8, 16 MiB)`).
    public static func computeMaxMessageLength(termLength: Int) -> Int { min(termLength / 8, 16 * 1024 * 1024) }

    /// `log2(termLength)`.
    @inlinable public static func positionBitsToShift(termLength: Int) -> Int { termLength.trailingZeroBitCount }

    // MARK: Raw tails and positions

    /// Term id packed in a raw tail.
    @inlinable public static func termId(rawTail: Int64) -> Int32 { Int32(truncatingIfNeeded: rawTail >> 32) }

    /// Term offset packed in a raw tail, clamped to the term length (it can overshoot after the last claim).
    @inlinable public static func termOffset(rawTail: Int64, termLength: Int) -> Int {
        min(Int(rawTail & 0xFFFF_FFFF), termLength)
    }

    /// Packs a term id and offset into a raw tail.
    @inlinable public static func packTail(termId: Int32, termOffset: Int32) -> Int64 {
        (Int64(termId) << 32) | Int64(UInt32(bitPattern: termOffset))
    }

    /// Partition index of a term count.
    @inlinable @inline(__always) public static func indexByTermCount(_ termCount: Int64) -> Int { Int(truncatingIfNeeded: termCount % 3) }

    /// Partition index of the term holding `position`.
    @inlinable @inline(__always) public static func indexByPosition(_ position: Int64, positionBitsToShift: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: position) &>> UInt64(truncatingIfNeeded: positionBitsToShift)) % 3)
    }

    /// Absolute position of `termOffset` in term `activeTermId`.
    @inlinable public static func computePosition(termId activeTermId: Int32, termOffset: Int, positionBitsToShift: Int, initialTermId: Int32) -> Int64 {
        let termCount = Int64(activeTermId &- initialTermId)
        return (termCount << Int64(positionBitsToShift)) + Int64(termOffset)
    }

    /// Position at the start of term `activeTermId`.
    @inlinable public static func computeTermBeginPosition(termId activeTermId: Int32, positionBitsToShift: Int, initialTermId: Int32) -> Int64 {
        Int64(activeTermId &- initialTermId) << Int64(positionBitsToShift)
    }

    /// Term id of the term holding `position`.
    @inlinable public static func computeTermId(position: Int64, positionBitsToShift: Int, initialTermId: Int32) -> Int32 {
        Int32(truncatingIfNeeded: position >> Int64(positionBitsToShift)) &+ initialTermId
    }

    /// `termLength × 2^31`, the first position a log can never reach.
    @inlinable public static func maxPossiblePosition(termLength: Int) -> Int64 { Int64(termLength) << 31 }

    // MARK: Metadata accessors

    /// Offset of partition `index`'s raw tail in the metadata.
    @inlinable public static func tailCounterOffset(_ index: Int) -> Int { termTailCountersOffset + index * 8 }

    /// Raw tail of partition `index` (acquire).
    @inlinable public static func rawTailVolatile(_ metadata: AtomicBuffer, _ index: Int) -> Int64 {
        metadata.int64Acquire(at: tailCounterOffset(index))
    }

    /// Active term count (acquire).
    @inlinable public static func activeTermCount(_ metadata: AtomicBuffer) -> Int32 {
        metadata.int32Acquire(at: activeTermCountOffset)
    }

    /// Release-writes the active term count.
    @inlinable public static func setActiveTermCountOrdered(_ metadata: AtomicBuffer, _ termCount: Int32) {
        metadata.setInt32Release(termCount, at: activeTermCountOffset)
    }

    /// CAS of the active term count.
    @inlinable public static func casActiveTermCount(_ metadata: AtomicBuffer, expected: Int32, desired: Int32) -> Bool {
        metadata.compareAndSetInt32(at: activeTermCountOffset, expected: expected, desired: desired)
    }

    /// Initial term id.
    @inlinable public static func initialTermId(_ metadata: AtomicBuffer) -> Int32 { metadata.int32(at: initialTermIdOffset) }
    /// MTU.
    @inlinable public static func mtuLength(_ metadata: AtomicBuffer) -> Int { Int(metadata.int32(at: mtuLengthOffset)) }
    /// Term length.
    @inlinable public static func termLength(_ metadata: AtomicBuffer) -> Int { Int(metadata.int32(at: termLengthOffset)) }
    /// Page size.
    @inlinable public static func pageSize(_ metadata: AtomicBuffer) -> Int { Int(metadata.int32(at: pageSizeOffset)) }
    /// Is-connected flag (acquire).
    @inlinable public static func isConnected(_ metadata: AtomicBuffer) -> Bool { metadata.int32Acquire(at: isConnectedOffset) == 1 }
    /// Release-writes the is-connected flag.
    @inlinable public static func setIsConnected(_ metadata: AtomicBuffer, _ connected: Bool) {
        metadata.setInt32Release(connected ? 1 : 0, at: isConnectedOffset)
    }
    /// End-of-stream position (acquire).
    @inlinable public static func endOfStreamPosition(_ metadata: AtomicBuffer) -> Int64 { metadata.int64Acquire(at: endOfStreamPositionOffset) }
    /// Release-writes the end-of-stream position.
    @inlinable public static func setEndOfStreamPosition(_ metadata: AtomicBuffer, _ position: Int64) {
        metadata.setInt64Release(position, at: endOfStreamPositionOffset)
    }
    /// Is-publication-revoked flag.
    @inlinable public static func isPublicationRevoked(_ metadata: AtomicBuffer) -> Bool {
        metadata.uint8(at: isPublicationRevokedOffset) != 0
    }

    /// Advances to the next term after `termCount`/`termId` (concurrent publishers and the driver's unblocker):
    /// sets the next partition's tail to the next term id unless someone already did, then bumps the active
    /// term count. Returns whether this caller moved the term count.
    @discardableResult
    public static func rotateLog(_ metadata: AtomicBuffer, termCount: Int32, termId: Int32) -> Bool {
        let nextTermId = termId &+ 1
        let nextTermCount = termCount &+ 1
        let nextIndex = indexByTermCount(Int64(nextTermCount))
        let expectedTermId = nextTermId &- Int32(partitionCount)
        let newRawTail = Int64(nextTermId) << 32
        while true {
            let rawTail = rawTailVolatile(metadata, nextIndex)
            if expectedTermId != LogBufferDescriptor.termId(rawTail: rawTail) { break }
            if metadata.compareAndSetInt64(at: tailCounterOffset(nextIndex), expected: rawTail, desired: newRawTail) { break }
        }
        return casActiveTermCount(metadata, expected: termCount, desired: nextTermCount)
    }

    /// Sets partition `index`'s tail to the start of `termId` (plain; used at creation and by the exclusive writer).
    public static func initialiseTailWithTermId(_ metadata: AtomicBuffer, index: Int, termId: Int32) {
        metadata.setInt64(Int64(termId) << 32, at: tailCounterOffset(index))
    }

    /// Writes the default DATA frame header (flags 0xC0, type DATA) for `sessionId`/`streamId`/`initialTermId`.
    public static func storeDefaultFrameHeader(_ metadata: AtomicBuffer, sessionId: Int32, streamId: Int32, initialTermId: Int32) {
        let base = defaultFrameHeaderOffset
        metadata.fill(0, at: base, count: maxDefaultFrameHeaderLength)
        metadata.setUInt8(DataFrameHeader.currentVersion, at: base + DataFrameHeader.versionOffset)
        metadata.setUInt8(DataFrameHeader.unfragmentedFlags, at: base + DataFrameHeader.flagsOffset)
        metadata.setInt16(DataFrameHeader.typeData, at: base + DataFrameHeader.typeOffset)
        metadata.setInt32(sessionId, at: base + DataFrameHeader.sessionIdOffset)
        metadata.setInt32(streamId, at: base + DataFrameHeader.streamIdOffset)
        metadata.setInt32(initialTermId, at: base + DataFrameHeader.termIdOffset)
        metadata.setInt32(Int32(DataFrameHeader.length), at: defaultFrameHeaderLengthOffset)
    }
}
