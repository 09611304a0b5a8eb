import SBE
import TensorPoolBridgeCodecs
import TensorPoolCodecs

/// The `attributes` group of a metadata message, as both schemas encode it: `DataSourceMeta` (schema 900, from a
/// producer) and `BridgeDataSourceMeta` (schema 901, over a bridge). One set of bounds checks and one decoding
/// serve both, so a consumer and a bridge receiver accept exactly the same metadata.
protocol MetadataAttributeGroup {
    var count: Int { get }
    var index: Int { get }
    mutating func next() throws(SBEError) -> Bool
    mutating func key() throws(SBEError) -> UnsafeRawBufferPointer
    mutating func format() throws(SBEError) -> UnsafeRawBufferPointer
    mutating func value() throws(SBEError) -> UnsafeRawBufferPointer
}

extension DataSourceMetaDecoder.AttributesDecoder: MetadataAttributeGroup {}
extension BridgeDataSourceMetaDecoder.AttributesDecoder: MetadataAttributeGroup {}

extension DataSourceMetadata {
    /// Checks a group against the consumer's bounds (``maxAttributes``, ``maxAttributeBytes``, non-empty printable
    /// ASCII keys, printable ASCII formats) without allocating: nil when within them. Throws when the group's data
    /// do not fit the message.
    static func rejection<Group: MetadataAttributeGroup>(of attributes: Group) throws(SBEError) -> MetadataRejection? {
        var group = attributes
        guard group.count <= maxAttributes else {
            return MetadataRejection(detail: "DataSourceMeta with \(group.count) attributes (at most \(maxAttributes))")
        }
        var total = 0
        while try group.next() {
            let key = try group.key()
            guard !key.isEmpty, MetadataText.isPrintableASCII(key) else {
                return MetadataRejection(detail: "DataSourceMeta attribute \(group.index): key empty or not printable ASCII")
            }
            let format = try group.format()
            guard MetadataText.isPrintableASCII(format) else {
                return MetadataRejection(detail: "DataSourceMeta attribute \(group.index): format not printable ASCII")
            }
            total += key.count + format.count + (try group.value()).count
            guard total <= maxAttributeBytes else {
                return MetadataRejection(detail: "DataSourceMeta attributes exceed \(maxAttributeBytes) bytes")
            }
        }
        return nil
    }

    /// The group's attributes as values (allocates; call after ``rejection(of:)`` returned nil).
    static func attributes<Group: MetadataAttributeGroup>(of attributes: Group) throws(SBEError) -> [MetaAttribute] {
        var entries = attributes
        var decoded: [MetaAttribute] = []
        decoded.reserveCapacity(entries.count)
        while try entries.next() {
            let key = SBEText.string(try entries.key())
            let format = SBEText.string(try entries.format())
            decoded.append(MetaAttribute(key: key, format: format, value: Array(try entries.value())))
        }
        return decoded
    }
}
