/// The text rules for the `varAsciiEncoding` fields of the metadata messages as a consumer accepts them.
enum MetadataText {
    /// Whether every byte is printable US-ASCII (0x20...0x7E): the rule for attribute keys and formats, which are
    /// looked up and printed, so UTF-8, control characters and NULs are refused.
    static func isPrintableASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte < 0x20 || byte > 0x7E { return false }
        return true
    }

    /// Whether every byte is US-ASCII (below 0x80): the rule for free text (a source's name and summary), which may
    /// hold line breaks or tabs.
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte >= 0x80 { return false }
        return true
    }
}
