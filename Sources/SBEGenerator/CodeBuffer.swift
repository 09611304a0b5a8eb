/// Accumulates generated source text with indentation.
struct CodeBuffer {
    private(set) var text = ""
    private var level = 0

    mutating func line(_ content: String = "") {
        if content.isEmpty {
            text += "\n"
        } else {
            text += String(repeating: "    ", count: level) + content + "\n"
        }
    }

    mutating func lines(_ block: String) {
        for part in block.split(separator: "\n", omittingEmptySubsequences: false) {
            line(String(part))
        }
    }

    /// Writes `header {`, the body one level deeper, then `}`.
    mutating func block(_ header: String, _ body: (inout CodeBuffer) throws(SchemaError) -> Void) throws(SchemaError) {
        line(header + " {")
        level += 1
        try body(&self)
        level -= 1
        line("}")
    }

    /// Writes `header {`, the body at the same level (Swift style for `switch` cases), then `}`.
    mutating func switchBlock(_ header: String, _ body: (inout CodeBuffer) throws(SchemaError) -> Void) throws(SchemaError) {
        line(header + " {")
        try body(&self)
        line("}")
    }

    /// Writes each line of a doc comment.
    mutating func doc(_ lines: [String]) {
        for l in lines { line(l.isEmpty ? "///" : "/// " + l) }
    }
}
