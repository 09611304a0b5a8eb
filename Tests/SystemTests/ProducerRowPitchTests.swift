import Foundation
import Testing
import TensorPool
import TensorPoolCore
@testable import tp

/// `tp producer --row-pitch-bytes`: argument checks and the row-by-row pattern checks a padded frame needs.
@Suite struct ProducerRowPitchArgumentTests {
    static func message(_ arguments: [String]) -> String? {
        do {
            _ = try ProducerCommand.parse(arguments)
            return nil
        } catch {
            return ProducerCommand.message(for: error)
        }
    }

    @Test func aPitchThatCannotHoldTheRowsIsRefusedWithItsReason() {
        // 100 UINT16 per row = 200 bytes.
        #expect(Self.message(["--shape", "32x100", "--dtype", "uint16", "--row-pitch-bytes", "198"])?
            .contains("smaller than a row of 100 UINT16 (200 bytes)") == true)
        #expect(Self.message(["--shape", "32x100", "--dtype", "uint16", "--row-pitch-bytes", "257"])?
            .contains("not a multiple of the 2-byte UINT16 element") == true)
        #expect(Self.message(["--size", "4096", "--row-pitch-bytes", "8192"])?
            .contains("needs a --shape of 2 or more dimensions") == true)
        #expect(Self.message(["--shape", "100000x4", "--row-pitch-bytes", "20000"])?
            .contains("larger than the 1 GiB payload pool limit") == true)
        #expect(Self.message(["--shape", "4x4", "--row-pitch-bytes=-8"])?.contains("smaller than a row") == true)
    }

    @Test func anAcceptedPitchBecomesStrideZeroAndSizesTheFrame() throws {
        let command = try ProducerCommand.parse(["--shape", "32x10x10", "--dtype", "uint16", "--row-pitch-bytes", "256"])
        let layout = try command.frameLayout()
        #expect(layout.strides[0] == 256 && layout.strides[1] == 0 && layout.strides[2] == 0)
        #expect(ProducerCommand.frameByteCount(layout, rowPitchBytes: command.rowPitchBytes) == 32 * 256)
        let source = SyntheticFrameSource(layout: layout, rateHz: 0, zeroCopy: true, maxFrames: 0)
        #expect(source.frameByteCount == 32 * 256)
        // Without the option the layout stays contiguous; a pitch equal to the row is accepted (not padded).
        let dense = try ProducerCommand.parse(["--shape", "32x100", "--dtype", "uint16"]).frameLayout()
        #expect(dense.strides[0] == 0)
        let exact = try ProducerCommand.parse(["--shape", "32x100", "--dtype", "uint16", "--row-pitch-bytes", "200"])
        #expect(SyntheticFrameSource(layout: try exact.frameLayout(), rateHz: 0, zeroCopy: true, maxFrames: 0).frameByteCount == 6400)
    }

    /// Rows at `r * pitch` with the pattern at their own offsets and poison padding: the row check passes and never
    /// reads the padding, a whole-frame check fails on it, and a changed row byte fails the row check.
    @Test func paddedRowsVerifyRowByRowAndNeverThePadding() {
        let rows = 8, rowBytes = 203, pitch = 256, epoch: UInt64 = 77, seq: UInt64 = 5
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: rows * pitch, alignment: 64)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: SyntheticFramePattern.paddingByte)
        for r in 0..<rows {
            SyntheticFramePattern.fill(buffer, range: (r * pitch)..<(r * pitch + rowBytes), epoch: epoch, seq: seq)
        }
        let bytes = UnsafeRawBufferPointer(buffer)
        #expect(SyntheticFramePattern.matchesRows(bytes, rows: rows, rowBytes: rowBytes, pitch: pitch, epoch: epoch, seq: seq))
        #expect(SyntheticFramePattern.isWholeFrame(bytes, rows: rows, rowBytes: rowBytes, pitch: pitch))
        #expect(!SyntheticFramePattern.matches(bytes, epoch: epoch, seq: seq))
        #expect(!SyntheticFramePattern.matchesRows(bytes, rows: rows, rowBytes: rowBytes, pitch: pitch, epoch: epoch, seq: seq + 1))
        // Rows past the buffer, or a pitch below the row: false, never a read out of bounds.
        #expect(!SyntheticFramePattern.matchesRows(bytes, rows: rows + 1, rowBytes: rowBytes, pitch: pitch, epoch: epoch, seq: seq))
        #expect(!SyntheticFramePattern.matchesRows(bytes, rows: rows, rowBytes: rowBytes, pitch: 100, epoch: epoch, seq: seq))
        buffer[3 * pitch + rowBytes + 10] ^= 0xFF          // padding: not checked
        #expect(SyntheticFramePattern.matchesRows(bytes, rows: rows, rowBytes: rowBytes, pitch: pitch, epoch: epoch, seq: seq))
        buffer[5 * pitch + 7] ^= 0x01                      // a row byte
        #expect(!SyntheticFramePattern.matchesRows(bytes, rows: rows, rowBytes: rowBytes, pitch: pitch, epoch: epoch, seq: seq))
        #expect(!SyntheticFramePattern.isWholeFrame(bytes, rows: rows, rowBytes: rowBytes, pitch: pitch))
    }
}

