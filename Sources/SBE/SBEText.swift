/// String conveniences for character data (not for hot paths: they allocate Strings).
public enum SBEText {
    /// Decodes `bytes` as UTF-8 (US-ASCII is a subset); invalid sequences become U+FFFD.
    public static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes a fixed-length char array: the characters before the first NUL.
    public static func fixedString(_ bytes: UnsafeRawBufferPointer) -> String {
        var end = 0
        while end < bytes.count, bytes[end] != 0 { end += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
    }

    /// Calls `body` with the UTF-8 bytes of `value`; with `asciiOnly`, throws on any non-ASCII byte.
    public static func withBytes<R>(
        of value: String, asciiOnly: Bool,
        _ body: (UnsafeRawBufferPointer) throws(SBEError) -> R
    ) throws(SBEError) -> R {
        var text = value
        let result: Result<R, SBEError> = text.withUTF8 { utf8 in
            if asciiOnly, utf8.contains(where: { $0 >= 0x80 }) {
                return .failure(SBEError.invalidCharacterEncoding)
            }
            do throws(SBEError) {
                return .success(try body(UnsafeRawBufferPointer(utf8)))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Calls `body` with the bytes of `array` (no copy). Works around passing a typed-throws closure to
    /// the rethrows `withUnsafeBytes`, which crashes the Swift 6.3 compiler.
    @inlinable
    public static func withBytes<R>(
        of array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(SBEError) -> R
    ) throws(SBEError) -> R {
        let result: Result<R, SBEError> = array.withUnsafeBytes { bytes in
            do throws(SBEError) {
                return .success(try body(bytes))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Writes `bytes` into a fixed char array of `length` bytes at `offset`, padding with NUL.
    @inlinable
    public static func storeFixed(
        _ base: UnsafeMutableRawPointer, _ offset: Int, length: Int, bytes: UnsafeRawBufferPointer
    ) throws(SBEError) {
        guard bytes.count <= length else { throw SBEError.valueOutOfRange }
        if let source = bytes.baseAddress, bytes.count > 0 {
            (base + offset).copyMemory(from: source, byteCount: bytes.count)
        }
        if bytes.count < length {
            (base + offset + bytes.count).initializeMemory(as: UInt8.self, repeating: 0, count: length - bytes.count)
        }
    }
}
