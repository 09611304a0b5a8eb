/// The resolved in-memory model (IR) of an SBE message schema: every type reference resolved, every
/// offset and block length computed. `SBEGenerator` builds it from XML; generated code embeds it as
/// metadata so tools (`tp wire`) can encode and decode any message generically.

/// An SBE primitive type.
public enum SBEPrimitiveType: String, Sendable, Equatable, CaseIterable {
    /// A 1-byte character (US-ASCII unless the type says otherwise); arrays of it are fixed-length strings.
    case char
    /// Signed 8-bit integer.
    case int8
    /// Signed 16-bit integer, little-endian.
    case int16
    /// Signed 32-bit integer, little-endian.
    case int32
    /// Signed 64-bit integer, little-endian.
    case int64
    /// Unsigned 8-bit integer (also raw bytes).
    case uint8
    /// Unsigned 16-bit integer, little-endian.
    case uint16
    /// Unsigned 32-bit integer, little-endian.
    case uint32
    /// Unsigned 64-bit integer, little-endian.
    case uint64
    /// IEEE 754 single precision, little-endian.
    case float
    /// IEEE 754 double precision, little-endian.
    case double

    /// Encoded size in bytes.
    public var size: Int {
        switch self {
        case .char, .int8, .uint8: return 1
        case .int16, .uint16: return 2
        case .int32, .uint32, .float: return 4
        case .int64, .uint64, .double: return 8
        }
    }

    /// True for the signed integers and the floating-point types (their null value is the most negative or NaN).
    public var isSigned: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .float, .double: return true
        default: return false
        }
    }

    /// True for `float` and `double`, whose null value is NaN (compared by bit pattern, not `==`).
    public var isFloatingPoint: Bool { self == .float || self == .double }

    /// The null value the SBE specification assigns when a schema gives none, as schema text.
    public var defaultNullValue: String {
        switch self {
        case .char: return "0"
        case .int8: return "-128"
        case .int16: return "-32768"
        case .int32: return "-2147483648"
        case .int64: return "-9223372036854775808"
        case .uint8: return "255"
        case .uint16: return "65535"
        case .uint32: return "4294967295"
        case .uint64: return "18446744073709551615"
        case .float, .double: return "NaN"
        }
    }
}

/// Field presence.
public enum SBEPresence: String, Sendable, Equatable {
    /// The field always carries a value.
    case required
    /// The field's null value means "absent"; decoders return nil for it.
    case optional
    /// The value is fixed by the schema and takes no bytes on the wire.
    case constant
}

/// A simple encoded type (`<type>`): a primitive, possibly a fixed-length array, possibly a constant.
public struct SBEEncodedType: Sendable, Equatable {
    /// The type's `name` in the schema, as fields refer to it.
    public var name: String
    /// The primitive every element is encoded as.
    public var primitiveType: SBEPrimitiveType
    /// Number of elements; 1 for a scalar. A char array with length > 1 is a fixed-length string.
    public var length: Int
    /// `required`, `optional` (a null value means absent) or `constant` (not on the wire).
    public var presence: SBEPresence
    /// Null value text when optional (already defaulted per the SBE specification).
    public var nullValue: String?
    /// The schema's `minValue`, as schema text; documented in generated code, not enforced.
    public var minValue: String?
    /// The schema's `maxValue`, as schema text. Documented in generated code, not enforced on fields; on a var-data
    /// `length` or a group's `numInGroup` it bounds what decoders accept.
    public var maxValue: String?
    /// Value of a constant (`presence="constant"`), as schema text.
    public var constantValue: String?
    /// The schema's `characterEncoding` (e.g. `US-ASCII`), which decides how a char array is turned into a string.
    public var characterEncoding: String?
    /// Schema version that introduced the type; fields of this type are absent for older acting versions.
    public var sinceVersion: Int
    /// The schema's `description` attribute, copied into generated DocC.
    public var description: String?

