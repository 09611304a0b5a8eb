#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where Aeron drivers keep their files, chosen the way the C client does (PROTOCOL_FACTS §1.1).
public enum AeronDirectory {
    /// `AERON_DIR` if set, else `/dev/shm/aeron-<user>` on Linux or `$TMPDIR/aeron-<user>` elsewhere.
    public static func defaultPath(environment: [String: String]? = nil) -> String {
        let env = environment ?? currentEnvironment()
        if let dir = env["AERON_DIR"], !dir.isEmpty { return dir }
        let user = env["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? passwdUserName() ?? "default"
        #if os(Linux)
        return "/dev/shm/aeron-\(user)"
        #else
        var tmp = env["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        if !tmp.hasSuffix("/") { tmp += "/" }
        return "\(tmp)aeron-\(user)"
        #endif
    }

    static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        for key in ["AERON_DIR", "USER", "TMPDIR"] {
            if let value = getenv(key) { result[key] = String(cString: value) }
        }
        return result
    }

    static func passwdUserName() -> String? {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }
}