extension MultiProcessTests {
    /// `tp producer --row-pitch-bytes --progress-steps` with `tp consumer --progress --verify` (rows read while the
    /// frame is written) and `tp consumer --verify` (whole frames, row by row): every prefix is an intact row read
    /// of the pattern, none refused (STARTED carries rows_filled 0), and no frame is corrupt (padding is poison).
    @Test func paddedRowPitchProgressIsReadAsRowsAndVerified() throws {
        let dirs = WiringDirectories("pitch")
        defer { dirs.remove() }
        let driver = try Self.driver(dirs)
        defer { driver.killNow() }
        let common = ["--aeron-dir", dirs.aeron, "--shm-root", dirs.shm, "--stream-id", "11"]
        let rows = try WiringProcess("rows", arguments: ["consumer"] + common + ["--progress", "--verify", "--count", "30",
                                                                              "--duration", "45", "--consumer-id", "1"])
        defer { rows.killNow() }
        let frames = try WiringProcess("frames", arguments: ["consumer"] + common + ["--verify", "--count", "30",
                                                                                  "--duration", "45", "--consumer-id", "2"])
        defer { frames.killNow() }
        // 512 rows of 1000 bytes at a 1024-byte pitch; 4 steps of 128 KiB rows (above the default 64 KiB delta).
        let producer = try WiringProcess("producer", arguments: ["producer"] + common + [
            "--rate", "20", "--shape", "512x1000", "--row-pitch-bytes", "1024", "--progress-steps", "4",
            "--duration", "50", "--quiet"])
        defer { producer.killNow() }

        let rowsExit = rows.waitForExit(timeout: 55)
        let framesExit = frames.waitForExit(timeout: 10)
        #expect(rowsExit == 0, "rows consumer: \(rows.output)\nproducer: \(producer.output)")
        #expect(framesExit == 0, "frames consumer: \(frames.output)")
        let r = rows.summary(prefix: "tp consumer: summary")
        let f = frames.summary(prefix: "tp consumer: summary")
        #expect(Int(r["verified"] ?? "") ?? 0 >= 30 && r["corrupt"] == "0", "\(rows.output)")
        #expect(Int(f["verified"] ?? "") ?? 0 >= 30 && f["corrupt"] == "0", "\(frames.output)")
        let intact = Int(r["prefix_intact"] ?? "") ?? 0
        #expect(intact > 0, "\(rows.output)")
        #expect(r["prefix_rows"] == r["prefix_intact"], "\(rows.output)")
        #expect(r["prefix_verified"] == r["prefix_intact"] && r["prefix_corrupt"] == "0", "\(rows.output)")
        // None refused for the layout: padded rows are readable as rows from STARTED (rows_filled 0) on. An update
        // that arrives before the regions are mapped, or after its slot was reused (a consumer stalled for a few
        // frames on a loaded machine), is a normal refusal: a few may happen, never most.
        #expect(r["prefix_not_staged"] == "0" && r["prefix_refused_informational"] == "0" && r["prefix_refused_invalid"] == "0",
                "\(rows.output)")
        let late = (Int(r["prefix_refused_epoch"] ?? "") ?? 0) + (Int(r["prefix_refused_slot"] ?? "") ?? 0)
        #expect(late * 4 <= intact, "\(rows.output)")
        #expect(Int(r["prefix_refused"] ?? "") == late, "\(rows.output)")
        #expect(producer.output.contains("(524288 bytes, row pitch 1024)"), "\(producer.output)")
    }
}
