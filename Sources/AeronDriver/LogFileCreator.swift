#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import AeronConcurrent
import SharedMemory

/// Creates a publication's `.logbuffer` file at full length, sparse (pages materialise on first touch, like the
/// C driver's default) or fully touched, and maps it.
enum LogFileCreator {
    static func create(path: String, termLength: Int, filePageSize: Int, sparse: Bool) throws -> LogBuffers {
        try LogBufferDescriptor.checkTermLength(termLength)
        try LogBufferDescriptor.checkPageSize(filePageSize)
        let length = LogBufferDescriptor.computeLogLength(termLength: termLength, filePageSize: filePageSize)
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o666)
        guard fd >= 0 else { throw SystemError.current("open", path: path) }
        defer { close(fd) }
        guard ftruncate(fd, off_t(length)) == 0 else {
            let error = SystemError.current("ftruncate", path: path)
            unlink(path)
            throw error
        }
        if !sparse {
            let rc = posix_fallocate(fd, 0, off_t(length))
            if rc != 0 && rc != EOPNOTSUPP && rc != EINVAL {
                unlink(path)
                throw SystemError("posix_fallocate", path: path, errno: rc)
            }
        }
        let metadataOffset = length - LogBufferDescriptor.logMetaDataLength
        do {
            // Term length and page size first so the log validates when mapped as a client maps it.
            let file = try MappedFile(fileDescriptor: fd, length: length, writable: true, path: path)
            file.buffer.setInt32(Int32(termLength), at: metadataOffset + LogBufferDescriptor.termLengthOffset)
            file.buffer.setInt32(Int32(filePageSize), at: metadataOffset + LogBufferDescriptor.pageSizeOffset)
        }
        do { return try LogBuffers(path: path) } catch {
            unlink(path)
            throw error
        }
    }
}
