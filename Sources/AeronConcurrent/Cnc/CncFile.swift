#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SharedMemory

/// A mapped `cnc.dat` with views of its sections.
///
/// Drivers ``create(path:layout:startTimestampMs:pid:)`` it, initialise the sections, then ``publishVersion(_:)``.
/// Clients ``open(path:)`` it, which validates the version and the geometry.
public final class CncFile: @unchecked Sendable {
    /// The mapping (kept alive by this object).
    public let file: MappedFile
    /// Lengths and settings from the header.
    public let layout: CncFileDescriptor.Layout

    /// The 128-byte metadata header.
    public var metadata: AtomicBuffer { file.buffer.slice(offset: 0, length: CncFileDescriptor.metaDataLength) }
    /// The to-driver many-to-one ring buffer, trailer included.
    public var toDriverBuffer: AtomicBuffer { file.buffer.slice(offset: layout.toDriverBufferOffset, length: layout.toDriverBufferLength) }
    /// The to-clients broadcast buffer, trailer included.
    public var toClientsBuffer: AtomicBuffer { file.buffer.slice(offset: layout.toClientsBufferOffset, length: layout.toClientsBufferLength) }
    /// Counters metadata records.
    public var countersMetadataBuffer: AtomicBuffer { file.buffer.slice(offset: layout.countersMetadataBufferOffset, length: layout.countersMetadataBufferLength) }
    /// Counters values records.
    public var countersValuesBuffer: AtomicBuffer { file.buffer.slice(offset: layout.countersValuesBufferOffset, length: layout.countersValuesBufferLength) }
    /// The distinct error log.
    public var errorLogBuffer: AtomicBuffer { file.buffer.slice(offset: layout.errorLogBufferOffset, length: layout.errorLogBufferLength) }

    /// `cnc_version` (acquire): 0 until the driver has finished initialising.
    public var cncVersion: Int32 { file.buffer.int32Acquire(at: CncFileDescriptor.cncVersionOffset) }
    /// Client liveness timeout (ns).
    public var clientLivenessTimeoutNs: Int64 { layout.clientLivenessTimeoutNs }
    /// Driver start time (epoch ms).
    public var startTimestampMs: Int64 { file.buffer.int64(at: CncFileDescriptor.startTimestampOffset) }
    /// Driver process id.
    public var pid: Int64 { file.buffer.int64(at: CncFileDescriptor.pidOffset) }

    private init(file: MappedFile, layout: CncFileDescriptor.Layout) {
        self.file = file
        self.layout = layout
    }

    /// Creates `path` at its full (zero-filled) length and writes every header field except `cnc_version`.
    /// Fails if the file already exists.
    public static func create(
        path: String, layout: CncFileDescriptor.Layout, startTimestampMs: Int64, pid: Int64
    ) throws(CncFileError) -> CncFile {
        try layout.validate(fileLength: layout.fileLength)
        guard layout.toDriverBufferLength <= Int(Int32.max), layout.toClientsBufferLength <= Int(Int32.max),
              layout.countersMetadataBufferLength <= Int(Int32.max), layout.errorLogBufferLength <= Int(Int32.max),
              layout.filePageSize > 0, layout.filePageSize & (layout.filePageSize - 1) == 0 else {
            throw .invalidLayout("section lengths must fit in 32 bits and the page size must be a power of 2")
        }
        let file: MappedFile
        do { file = try MappedFile.create(path: path, length: layout.fileLength, permissions: 0o666) }
        catch let error as SystemError { throw .system(error) }
        catch { throw .invalidLayout("\(error)") }
        let b = file.buffer
        b.setInt32(Int32(layout.toDriverBufferLength), at: CncFileDescriptor.toDriverBufferLengthOffset)
        b.setInt32(Int32(layout.toClientsBufferLength), at: CncFileDescriptor.toClientsBufferLengthOffset)
        b.setInt32(Int32(layout.countersMetadataBufferLength), at: CncFileDescriptor.countersMetadataBufferLengthOffset)
        b.setInt32(Int32(layout.countersValuesBufferLength), at: CncFileDescriptor.countersValuesBufferLengthOffset)
        b.setInt32(Int32(layout.errorLogBufferLength), at: CncFileDescriptor.errorLogBufferLengthOffset)
        b.setInt64(layout.clientLivenessTimeoutNs, at: CncFileDescriptor.clientLivenessTimeoutOffset)
        b.setInt64(startTimestampMs, at: CncFileDescriptor.startTimestampOffset)
        b.setInt64(pid, at: CncFileDescriptor.pidOffset)
        b.setInt32(Int32(layout.filePageSize), at: CncFileDescriptor.filePageSizeOffset)
        return CncFile(file: file, layout: layout)
    }

    /// Release-writes `cnc_version`: the signal that the driver has initialised every section.
    public func publishVersion(_ version: Int32 = CncFileDescriptor.cncVersion) {
        file.buffer.setInt32Release(version, at: CncFileDescriptor.cncVersionOffset)
        try? file.sync()
    }

    /// Maps an existing `cnc.dat` read-write and validates it as a client does: initialised, major version 0
    /// with minor ≥ 2, consistent geometry.
    public static func open(path: String) throws(CncFileError) -> CncFile {
        let file: MappedFile
        do { file = try MappedFile.open(path: path, writable: true, minimumLength: CncFileDescriptor.metaDataLength + 1) }
        catch let error as SystemError {
            if error.errno == ENOENT || error.errno == EINVAL { throw .notCreated(path: path) }
            throw .system(error)
        } catch { throw .notCreated(path: path) }
        let version = file.buffer.int32Acquire(at: CncFileDescriptor.cncVersionOffset)
        guard version != 0 else { throw .notInitialised(path: path) }
        try checkVersion(version)
        let layout = CncFileDescriptor.Layout(metadata: file.buffer)
        try layout.validate(fileLength: file.length)
        return CncFile(file: file, layout: layout)
    }

    /// Throws unless `version` has our major and a minor at least ours.
    public static func checkVersion(_ version: Int32) throws(CncFileError) {
        let expected = CncFileDescriptor.cncVersion
        guard SemanticVersion.major(version) == SemanticVersion.major(expected),
              SemanticVersion.minor(version) >= SemanticVersion.minor(expected) else {
            throw .versionMismatch(file: version, expected: expected)
        }
    }
}
