import SharedMemory

/// A mapped `.logbuffer` file: three term partitions and the metadata section (PROTOCOL_FACTS §6.1).
///
/// The mapping lives as long as this object; publications and images that share a log share one instance.
public final class LogBuffers: @unchecked Sendable {
    /// The whole mapping.
    public let mappedFile: MappedFile
    /// Term partitions 0, 1, 2.
    public let termBuffers: [AtomicBuffer]
    /// The 4096-byte metadata section.
    public let metadata: AtomicBuffer
    /// Term length.
    public let termLength: Int

    /// Maps an existing log buffer file and validates its term length, page size and length.
    public init(path: String) throws {
        let file = try MappedFile.open(path: path, writable: true,
                                       minimumLength: LogBufferDescriptor.partitionCount * LogBufferDescriptor.termMinLength + LogBufferDescriptor.logMetaDataLength)
        let metadata = file.buffer.slice(offset: file.length - LogBufferDescriptor.logMetaDataLength, length: LogBufferDescriptor.logMetaDataLength)
        let termLength = LogBufferDescriptor.termLength(metadata)
        let pageSize = LogBufferDescriptor.pageSize(metadata)
        try LogBufferDescriptor.checkTermLength(termLength)
        try LogBufferDescriptor.checkPageSize(pageSize)
        let expected = LogBufferDescriptor.computeLogLength(termLength: termLength, filePageSize: pageSize)
        guard file.length >= expected else { throw LogBufferError.fileTooShort(path: path, length: file.length, expected: expected) }
        self.mappedFile = file
        self.metadata = metadata
        self.termLength = termLength
        termBuffers = (0..<LogBufferDescriptor.partitionCount).map { file.buffer.slice(offset: $0 * termLength, length: termLength) }
    }

    /// Creates a zeroed log buffer file with `termLength`/`pageSize` written to its metadata (driver side and
    /// tests); the caller initialises the rest of the metadata.
    public init(creating path: String, termLength: Int, filePageSize: Int = 4096) throws {
        try LogBufferDescriptor.checkTermLength(termLength)
        try LogBufferDescriptor.checkPageSize(filePageSize)
        let length = LogBufferDescriptor.computeLogLength(termLength: termLength, filePageSize: filePageSize)
        let file = try MappedFile.create(path: path, length: length)
        let metadata = file.buffer.slice(offset: length - LogBufferDescriptor.logMetaDataLength, length: LogBufferDescriptor.logMetaDataLength)
        metadata.setInt32(Int32(termLength), at: LogBufferDescriptor.termLengthOffset)
        metadata.setInt32(Int32(filePageSize), at: LogBufferDescriptor.pageSizeOffset)
        self.mappedFile = file
        self.metadata = metadata
        self.termLength = termLength
        termBuffers = (0..<LogBufferDescriptor.partitionCount).map { file.buffer.slice(offset: $0 * termLength, length: termLength) }
    }

    /// Initialises a fresh log's metadata the way the C driver does for an IPC publication (§6.2): tails,
    /// term count, EOS, default header, MTU, window. Used by tests and embedded drivers.
    public func initialiseMetadata(correlationId: Int64, initialTermId: Int32, mtu: Int, sessionId: Int32, streamId: Int32,
                                   publicationWindow: Int? = nil, isConnected: Bool = false) {
        LogBufferDescriptor.initialiseTailWithTermId(metadata, index: 0, termId: initialTermId)
        LogBufferDescriptor.initialiseTailWithTermId(metadata, index: 1, termId: initialTermId &- 2)
        LogBufferDescriptor.initialiseTailWithTermId(metadata, index: 2, termId: initialTermId &- 1)
        metadata.setInt32(0, at: LogBufferDescriptor.activeTermCountOffset)
        metadata.setInt64(correlationId, at: LogBufferDescriptor.correlationIdOffset)
        metadata.setInt32(initialTermId, at: LogBufferDescriptor.initialTermIdOffset)
        metadata.setInt32(Int32(mtu), at: LogBufferDescriptor.mtuLengthOffset)
        metadata.setInt32(Int32(publicationWindow ?? termLength / 2), at: LogBufferDescriptor.publicationWindowLengthOffset)
        LogBufferDescriptor.storeDefaultFrameHeader(metadata, sessionId: sessionId, streamId: streamId, initialTermId: initialTermId)
        LogBufferDescriptor.setIsConnected(metadata, isConnected)
        LogBufferDescriptor.setEndOfStreamPosition(metadata, .max)
    }
}
