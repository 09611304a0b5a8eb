import TOMLKit

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Complete configuration of a tensor-pool process: one TOML document with optional `[producer]`,
/// `[consumer]`, `[supervisor]` and `[driver]` sections, plus environment overrides.
///
/// Every section always has a value (spec §15.11 defaults when absent); ``presentSections`` tells
/// which ones the file or the environment mentioned. Environment: `TP_<SECTION>_<KEY>` (upper case)
/// overrides `<section>.<key>`, e.g. `TP_PRODUCER_HEADER_NSLOTS=128` or `TP_CONSUMER_MODE=latest`;
/// booleans accept true/false/1/0/yes/no/on/off; payload pools use
/// `TP_PRODUCER_PAYLOAD_POOLS="1:1048576,2:4194304"`. `$USER` (from the environment, `default` when
/// unset) names the default SHM root `/dev/shm/tensorpool-$USER` and Aeron directory
/// `/dev/shm/aeron-$USER`. Unknown keys, unknown `TP_<SECTION>_*` variables and unknown top-level
/// tables are errors.
public struct TensorPoolConfiguration: Sendable, Hashable {
    /// Section names, in file order of precedence.
    public static let sectionNames = ["producer", "consumer", "supervisor", "driver"]

    /// `[producer]` section.
    public var producer: ProducerConfiguration
    /// `[consumer]` section.
    public var consumer: ConsumerConfiguration
    /// `[supervisor]` section.
    public var supervisor: SupervisorConfiguration
    /// `[driver]` section.
    public var driver: DriverConfiguration
    /// Sections given in the TOML text or by at least one environment override.
    public var presentSections: Set<String>

    /// All defaults for `user`.
    public init(user: String = "default") {
        producer = ProducerConfiguration(user: user)
        consumer = ConsumerConfiguration(user: user)
        supervisor = SupervisorConfiguration(user: user)
        driver = DriverConfiguration(user: user)
        presentSections = []
    }

    /// Parses `toml` and applies `environment` overrides (pass `ProcessInfo`'s environment in
    /// production, a literal dictionary in tests).
    public static func parse(toml: String, environment: [String: String] = [:]) throws(ConfigurationError) -> TensorPoolConfiguration {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: toml)
        } catch let error as TOMLParseError {
            throw .syntax(message: error.description, line: error.source.begin.line, column: error.source.begin.column)
        } catch {
            throw .syntax(message: String(describing: error), line: 0, column: 0)
        }
        for key in root.keys.sorted() where !sectionNames.contains(key) {
            throw .unknownKey(key: key, source: .file)
        }
        let user = environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        var config = TensorPoolConfiguration(user: user)
        var tables: [String: TOMLTable] = [:]
        for name in sectionNames {
            guard let value = root[name] else { continue }
            guard let table = value.table else {
                throw .wrongType(key: name, expected: "table [\(name)]", value: ConfigurationSectionReader.render(value), source: .file)
            }
            tables[name] = table
            config.presentSections.insert(name)
        }
        for name in sectionNames where environment.keys.contains(where: { $0.hasPrefix("TP_\(name.uppercased())_") }) {
            config.presentSections.insert(name)
        }

        var r = ConfigurationSectionReader(section: "producer", table: tables["producer"], environment: environment)
        config.producer = try ProducerConfiguration.read(&r, user: user)
        try r.rejectUnknownKeys()
        r = ConfigurationSectionReader(section: "consumer", table: tables["consumer"], environment: environment)
        config.consumer = try ConsumerConfiguration.read(&r, user: user)
        try r.rejectUnknownKeys()
        r = ConfigurationSectionReader(section: "supervisor", table: tables["supervisor"], environment: environment)
        config.supervisor = try SupervisorConfiguration.read(&r, user: user)
        try r.rejectUnknownKeys()
        r = ConfigurationSectionReader(section: "driver", table: tables["driver"], environment: environment)
        config.driver = try DriverConfiguration.read(&r, user: user)
        try r.rejectUnknownKeys()
        return config
    }

    /// Reads and parses the file at `path` (at most 1 MiB).
    public static func load(path: String, environment: [String: String]) throws(ConfigurationError) -> TensorPoolConfiguration {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .unreadableFile(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let limit = 1 << 20
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var total = 0
        while total < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, $0.count - total) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            total += n
        }
        if total > limit { throw .unreadableFile(path: path, reason: "larger than \(limit) bytes") }
        guard let text = String(validating: bytes[..<total], as: UTF8.self) else {
            throw .unreadableFile(path: path, reason: "not valid UTF-8")
        }
        return try parse(toml: text, environment: environment)
    }
}
