import Foundation
import Testing

/// Public API is documented (house rule): every target's undocumented public declarations are counted and may
/// not exceed its budget, so a new undocumented declaration fails here instead of slipping in silently.
@Suite struct DocumentationCoverageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    /// Undocumented declarations a target may still have (a target not listed: none). Every target is at zero;
    /// document new public API instead of adding an entry here.
    static let budget: [String: Int] = [:]

    static func findings(target: String) throws -> [UndocumentedDeclarationScanner.Finding] {
        let directory = root.appendingPathComponent("Sources/\(target)")
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var findings: [UndocumentedDeclarationScanner.Finding] = []
        for case let relative as String in walker where relative.hasSuffix(".swift") {
            let text = try String(contentsOf: directory.appendingPathComponent(relative), encoding: .utf8)
            findings += UndocumentedDeclarationScanner().scan(text, file: "Sources/\(target)/\(relative)")
        }
        return findings.sorted { ($0.file, $0.line) < ($1.file, $1.line) }
    }

    static var targets: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Sources").path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func targetsAreFound() {
        #expect(Self.targets.contains("TensorPoolCore"), "Sources/ not found from \(Self.root.path)")
    }

    @Test(arguments: targets)
    func undocumentedPublicDeclarationsStayWithinBudget(target: String) throws {
        let findings = try Self.findings(target: target)
        let allowed = Self.budget[target] ?? 0
        #expect(findings.count <= allowed, """
            \(target): \(findings.count) undocumented public declarations (budget \(allowed)); add `///` comments:
            \(findings.prefix(40).map(\.description).joined(separator: "\n"))
            """)
    }

    @Test func scannerSeesCasesRequirementsAndAttributes() {
        let source = """
            /// Documented.
            public enum E {
                /// Documented case.
                case a
                case b(Int)
                enum Inner { case hidden }
                public var x: Int {
                    switch self {
                    case .a: return 1
                    case b: return 2
                    default: return 0
                    }
                }
            }
            public protocol P {
                func f()
                /// Documented requirement.
                var g: Int { get }
            }
            struct Internal { case notAnEnum }
            /// Documented.
            @inlinable
            public func h() {}
            @inlinable public func i() {}
            public extension E {}
            public import Foundation
            /// Documented.
            public enum F {
                /// One comment, two cases.
                case c, d
                /// Documented case with a tuple payload.
                case e(Int, String)
            }
            """
        let found = UndocumentedDeclarationScanner().scan(source, file: "t.swift").map(\.line)
        #expect(found == [5, 7, 15, 16, 24, 30])
    }
}