    /// A type with every attribute given; the defaults are a required scalar present since version 0.
    public init(
        name: String, primitiveType: SBEPrimitiveType, length: Int = 1, presence: SBEPresence = .required,
        nullValue: String? = nil, minValue: String? = nil, maxValue: String? = nil, constantValue: String? = nil,
        characterEncoding: String? = nil, sinceVersion: Int = 0, description: String? = nil
    ) {
        self.name = name
        self.primitiveType = primitiveType
        self.length = length
        self.presence = presence
        self.nullValue = nullValue
        self.minValue = minValue
        self.maxValue = maxValue
        self.constantValue = constantValue
        self.characterEncoding = characterEncoding
        self.sinceVersion = sinceVersion
        self.description = description
    }

    /// Bytes taken on the wire (0 for a constant).
    public var encodedLength: Int { presence == .constant ? 0 : primitiveType.size * length }
}

/// One value of an enum.
public struct SBEEnumValue: Sendable, Equatable {
    /// The value's `name` in the schema; the generated Swift case is derived from it.
    public var name: String
    /// Numeric value (for a char enum, the character code).
    public var value: Int64
    /// Schema version that introduced the value; older decoders see it as unrecognised.
    public var sinceVersion: Int
    /// The schema's `description` attribute, copied into generated DocC.
    public var description: String?

    /// A value with every attribute given.
    public init(name: String, value: Int64, sinceVersion: Int = 0, description: String? = nil) {
        self.name = name
        self.value = value
        self.sinceVersion = sinceVersion
        self.description = description
    }
}

/// An `<enum>`.
public struct SBEEnumType: Sendable, Equatable {
    /// The enum's `name` in the schema, as fields refer to it.
    public var name: String
    /// Primitive the value is encoded as (`uint8` or `char` usually).
    public var encodingType: SBEPrimitiveType
    /// The values the schema defines, in declaration order.
    public var values: [SBEEnumValue]
    /// Wire value meaning "absent" in an optional field of this enum, as schema text.
    public var nullValue: String
    /// Schema version that introduced the enum.
    public var sinceVersion: Int
    /// The schema's `description` attribute, copied into generated DocC.
    public var description: String?

    /// An enum with every attribute given.
    public init(
        name: String, encodingType: SBEPrimitiveType, values: [SBEEnumValue], nullValue: String,
        sinceVersion: Int = 0, description: String? = nil
    ) {
        self.name = name
        self.encodingType = encodingType
        self.values = values
        self.nullValue = nullValue
        self.sinceVersion = sinceVersion
        self.description = description
    }

    /// Name of `value`, or nil when the schema does not define it.
    public func name(of value: Int64) -> String? { values.first { $0.value == value }?.name }
}

/// One bit of a set.
public struct SBESetChoice: Sendable, Equatable {
    /// The choice's `name` in the schema; the generated option name is derived from it.
    public var name: String
    /// Bit number (0 = least significant) the choice sets.
    public var bit: Int
    /// Schema version that introduced the choice; older decoders keep the bit but do not name it.
    public var sinceVersion: Int
    /// The schema's `description` attribute, copied into generated DocC.
    public var description: String?

    /// A choice with every attribute given.
    public init(name: String, bit: Int, sinceVersion: Int = 0, description: String? = nil) {
        self.name = name
        self.bit = bit
        self.sinceVersion = sinceVersion
        self.description = description
    }
}

/// A `<set>` (bit choices).
public struct SBESetType: Sendable, Equatable {
    /// The set's `name` in the schema, as fields refer to it.
    public var name: String
    /// Unsigned primitive holding the bits.
    public var encodingType: SBEPrimitiveType
    /// The named bits, in declaration order.
    public var choices: [SBESetChoice]
    /// Schema version that introduced the set.
    public var sinceVersion: Int
    /// The schema's `description` attribute, copied into generated DocC.
    public var description: String?

