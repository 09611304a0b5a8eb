#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SharedMemory
import TensorPoolCodecs

/// The shared steps of mapping an announced region (consumer side, §15.1, §15.22), and of creating one.
enum RegionMapping {
    /// Opens `uri` under `root`, checks hugepage backing and stride rules, maps exactly the announced length
    /// (read-only unless `writable`) and validates the superblock against `expected`.
    static func map(
        uri: ShmRegionURI, root: RegionRoot, expected: RegionExpectation, writable: Bool
    ) throws(RegionError) -> MappedFile {
        try validateSlotCount(Int(expected.nslots))
        // The stride rules first: a hostile stride is named as such, not as the huge file it would need.
        let isPool = expected.regionType == .payloadPool
        if isPool { try StrideRule.validate(strideBytes: Int(expected.strideBytes), pageSize: HugepageBacking.pageSize) }
        let length = expected.regionLength
        let opened: (fd: Int32, size: Int)
        do { opened = try root.openRegionFile(uri.path, writable: writable, minimumLength: length) } catch { throw .path(error) }
        defer { close(opened.fd) }
        let backing = try HugepageBacking.of(fileDescriptor: opened.fd, path: uri.path)
        if uri.requireHugepages {
            let hugepageSize = try HugepageBacking.requireHugepages(of: backing, path: uri.path)
            if isPool {
                try StrideRule.validate(strideBytes: Int(expected.strideBytes), pageSize: HugepageBacking.pageSize, hugepageSize: hugepageSize)
            }
        }
        let file: MappedFile
        do {
            file = try MappedFile(fileDescriptor: opened.fd, length: length, writable: writable,
                                  granularity: backing.mappingGranularity, path: uri.path)
        } catch let error as SystemError {
            throw .system(error)
        } catch {
            throw .system(SystemError("mmap", path: uri.path, errno: EIO))
        }
        let superblock: Superblock
        do { superblock = try Superblock(from: file.buffer) } catch {
            throw .path(.tooSmall(path: uri.path, size: length, required: RegionLayout.superblockSize))
        }
        do { try superblock.validate(against: expected) } catch { throw .superblock(error) }
        return file
    }

    /// Creates a new zero-filled region file (mode `permissions` minus the umask, never an existing file),
    /// lets `initialise` fill the body, then writes the superblock last and flushes it to the file.
    static func create(
        path: String, superblock: Superblock, permissions: mode_t, initialise: (AtomicBuffer) -> Void = { _ in }
    ) throws(RegionError) -> MappedFile {
        let length = RegionLayout.superblockSize + Int(superblock.nslots) * Int(superblock.strideBytes)
        // On hugetlbfs the file is a whole number of hugepages (the logical region is the first `length` bytes).
        let backing = try HugepageBacking.of(path: parentDirectory(of: path))
        let file: MappedFile
        do {
            file = try MappedFile.create(path: path, length: length, permissions: permissions, exclusive: true,
                                         granularity: backing.mappingGranularity)
        } catch let error as SystemError {
            // EEXIST: someone else's file, never touch it. Otherwise the file may have been created before the
            // failure (ftruncate/fallocate/mmap, e.g. a full disk): remove the partial file.
            if error.errno == EEXIST { throw .alreadyExists(path) }
            if error.operation != "open" { unlink(path) }
            // hugetlbfs reserves its pages at fallocate: ENOSPC there means too few free hugepages, not a full disk.
            if backing.isHugetlbfs && error.errno == ENOSPC {
                throw .hugepagesExhausted(path: path, bytes: length, hugepageSize: backing.blockSize)
            }
            throw .system(error)
        } catch {
            unlink(path)
            throw .system(SystemError("create", path: path, errno: EIO))
        }
        initialise(file.buffer)
        do { try superblock.write(to: file.buffer) } catch {
            unlink(path)
            throw .invalidConfiguration("region '\(path)' of \(length) bytes cannot hold a superblock")
        }
        do { try file.sync() } catch {
            unlink(path)
            throw .system(error as? SystemError ?? SystemError("msync", path: path, errno: EIO))
        }
        return file
    }

    /// The directory holding `path` ("/" for a file at the root), whose filesystem a new region file will be on.
    static func parentDirectory(of path: String) -> String {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return directory.isEmpty ? "/" : directory
    }

    static func validateSlotCount(_ nslots: Int) throws(RegionError) {
        guard nslots > 0, nslots <= 1 << 30 else { throw .invalidSlotCount(nslots: nslots, reason: "must be in 1...2^30") }
        guard nslots & (nslots - 1) == 0 else { throw .invalidSlotCount(nslots: nslots, reason: "not a power of two") }
    }
}

extension MappedFile {
    /// The superblock of a region mapping. Every region mapping is at least 64 bytes long (checked when it was
    /// created or mapped), so decoding cannot fail; a failure would be a broken invariant, not bad input.
    func readSuperblock() -> Superblock {
        do { return try Superblock(from: buffer) } catch { preconditionFailure("region mapping shorter than a superblock") }
    }
}
