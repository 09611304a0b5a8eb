import SharedMemory

/// Layout of `cnc.dat`, the command-and-control file of an Aeron directory.
///
/// A 128-byte metadata header, then five contiguous sections: the to-driver ring buffer, the to-clients broadcast
/// buffer, the counters metadata, the counters values and the distinct error log. The file length is the sum
/// aligned to the file page size. `cnc_version` (offset 0) is written last by the driver: 0 means "not ready".
public enum CncFileDescriptor {
    /// File name inside the Aeron directory.
    public static let fileName = "cnc.dat"
    /// The CnC layout version this code reads and writes: 0.2.0.
    public static let cncVersion: Int32 = SemanticVersion.compose(major: 0, minor: 2, patch: 0)

    /// `i32` version, written last (release).
    public static let cncVersionOffset = 0
    /// `i32` to-driver ring buffer length (with trailer).
    public static let toDriverBufferLengthOffset = 4
    /// `i32` to-clients broadcast buffer length (with trailer).
    public static let toClientsBufferLengthOffset = 8
    /// `i32` counters metadata length.
    public static let countersMetadataBufferLengthOffset = 12
    /// `i32` counters values length.
    public static let countersValuesBufferLengthOffset = 16
    /// `i32` error log length.
    public static let errorLogBufferLengthOffset = 20
    /// `i64` client liveness timeout (ns).
    public static let clientLivenessTimeoutOffset = 24
    /// `i64` driver start time (epoch ms).
    public static let startTimestampOffset = 32
    /// `i64` driver process id.
    public static let pidOffset = 40
    /// `i32` file page size.
    public static let filePageSizeOffset = 48
    /// Bytes of the metadata header (two cache lines).
    public static let metaDataLength = 128

    /// Trailer bytes of the to-driver many-to-one ring buffer.
    public static let toDriverTrailerLength = 768
    /// Trailer bytes of the to-clients broadcast buffer.
    public static let toClientsTrailerLength = BroadcastBufferDescriptor.trailerLength

    /// Section lengths and settings written into the metadata header.
    public struct Layout: Sendable, Equatable {
        /// To-driver ring buffer length including its 768-byte trailer.
        public var toDriverBufferLength: Int
        /// To-clients broadcast buffer length including its 128-byte trailer.
        public var toClientsBufferLength: Int
        /// Counters metadata length (4 × values length).
        public var countersMetadataBufferLength: Int
        /// Counters values length.
        public var countersValuesBufferLength: Int
        /// Distinct error log length.
        public var errorLogBufferLength: Int
        /// Client liveness timeout in nanoseconds.
        public var clientLivenessTimeoutNs: Int64
        /// File page size the file length is aligned to.
        public var filePageSize: Int

        /// The C 1.53 media driver's defaults.
        public static let defaults = Layout(
            toDriverBufferLength: 1_048_576 + CncFileDescriptor.toDriverTrailerLength,
            toClientsBufferLength: 1_048_576 + CncFileDescriptor.toClientsTrailerLength,
            countersMetadataBufferLength: 4 * 8_388_608,
            countersValuesBufferLength: 8_388_608,
            errorLogBufferLength: 4_194_304,
            clientLivenessTimeoutNs: 10_000_000_000,
            filePageSize: 4096)

        /// A layout with these lengths and settings.
        public init(
            toDriverBufferLength: Int, toClientsBufferLength: Int, countersMetadataBufferLength: Int,
            countersValuesBufferLength: Int, errorLogBufferLength: Int, clientLivenessTimeoutNs: Int64, filePageSize: Int
        ) {
            self.toDriverBufferLength = toDriverBufferLength
            self.toClientsBufferLength = toClientsBufferLength
            self.countersMetadataBufferLength = countersMetadataBufferLength
            self.countersValuesBufferLength = countersValuesBufferLength
            self.errorLogBufferLength = errorLogBufferLength
            self.clientLivenessTimeoutNs = clientLivenessTimeoutNs
            self.filePageSize = filePageSize
        }

        /// Offset of the to-driver ring buffer.
        public var toDriverBufferOffset: Int { CncFileDescriptor.metaDataLength }
        /// Offset of the to-clients broadcast buffer.
        public var toClientsBufferOffset: Int { toDriverBufferOffset + toDriverBufferLength }
        /// Offset of the counters metadata.
        public var countersMetadataBufferOffset: Int { toClientsBufferOffset + toClientsBufferLength }
        /// Offset of the counters values.
        public var countersValuesBufferOffset: Int { countersMetadataBufferOffset + countersMetadataBufferLength }
        /// Offset of the error log.
        public var errorLogBufferOffset: Int { countersValuesBufferOffset + countersValuesBufferLength }
        /// Bytes used by the header and sections, before page alignment.
        public var requiredLength: Int { errorLogBufferOffset + errorLogBufferLength }
        /// File length: ``requiredLength`` aligned to the page size.
        public var fileLength: Int { (requiredLength + filePageSize - 1) & ~(filePageSize - 1) }