    /// A set with every attribute given.
    public init(
        name: String, encodingType: SBEPrimitiveType, choices: [SBESetChoice], sinceVersion: Int = 0,
        description: String? = nil
    ) {
        self.name = name
        self.encodingType = encodingType
        self.choices = choices
        self.sinceVersion = sinceVersion
        self.description = description
    }
}

/// A member of a composite, at a fixed offset from the composite start.
public struct SBECompositeMember: Sendable, Equatable {
    /// The member's `name` in the schema.
    public var name: String
    /// Byte offset from the start of the composite (explicit `offset` attributes and nested composites resolved).
    public var offset: Int
    /// The member's type: a primitive, an enum, a set or a nested composite.
    public var type: SBEType

    /// A member with every attribute given.
    public init(name: String, offset: Int, type: SBEType) {
        self.name = name
        self.offset = offset
        self.type = type
    }
}

/// A `<composite>`.
public struct SBECompositeType: Sendable, Equatable {
    /// The composite's `name` in the schema, as fields refer to it.
    public var name: String
    /// Members in declaration order, each at its resolved offset.
    public var members: [SBECompositeMember]
    /// Encoded size in bytes.
    public var size: Int
    /// Schema version that introduced the composite.
    public var sinceVersion: Int
    /// The schema's `description` attribute, copied into generated DocC.
    public var description: String?

    /// A composite with every attribute given (`size` must already include any offset padding).
    public init(
        name: String, members: [SBECompositeMember], size: Int, sinceVersion: Int = 0, description: String? = nil
    ) {
        self.name = name
        self.members = members
        self.size = size
        self.sinceVersion = sinceVersion
        self.description = description
    }

    /// The member called `name`, or nil; how the header and dimension members are located.
    public func member(_ name: String) -> SBECompositeMember? { members.first { $0.name == name } }
}

/// Any type a field or composite member can have.
public indirect enum SBEType: Sendable, Equatable {
    /// A `<type>`: a primitive scalar, array or constant.
    case encoded(SBEEncodedType)
    /// An `<enum>`.
    case enumeration(SBEEnumType)
    /// A `<set>` of bit choices.
    case set(SBESetType)
    /// A `<composite>` of members.
    case composite(SBECompositeType)

    /// The referenced type's `name` in the schema.
    public var name: String {
        switch self {
        case let .encoded(t): return t.name
        case let .enumeration(t): return t.name
        case let .set(t): return t.name
        case let .composite(t): return t.name
        }
    }

    /// Bytes taken on the wire.
    public var encodedLength: Int {
        switch self {
        case let .encoded(t): return t.encodedLength
        case let .enumeration(t): return t.encodingType.size
        case let .set(t): return t.encodingType.size
        case let .composite(t): return t.size
        }
    }

    /// Schema version that introduced the referenced type.
    public var sinceVersion: Int {
        switch self {
        case let .encoded(t): return t.sinceVersion
        case let .enumeration(t): return t.sinceVersion
        case let .set(t): return t.sinceVersion
        case let .composite(t): return t.sinceVersion
        }
    }
}

/// A fixed field of a message or group block.
public struct SBEField: Sendable, Equatable {
    /// The field's `name` in the schema; the generated accessor is derived from it.
    public var name: String
    /// The field's `id` attribute (carried in the model; SBE does not put it on the wire).
    public var id: Int
    /// The field's type, resolved.
    public var type: SBEType
    /// Byte offset from the start of the block (explicit `offset` attributes resolved).
    public var offset: Int
    /// Effective presence (the field's own attribute, else its type's).
    public var presence: SBEPresence
    /// Effective null value text for optional fields.
    public var nullValue: String?
    /// Constant value text (`presence="constant"`): a literal, or for `valueRef` the enum value name.
    public var constantValue: String?
    /// Schema version that introduced the field; it reads as absent when the acting version is older.
    public var sinceVersion: Int
    /// The schema's `description` attribute, copied into generated DocC.
    public var description: String?

