import Foundation

/// Finds public API declarations in Swift source text that carry no DocC comment (`///` or `/** */`).
///
/// A line-based scanner, not a parser: it knows the shapes this repository writes. A declaration is a line whose
/// first keyword (after attributes) is `public` or `open`, an enum case inside a public enum, or a requirement
/// inside a public protocol (those carry no `public` keyword but are public API all the same). It is documented
/// when the line above it, skipping attribute lines, is a `///` line or closes a `/** */` block, and a case
/// line declares one case only. Stricter than
/// DocC, which lets a protocol witness inherit the requirement's documentation: here the witness says why it
/// does what it does, which is usually different per conforming type.
struct UndocumentedDeclarationScanner {
    /// An undocumented declaration: file, 1-based line and the declaration's text.
    struct Finding: CustomStringConvertible {
        var file: String
        var line: Int
        var text: String
        var description: String { "\(file):\(line): \(text)" }
    }

    private struct TypeScope {
        var depth: Int
        var kind: Substring
        var isPublic: Bool
    }

    // Regex literals, checked at compile time; `(?:@attribute(args)? )*` allows attributes before the access level.
    private let publicDeclaration = #/^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:public|open)\s/#
    private let publicNonDeclaration = #/^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:public|open)\s+(?:import|extension)\b/#
    private let typeDeclaration = #/\b(enum|struct|class|protocol|extension|actor)\s+[\w`.]/#
    private let enumCase = #/^\s*(?:indirect\s+)?case\s+[A-Za-z_`][\w`]*\s*(?:\([^)]*\))?\s*(?:=\s*[^:]+)?\s*(?:,.*)?$/#
    private let protocolRequirement =
        #/^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:(?:static|mutating|nonmutating)\s+)*(?:func|var|let|init|subscript|associatedtype)\b/#
    private let bindingPattern = #/\b(?:let|var)\s/#
    private let attributeLine = #/^\s*@[\w.]/#
    private let stringLiteral = #/"(?:\\.|[^"\\])*"/#

    /// Undocumented public declarations in one file's `source`.
    func scan(_ source: String, file: String) -> [Finding] {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        var findings: [Finding] = []
        var scopes: [TypeScope] = []
        var pendingScope: TypeScope?
        var depth = 0
        var inBlockComment = false
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if inBlockComment {
                if trimmed.contains("*/") { inBlockComment = false }
                continue
            }
            if trimmed.hasPrefix("/*") {
                if !trimmed.contains("*/") { inBlockComment = true }
                continue
            }
            let code = codePart(of: line)
            if isDeclaration(line, code: code, in: scopes.last, depth: depth)
                && (!isDocumented(index, lines) || declaresSeveralCases(code)) {
                findings.append(Finding(file: file, line: index + 1, text: trimmed))
            }
            let opens = code.filter { $0 == "{" }.count
            let closes = code.filter { $0 == "}" }.count
            if let match = code.firstMatch(of: typeDeclaration) {
                let kind = match.output.1
                let isPublic = kind == "extension" || line.contains(publicDeclaration)
                let scope = TypeScope(depth: depth, kind: kind, isPublic: isPublic)
                if opens > closes { scopes.append(scope) } else if opens == 0 { pendingScope = scope }
            } else if var pending = pendingScope, opens > closes {
                // A signature spread over several lines opens its body here.
                pending.depth = depth
                scopes.append(pending)
                pendingScope = nil
            }
            depth += opens - closes
            while let last = scopes.last, depth <= last.depth { scopes.removeLast() }
        }
        return findings
    }

    private func isDeclaration(_ line: Substring, code: String, in scope: TypeScope?, depth: Int) -> Bool {
        if line.contains(publicDeclaration) { return !line.contains(publicNonDeclaration) }
        guard let scope, scope.isPublic, scope.kind != "extension", depth == scope.depth + 1 else { return false }
        switch scope.kind {
        case "enum": return code.contains(enumCase) && !code.contains(bindingPattern)
        case "protocol": return line.contains(protocolRequirement)
        default: return false
        }
    }

    /// `case a, b`: one comment cannot document several cases (DocC shows the others undocumented).
    private func declaresSeveralCases(_ code: String) -> Bool {
        guard code.hasPrefix("case ") || code.hasPrefix("indirect case ") else { return false }
        var nesting = 0
        for character in code {
            switch character {
            case "(": nesting += 1
            case ")": nesting -= 1
            case "," where nesting == 0: return true
            default: break
            }
        }
        return false
    }

    private func isDocumented(_ index: Int, _ lines: [Substring]) -> Bool {
        var above = index - 1
        while above >= 0, lines[above].contains(attributeLine) { above -= 1 }
        guard above >= 0 else { return false }
        let previous = lines[above].trimmingCharacters(in: .whitespaces)
        return previous.hasPrefix("///") || previous.hasSuffix("*/")
    }

    /// The line without string literals and trailing `//` comment, so braces in them are not counted.
    private func codePart(of line: Substring) -> String {
        var code = String(line).replacing(stringLiteral, with: "\"\"")
        if let comment = code.range(of: "//") { code = String(code[..<comment.lowerBound]) }
        return code.trimmingCharacters(in: .whitespaces)
    }
}