        /// Reads the lengths from a metadata header (untrusted: check with ``validate(fileLength:)``).
        public init(metadata buffer: AtomicBuffer) {
            self.init(
                toDriverBufferLength: Int(buffer.int32(at: CncFileDescriptor.toDriverBufferLengthOffset)),
                toClientsBufferLength: Int(buffer.int32(at: CncFileDescriptor.toClientsBufferLengthOffset)),
                countersMetadataBufferLength: Int(buffer.int32(at: CncFileDescriptor.countersMetadataBufferLengthOffset)),
                countersValuesBufferLength: Int(buffer.int32(at: CncFileDescriptor.countersValuesBufferLengthOffset)),
                errorLogBufferLength: Int(buffer.int32(at: CncFileDescriptor.errorLogBufferLengthOffset)),
                clientLivenessTimeoutNs: buffer.int64(at: CncFileDescriptor.clientLivenessTimeoutOffset),
                filePageSize: Int(buffer.int32(at: CncFileDescriptor.filePageSizeOffset)))
        }

        /// Checks the geometry clients rely on: powers of two, metadata = 4 × values, sections inside the file.
        public func validate(fileLength: Int) throws(CncFileError) {
            let toDriverCapacity = toDriverBufferLength - CncFileDescriptor.toDriverTrailerLength
            let toClientsCapacity = toClientsBufferLength - CncFileDescriptor.toClientsTrailerLength
            func powerOfTwo(_ v: Int) -> Bool { v > 0 && v & (v - 1) == 0 }
            guard powerOfTwo(toDriverCapacity) else { throw .invalidLayout("to-driver buffer capacity is not a power of 2: length=\(toDriverBufferLength)") }
            guard powerOfTwo(toClientsCapacity) else { throw .invalidLayout("to-clients buffer capacity is not a power of 2: length=\(toClientsBufferLength)") }
            guard countersValuesBufferLength > 0, countersValuesBufferLength % 128 == 0 else { throw .invalidLayout("counters values length must be a positive multiple of 128: \(countersValuesBufferLength)") }
            guard countersMetadataBufferLength == 4 * countersValuesBufferLength else { throw .invalidLayout("counters metadata length must be 4 x values length: \(countersMetadataBufferLength)") }
            guard errorLogBufferLength >= 0 else { throw .invalidLayout("negative error log length") }
            guard requiredLength <= fileLength else { throw .fileTooShort(required: requiredLength, actual: fileLength) }
        }
    }
}

/// Encodes and decodes `(major << 16) | (minor << 8) | patch`.
public enum SemanticVersion {
    /// `(major << 16) | (minor << 8) | patch`.
    @inlinable public static func compose(major: Int32, minor: Int32, patch: Int32) -> Int32 { (major << 16) | (minor << 8) | patch }
    /// Major part.
    @inlinable public static func major(_ version: Int32) -> Int32 { (version >> 16) & 0xFF }
    /// Minor part.
    @inlinable public static func minor(_ version: Int32) -> Int32 { (version >> 8) & 0xFF }
    /// Patch part.
    @inlinable public static func patch(_ version: Int32) -> Int32 { version & 0xFF }
    /// `"major.minor.patch"`.
    public static func string(_ version: Int32) -> String { "\(major(version)).\(minor(version)).\(patch(version))" }
}

/// Why a CnC file cannot be created or used.
public enum CncFileError: Error, Equatable, CustomStringConvertible {
    /// The file does not exist or is still too short to hold the header.
    case notCreated(path: String)
    /// The file exists but the driver has not written `cnc_version` yet.
    case notInitialised(path: String)
    /// The file's major version differs from ours, or its minor is older than 0.2.
    case versionMismatch(file: Int32, expected: Int32)
    /// A section length is inconsistent.
    case invalidLayout(String)
    /// The file is shorter than its sections.
    case fileTooShort(required: Int, actual: Int)
    /// A system call failed.
    case system(SystemError)

    /// What is wrong with the CnC file, in the words of Aeron's own messages where there is one.
    public var description: String {
        switch self {
        case .notCreated(let path): "CnC file not created: \(path)"
        case .notInitialised(let path): "CnC file is created but not initialised: \(path)"
        case .versionMismatch(let file, let expected):
            "CnC version not compatible: app=\(SemanticVersion.string(expected)) file=\(SemanticVersion.string(file))"
        case .invalidLayout(let why): "invalid CnC layout: \(why)"
        case .fileTooShort(let required, let actual): "CnC file too short: required=\(required) length=\(actual)"
        case .system(let error): "\(error)"
        }
    }
}
