/// Layout of a distinct error log (the last section of `cnc.dat`).
///
/// Records from offset 0, each aligned to 8: `i32 length` (24 + text bytes; 0 ends the log), `i32 observation
/// count`, `i64 last observation` (epoch ms), `i64 first observation` (epoch ms), then the error text.
public enum ErrorLogDescriptor {
    /// Offset of the `i32` record length (24 + text; 0 ends the log).
    public static let lengthOffset = 0
    /// Offset of the `i32` observation count.
    public static let observationCountOffset = 4
    /// Offset of the `i64` last observation time (epoch ms).
    public static let lastObservationTimestampOffset = 8
    /// Offset of the `i64` first observation time (epoch ms).
    public static let firstObservationTimestampOffset = 16
    /// Offset of the error text.
    public static let encodedErrorOffset = 24
    /// Records are aligned to 8 bytes.
    public static let recordAlignment = 8

    @inline(__always)
    static func align(_ value: Int, _ alignment: Int) -> Int { (value + alignment - 1) & ~(alignment - 1) }
}
