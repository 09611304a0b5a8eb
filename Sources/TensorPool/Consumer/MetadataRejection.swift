/// Why a well-formed `DataSourceAnnounce` or `DataSourceMeta` was not accepted (over a consumer's bounds, or text
/// that is not printable US-ASCII): counted as ``ControlMessageRejection/invalidContent``, the previous copy kept.
struct MetadataRejection: Error {
    /// Diagnostic for the rate-limited rejection log line.
    let detail: String
}
