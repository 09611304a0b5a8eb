/// Layout of a distinct error log (the last section of `cnc.dat`).
///
/// Records from offset 0, each aligned to 8: `i32 length` (24 + text bytes; 0 ends the log), `i32 observation
/// count`, `i64 last observation` (epoch ms), `i64 first observation` (epoch ms), then the error text.
public enum ErrorLogDescriptor {
    public static let lengthOffset = 0
    public static let observationCountOffset = 4
    public static let lastObservationTimestampOffset = 8
    public static let firstObservationTimestampOffset = 16
    public static let encodedErrorOffset = 24
    public static let recordAlignment = 8

    @inline(__always)
    static func align(_ value: Int, _ alignment: Int) -> Int { (value + alignment - 1) & ~(alignment - 1) }
}