    /// A field with every attribute resolved.
    public init(
        name: String, id: Int, type: SBEType, offset: Int, presence: SBEPresence, nullValue: String? = nil,
        constantValue: String? = nil, sinceVersion: Int = 0, description: String? = nil
    ) {
        self.name = name
        self.id = id
        self.type = type
        self.offset = offset
        self.presence = presence
        self.nullValue = nullValue
        self.constantValue = constantValue
        self.sinceVersion = sinceVersion
        self.description = description
    }

    /// Bytes taken in the block (0 for a constant).
    public var encodedLength: Int { presence == .constant ? 0 : type.encodedLength }
}

/// A variable-length data field (`<data>`).
public struct SBEVarDataField: Sendable, Equatable {
    /// The data field's `name` in the schema; the generated accessors are derived from it.
    public var name: String
    /// The data field's `id` attribute.
    public var id: Int
    /// The length-prefix composite (`length` then `varData`), as declared.
    public var type: SBECompositeType
    /// Width of the length prefix.
    public var lengthType: SBELengthType
    /// Largest length accepted (the length member's `maxValue`, else the prefix maximum).
    public var maxLength: Int
    /// Character encoding of the data, or nil for raw bytes.
    public var characterEncoding: String?
    /// Schema version that introduced the data field; it reads as empty when the acting version is older.
    public var sinceVersion: Int
    /// The schema's `description` attribute, copied into generated DocC.
    public var description: String?

    /// A data field with every attribute resolved.
    public init(
        name: String, id: Int, type: SBECompositeType, lengthType: SBELengthType, maxLength: Int,
        characterEncoding: String?, sinceVersion: Int = 0, description: String? = nil
    ) {
        self.name = name
        self.id = id
        self.type = type
        self.lengthType = lengthType
        self.maxLength = maxLength
        self.characterEncoding = characterEncoding
        self.sinceVersion = sinceVersion
        self.description = description
    }
}

/// How a group's dimension header is encoded.
public struct SBEGroupDimension: Sendable, Equatable {
    /// The dimension composite (usually `groupSizeEncoding`).
    public var type: SBECompositeType
    /// Primitive of the dimension's `blockLength` member (each entry's block length).
    public var blockLengthType: SBEPrimitiveType
    /// Byte offset of `blockLength` within the dimension.
    public var blockLengthOffset: Int
    /// Primitive of the dimension's `numInGroup` member (the entry count).
    public var numInGroupType: SBEPrimitiveType
    /// Byte offset of `numInGroup` within the dimension.
    public var numInGroupOffset: Int
    /// Largest count accepted (`numInGroup`'s `maxValue`, else the type maximum).
    public var maxCount: Int

    /// A dimension with its members located.
    public init(
        type: SBECompositeType, blockLengthType: SBEPrimitiveType, blockLengthOffset: Int,
        numInGroupType: SBEPrimitiveType, numInGroupOffset: Int, maxCount: Int
    ) {
        self.type = type
        self.blockLengthType = blockLengthType
        self.blockLengthOffset = blockLengthOffset
        self.numInGroupType = numInGroupType
        self.numInGroupOffset = numInGroupOffset
        self.maxCount = maxCount
    }
}

/// The fields, groups and data of a message root or a group entry, in schema order.
public struct SBEBlock: Sendable, Equatable {
    /// Block length this schema version writes, in bytes (explicit `blockLength` or the end of the last field).
    public var blockLength: Int
    /// Bytes of the block that fields present since version 0 need: a shorter block is rejected.
    public var minimumBlockLength: Int
    /// Fixed fields in schema order.
    public var fields: [SBEField]
    /// Repeating groups, after the fixed fields, in schema order.
    public var groups: [SBEGroup]
    /// Variable-length data fields, after the groups, in schema order.
    public var data: [SBEVarDataField]

    /// A block with its lengths and members resolved.
    public init(
        blockLength: Int, minimumBlockLength: Int, fields: [SBEField], groups: [SBEGroup], data: [SBEVarDataField]
    ) {
        self.blockLength = blockLength
        self.minimumBlockLength = minimumBlockLength
        self.fields = fields
        self.groups = groups
        self.data = data
    }
}

