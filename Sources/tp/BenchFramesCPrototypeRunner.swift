import Foundation

/// Runs the C prototype of our frame design (`shared/anchors/aeron_c/run.sh`, `SECTIONS=frames`) for the
/// benchmark's sizes and parses its `RESULT aeron_shm_frames ...` lines.
struct BenchCPrototypeRunner {
    /// Folder holding `run.sh`.
    let anchors: String
    /// The repository root (for `.deps/wheels`, kept by scripts/install-test-deps.sh, so nothing is downloaded).
    let repositoryRoot: String?

    /// One run of a `bytes:4:copy:full` configuration per size; returns results keyed by `"<bytes>"`.
    func run(sizes: [Int], seconds: Int, workDirectory: String) throws -> [String: BenchCPrototypeResult] {
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let frames = sizes.map { "\($0):4:copy:full" }.joined(separator: " ")
        var environment = ProcessInfo.processInfo.environment
        environment["SECTIONS"] = "frames"
        environment["REPS"] = "1"
        environment["FRAMES"] = frames
        environment["FRAMES_SECS"] = String(max(1, seconds))
        environment["RESULTS_DIR"] = workDirectory + "/anchor-results"
        if environment["WHEEL"] == nil, let wheel = Self.cachedWheel(repositoryRoot) { environment["WHEEL"] = wheel }
        // run.sh falls back to a temp build folder when its own is read-only; it only downloads without a wheel.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [anchors + "/run.sh"]
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: workDirectory)
        let output = workDirectory + "/anchor.out"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(Double(sizes.count) * (Double(seconds) + 20) + 120)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw BenchFramesError("the C prototype did not finish in time (log: \(output))")
        }
        try? handle.close()
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let results = Self.parse(text)
        if results.isEmpty {
            throw BenchFramesError("no RESULT aeron_shm_frames line from \(anchors)/run.sh (exit \(process.terminationStatus)): \(text.suffix(600))")
        }
        return results
    }

    /// `RESULT aeron_shm_frames bytes=N slots=4 write=copy read=full fps=... GiBps=... desc_p50_ns=...`.
    static func parse(_ text: String) -> [String: BenchCPrototypeResult] {
        var results: [String: BenchCPrototypeResult] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("RESULT aeron_shm_frames ") {
            var values: [String: String] = [:]
            for token in line.split(separator: " ") {
                guard let eq = token.firstIndex(of: "=") else { continue }
                values[String(token[..<eq])] = String(token[token.index(after: eq)...])
            }
            guard let bytes = values["bytes"].flatMap(Int.init), let fps = values["fps"].flatMap(Double.init) else { continue }
            if let previous = results[String(bytes)], previous.fps >= fps { continue }
            results[String(bytes)] = BenchCPrototypeResult(
                bytes: bytes, fps: fps, gibPerSecond: values["GiBps"].flatMap(Double.init) ?? 0,
                descP50Ns: values["desc_p50_ns"].flatMap(Double.init), descP99Ns: values["desc_p99_ns"].flatMap(Double.init),
                descP999Ns: values["desc_p99.9_ns"].flatMap(Double.init), raw: String(line))
        }
        return results
    }

    static func cachedWheel(_ root: String?) -> String? {
        guard let root else { return nil }
        let directory = root + "/.deps/wheels"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.first { $0.hasPrefix("pyaeron-0.1.0-") && $0.hasSuffix(".whl") }.map { directory + "/" + $0 }
    }

    /// `--anchors`, else `shared/anchors/aeron_c` next to or above the repository.
    static func locate(explicit: String?, repositoryRoot: String?) -> String? {
        if let explicit { return explicit }
        guard let root = repositoryRoot else { return nil }
        for candidate in [root + "/../shared/anchors/aeron_c", root + "/../../shared/anchors/aeron_c"]
        where FileManager.default.isExecutableFile(atPath: candidate + "/run.sh") {
            return (candidate as NSString).standardizingPath
        }
        return nil
    }
}

/// A failure of `tp bench frames` orchestration.
struct BenchFramesError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
