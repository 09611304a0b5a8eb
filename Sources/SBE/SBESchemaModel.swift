/// The resolved in-memory model (IR) of an SBE message schema: every type reference resolved, every
/// offset and block length computed. `SBEGenerator` builds it from XML; generated code embeds it as
/// metadata so tools (`tp wire`) can encode and decode any message generically.

/// An SBE primitive type.
public enum SBEPrimitiveType: String, Sendable, Equatable, CaseIterable {
    case char, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float, double

    /// Encoded size in bytes.
    public var size: Int {
        switch self {
        case .char, .int8, .uint8: return 1
        case .int16, .uint16: return 2
        case .int32, .uint32, .float: return 4
        case .int64, .uint64, .double: return 8
        }
    }

    public var isSigned: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .float, .double: return true
        default: return false
        }
    }

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
    case required, optional, constant
}

/// A simple encoded type (`<type>`): a primitive, possibly a fixed-length array, possibly a constant.
public struct SBEEncodedType: Sendable, Equatable {
    public var name: String
    public var primitiveType: SBEPrimitiveType
    /// Number of elements; 1 for a scalar. A char array with length > 1 is a fixed-length string.
    public var length: Int
    public var presence: SBEPresence
    /// Null value text when optional (already defaulted per the SBE specification).
    public var nullValue: String?
    public var minValue: String?
    public var maxValue: String?
    /// Value of a constant (`presence="constant"`), as schema text.
    public var constantValue: String?
    public var characterEncoding: String?
    public var sinceVersion: Int
    public var description: String?

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
    public var name: String
    /// Numeric value (for a char enum, the character code).
    public var value: Int64
    public var sinceVersion: Int
    public var description: String?

    public init(name: String, value: Int64, sinceVersion: Int = 0, description: String? = nil) {
        self.name = name
        self.value = value
        self.sinceVersion = sinceVersion
        self.description = description
    }
}

/// An `<enum>`.
public struct SBEEnumType: Sendable, Equatable {
    public var name: String
    public var encodingType: SBEPrimitiveType
    public var values: [SBEEnumValue]
    public var nullValue: String
    public var sinceVersion: Int
    public var description: String?

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
    public var name: String
    public var bit: Int
    public var sinceVersion: Int
    public var description: String?

    public init(name: String, bit: Int, sinceVersion: Int = 0, description: String? = nil) {
        self.name = name
        self.bit = bit
        self.sinceVersion = sinceVersion
        self.description = description
    }
}

/// A `<set>` (bit choices).
public struct SBESetType: Sendable, Equatable {
    public var name: String
    public var encodingType: SBEPrimitiveType
    public var choices: [SBESetChoice]
    public var sinceVersion: Int
    public var description: String?

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
    public var name: String
    public var offset: Int
    public var type: SBEType

    public init(name: String, offset: Int, type: SBEType) {
        self.name = name
        self.offset = offset
        self.type = type
    }
}

/// A `<composite>`.
public struct SBECompositeType: Sendable, Equatable {
    public var name: String
    public var members: [SBECompositeMember]
    /// Encoded size in bytes.
    public var size: Int
    public var sinceVersion: Int
    public var description: String?

    public init(
        name: String, members: [SBECompositeMember], size: Int, sinceVersion: Int = 0, description: String? = nil
    ) {
        self.name = name
        self.members = members
        self.size = size
        self.sinceVersion = sinceVersion
        self.description = description
    }

    public func member(_ name: String) -> SBECompositeMember? { members.first { $0.name == name } }
}

/// Any type a field or composite member can have.
public indirect enum SBEType: Sendable, Equatable {
    case encoded(SBEEncodedType)
    case enumeration(SBEEnumType)
    case set(SBESetType)
    case composite(SBECompositeType)

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
    public var name: String
    public var id: Int
    public var type: SBEType
    public var offset: Int
    /// Effective presence (the field's own attribute, else its type's).
    public var presence: SBEPresence
    /// Effective null value text for optional fields.
    public var nullValue: String?
    /// Constant value text (`presence="constant"`): a literal, or for `valueRef` the enum value name.
    public var constantValue: String?
    public var sinceVersion: Int
    public var description: String?

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
    public var name: String
    public var id: Int
    public var type: SBECompositeType
    public var lengthType: SBELengthType
    /// Largest length accepted (the length member's `maxValue`, else the prefix maximum).
    public var maxLength: Int
    /// Character encoding of the data, or nil for raw bytes.
    public var characterEncoding: String?
    public var sinceVersion: Int
    public var description: String?

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
    public var type: SBECompositeType
    public var blockLengthType: SBEPrimitiveType
    public var blockLengthOffset: Int
    public var numInGroupType: SBEPrimitiveType
    public var numInGroupOffset: Int
    /// Largest count accepted (`numInGroup`'s `maxValue`, else the type maximum).
    public var maxCount: Int

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
    public var blockLength: Int
    /// Bytes of the block that fields present since version 0 need: a shorter block is rejected.
    public var minimumBlockLength: Int
    public var fields: [SBEField]
    public var groups: [SBEGroup]
    public var data: [SBEVarDataField]

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
    public var name: String
    public var id: Int
    public var dimension: SBEGroupDimension
    public var block: SBEBlock
    public var sinceVersion: Int
    public var description: String?

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
    public var name: String
    public var id: Int
    public var block: SBEBlock
    public var sinceVersion: Int
    public var description: String?

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
    public var type: SBECompositeType
    public var blockLength: SBECompositeMember
    public var templateId: SBECompositeMember
    public var schemaId: SBECompositeMember
    public var version: SBECompositeMember

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
    public var package: String
    public var id: Int
    public var version: Int
    public var semanticVersion: String?
    public var description: String?
    public var header: SBEMessageHeader
    /// Named types in declaration order.
    public var types: [SBEType]
    public var messages: [SBEMessage]

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

    public func message(named name: String) -> SBEMessage? { messages.first { $0.name == name } }
    public func message(id: Int) -> SBEMessage? { messages.first { $0.id == id } }
}