/// A repeating group.
public struct SBEGroup: Sendable, Equatable {
    /// The group's `name` in the schema; the generated flyweight is derived from it.
    public var name: String
    /// The group's `id` attribute.
    public var id: Int
    /// How the group's entry count and entry block length are encoded.
    public var dimension: SBEGroupDimension
    /// The layout of one entry.
    public var block: SBEBlock
    /// Schema version that introduced the group; it reads as empty when the acting version is older.
    public var sinceVersion: Int
    /// The schema's `description` attribute, copied into generated DocC.
    public var description: String?

    /// A group with every attribute resolved.
    public init(
        name: String, id: Int, dimension: SBEGroupDimension, block: SBEBlock, sinceVersion: Int = 0,
        description: String? = nil
    ) {
        self.name = name
        self.id = id
        self.dimension = dimension
        self.block = block
        self.sinceVersion = sinceVersion
        self.description = description
    }
}

/// A message.
public struct SBEMessage: Sendable, Equatable {
    /// The message's `name` in the schema; the generated encoder and decoder are named after it.
    public var name: String
    /// Template id: the header's `templateId` for this message.
    public var id: Int
    /// The root block: fixed fields, then groups, then data.
    public var block: SBEBlock
    /// Schema version that introduced the message.
    public var sinceVersion: Int
    /// The schema's `description` attribute, copied into generated DocC.
    public var description: String?

    /// A message with every attribute resolved.
    public init(name: String, id: Int, block: SBEBlock, sinceVersion: Int = 0, description: String? = nil) {
        self.name = name
        self.id = id
        self.block = block
        self.sinceVersion = sinceVersion
        self.description = description
    }
}

/// A message header composite with the four standard members located.
public struct SBEMessageHeader: Sendable, Equatable {
    /// The header composite (usually `messageHeader`).
    public var type: SBECompositeType
    /// The member holding the root block length.
    public var blockLength: SBECompositeMember
    /// The member holding the template id.
    public var templateId: SBECompositeMember
    /// The member holding the schema id.
    public var schemaId: SBECompositeMember
    /// The member holding the schema version the sender wrote.
    public var version: SBECompositeMember

    /// A header with its four standard members located.
    public init(
        type: SBECompositeType, blockLength: SBECompositeMember, templateId: SBECompositeMember,
        schemaId: SBECompositeMember, version: SBECompositeMember
    ) {
        self.type = type
        self.blockLength = blockLength
        self.templateId = templateId
        self.schemaId = schemaId
        self.version = version
    }
}

/// A whole schema.
public struct SBESchema: Sendable, Equatable {
    /// The schema's `package` attribute (a name; not on the wire).
    public var package: String
    /// Schema id, checked against every message header's `schemaId`.
    public var id: Int
    /// Schema version: what encoders write into headers, and the newest version decoders understand.
    public var version: Int
    /// The schema's `semanticVersion` attribute (informational).
    public var semanticVersion: String?
    /// The schema's `description` attribute.
    public var description: String?
    /// The message header every message starts with.
    public var header: SBEMessageHeader
    /// Named types in declaration order.
    public var types: [SBEType]
    /// Messages in declaration order.
    public var messages: [SBEMessage]

    /// A schema with everything resolved.
    public init(
        package: String, id: Int, version: Int, semanticVersion: String?, description: String?,
        header: SBEMessageHeader, types: [SBEType], messages: [SBEMessage]
    ) {
        self.package = package
        self.id = id
        self.version = version
        self.semanticVersion = semanticVersion
        self.description = description
        self.header = header
        self.types = types
        self.messages = messages
    }

    /// The message called `name`, or nil.
    public func message(named name: String) -> SBEMessage? { messages.first { $0.name == name } }
    /// The message with template id `id`, or nil.
    public func message(id: Int) -> SBEMessage? { messages.first { $0.id == id } }
}
