import SBE

/// Swift names for the members of a message or group block, checked for collisions with each other and
/// with the flyweight API (`next`, `count`, `finish`...). A field whose name is taken gets a `Field` suffix.
struct BlockNames {
    static let reserved: Set<String> = [
        "templateId", "schemaId", "schemaVersion", "blockLength", "minimumBlockLength", "encodedLength",
        "finish", "count", "index", "hasNext", "next",
    ]

    struct Entry {
        var member: String
        var stem: String
        var upperStem: String
    }

    var fields: [Entry] = []
    var groups: [Entry] = []
    var data: [Entry] = []

    init(block: SBEBlock, owner: String) throws(SchemaError) {
        var used = Self.reserved
        func claim(_ name: String, _ derived: [String]) throws(SchemaError) -> Entry {
            var stem = SwiftNames.memberStem(name)
            if used.contains(stem) || stem.hasPrefix("sbe") { stem += "Field" }
            let upper = SwiftNames.upperCamel(stem)
            for suffix in derived {
                let candidate = suffix.hasPrefix("^") ? String(suffix.dropFirst()) + upper : stem + suffix
                guard used.insert(candidate).inserted else {
                    throw SchemaError("\(owner): '\(name)' collides with another generated name '\(candidate)'")
                }
            }
            let member = SwiftNames.keywords.contains(stem) ? "`\(stem)`" : stem
            return Entry(member: member, stem: stem, upperStem: upper)
        }
        for f in block.fields {
            fields.append(try claim(f.name, ["", "Offset", "Length", "Bytes", "String", "^get", "^set"]))
        }
        for g in block.groups {
            groups.append(try claim(g.name, ["", "Count", "^end"]))
        }
        for d in block.data {
            data.append(try claim(d.name, ["", "String", "^get"]))
        }
    }
}
