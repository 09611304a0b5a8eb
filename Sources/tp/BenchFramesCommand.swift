@preconcurrency import Glibc
import AeronDriver
import ArgumentParser
import Foundation
import TensorPool
import TensorPoolCore

/// `tp bench frames`: producer and consumers in separate processes over a media driver, against the references
/// measured in the same run (memcpy, cache-line round trip, the C prototype of this design).
struct BenchFrames: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frames",
        abstract: "Frames/s, GiB/s, commit→callback latency, drops, CPU and RSS per process, with references.",
        discussion: """
        Spawns itself as `tp bench frames-producer` / `frames-consumer` children on an embedded Swift media driver \
        (owned by this process) or, with --real-driver, the Aeron C driver (Tests/Interop/aeron_peer.py, \
        TP_PYAERON_SO). Without selectors the default matrix runs every size with copy and claim paths and full \
        reads plus header-only reads (1 consumer), then 2/4/8 consumers at 64 KiB; any of --sizes/--consumers/\
        --modes/--reads selects the full cross product of the selection. Build with -c release.
        """)

    @Option(help: "Payload sizes, comma separated (suffixes k/m): default 64,64k,640k,4m.") var sizes: String?
    @Option(help: "Consumer counts, comma separated (default 1; the default matrix adds 2,4,8 at 64 KiB).") var consumers: String?
    @Option(help: "Producer paths: copy,claim.") var modes: String?
    @Option(help: "Consumer reads: full,header.") var reads: String?
    @Option(help: "Measured seconds per case (after the warm-up).") var seconds: Double?
    @Option(help: "Warm-up seconds per case.") var warmup: Double = 0.5
    @Option(help: "Header ring and pool slots (power of two); 4 like the C prototype.") var nslots: UInt32 = 4
    @Option(help: "closed: the producer stays at most --nslots frames ahead of the slowest consumer (like the C prototype's releases; no slot overwritten while read); open: it publishes freely and late consumers drop.")
    var flow: String = "closed"
    @Option(help: "Closed flow's acknowledgements: board (one shared-memory word per consumer) or aeron (each consumer offers a 16-byte release message per frame on an Aeron IPC stream that the producer polls, as the C prototype does).")
    var acks: String = "board"
    @Flag(help: "Smoke run (~30 s): 64 KiB and 4 MiB, 1 s per case, short references.") var quick = false
    @Flag(help: "Use the real Aeron C media driver (needs TP_PYAERON_SO or scripts/install-test-deps.sh).") var realDriver = false
    @Option(help: "Folder of the C anchors' run.sh (default: shared/anchors/aeron_c next to or above the repo).") var anchors: String?
    @Flag(help: "Skip the C prototype reference.") var noCPrototype = false
    @Flag(help: "Pin the producer to CPU 0 and the consumers round-robin to the other CPUs (taskset).") var pin = false
    @Flag(help: "Consumers read the clock every duty cycle (by default their spinning loop reuses one reading across up to 16 idle cycles: DutyCycleClock).")
    var clockEveryCycle = false
    @Option(help: "Run every case this many times, in rounds, each followed by a run of the C prototype: frames/s is the best round of each (on a shared machine the best run approximates the uncontended figure); latency and producer CPU/work are the medians over rounds (a best-of-N latency would flatter).")
    var repeats: Int = 1
    @Option(help: "Producer rate in frames/s (0 = as fast as possible): a paced run measures latency without queueing.")
    var rate: Double = 0
    @Option(help: "commit: frames are stamped at commit, after the payload copy (FrameTimestamp.atCommit, like the C prototype stamps after its memcpy); call: before publish/claim, so latency includes the producer's copy.")
    var stamp: String = "commit"
    @Option(help: "Paced runs (--rate): the producer spins on its duty cycle between frames (spin) or sleeps until the next one is due (sleep: process CPU/frame is then the producer's whole cost per frame).")
    var idle: String = "spin"
    @Option(help: "Run the producer's duty cycle (doWork: control/QoS polling, one Aeron image per consumer and stream) at most every N µs while publishing, instead of once per frame (0, the default).")
    var dutyEveryUs: Double = 0
    @Flag(help: "One run per path/read/consumer count in which the producer publishes frames of every --sizes in turn; latency is reported per size. Both sizes then share the machine's state, so the ratio to the smallest size (vsMin) compares like with like.")
    var mixedSizes = false
    @Option(help: "Put the regions on this hugetlbfs mount and require hugepages (pool strides become at least 2 MiB; scripts/hugetlbfs.sh provides a mount). The C prototype stays on /dev/shm (4 KiB pages).")
    var hugetlbfs: String?
    @Option(help: "Write the report as JSON here.") var json: String?

    func run() throws {
        guard flow == "closed" || flow == "open" else { throw ValidationError("--flow closed|open") }
        guard acks == "aeron" || acks == "board" else { throw ValidationError("--acks aeron|board") }
        guard stamp == "commit" || stamp == "call" else { throw ValidationError("--stamp commit|call") }
        guard idle == "spin" || idle == "sleep" else { throw ValidationError("--idle spin|sleep") }
        if let hugetlbfs, (try? HugepageBacking.of(path: hugetlbfs))?.isHugetlbfs != true {
            throw ValidationError("--hugetlbfs \(hugetlbfs) is not a hugetlbfs directory (scripts/hugetlbfs.sh mounts one)")
        }
        let plan = try casePlan()
        let secondsPerCase = seconds ?? (quick ? 1 : 2)
        let loadBefore = BenchProcessUsage.loadAverage()
        let started = ISO8601DateFormatter().string(from: Date())
        let executable = Self.executablePath()
        let root = Self.repositoryRoot(from: executable)
        let work = NSTemporaryDirectory() + "tp-bench-frames-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let aeronDir = "/dev/shm/tp-bench-frames-\(getpid())"
        print("tp bench frames: \(plan.count) cases, \(secondsPerCase) s each, load \(Self.format(loadBefore)), driver \(realDriver ? "Aeron C (real)" : "embedded Swift"), flow \(flow)\(flow == "closed" ? " (acks \(acks))" : ""), nslots \(nslots)")
        fflush(stdout)

        let sizes = Array(Set(plan.flatMap { $0.mixBytes ?? [$0.bytes] })).sorted()
        var cPrototype: BenchCPrototypeRunner?
        var cPrototypeRounds: [[String: BenchCPrototypeResult]] = []
        var cPrototypeError: String?
        if !noCPrototype {
            if let anchorDir = BenchCPrototypeRunner.locate(explicit: anchors, repositoryRoot: root) {
                cPrototype = BenchCPrototypeRunner(anchors: anchorDir, repositoryRoot: root)
            } else {
                cPrototypeError = "C anchors not found: pass --anchors <dir of run.sh>"
            }
        }
        var cases: [BenchFramesCase] = []
        do {
            let driver = try BenchDriverHost(realDriver: realDriver, directory: aeronDir, repositoryRoot: root, work: work)
            defer { driver.close() }
            // Rounds of each reported case, by name in first-seen order (a mixed-size run reports one per size).
            var caseOrder: [String] = []
            var rounds: [String: [BenchFramesCase]] = [:]
            // Our cases of one size, then the C prototype for that size: the two runs of a pair are seconds apart.
            // Mixed-size cases all run first, then the C prototype for every size.
            let groups: [(indices: [Int], cSizes: [Int])] = mixedSizes
                ? [(Array(plan.indices), sizes)]
                : sizes.map { size in (plan.indices.filter { plan[$0].bytes == size }, [size]) }
            for round in 0..<max(repeats, 1) {
                var cRound: [String: BenchCPrototypeResult] = [:]
                for group in groups {
                    for index in group.indices {
                        let probe = Self.placementProbe()
                        let results = try runCase(plan[index], index: round * plan.count + index, executable: executable,
                                                  aeronDir: aeronDir, work: work, seconds: secondsPerCase,
                                                  measuresDriver: !realDriver)
                        for var result in results {
                            result.placementRoundTripNs = probe
                            if rounds[result.name] == nil { caseOrder.append(result.name) }
                            rounds[result.name, default: []].append(result)
                            print(Self.progressLine(result) + (repeats > 1 ? "  (round \(round + 1))" : ""))
                        }
                        fflush(stdout)
                    }
                    guard let prototype = cPrototype, !group.indices.isEmpty else { continue }
                    for size in group.cSizes {
                        let probe = Self.placementProbe()
                        do {
                            let result = try prototype.run(sizes: [size], seconds: Int(secondsPerCase.rounded(.up)),
                                                           workDirectory: work + "/c-prototype-\(round)-\(size)")
                            for (key, var value) in result {
                                value.placementRoundTripNs = probe
                                cRound[key] = value
                            }
                            print(Self.progressLine(prototype: result, size: size, probe: probe) + (repeats > 1 ? "  (round \(round + 1))" : ""))
                        } catch {
                            cPrototypeError = "\(error)"
                        }
                        fflush(stdout)
                    }
                }
                if cPrototype != nil { cPrototypeRounds.append(cRound) }
            }
            cases = caseOrder.compactMap { rounds[$0].flatMap { BenchFramesTable.combineRounds($0, cPrototypeRounds: cPrototypeRounds) } }
        }

        print("tp bench frames: references (memcpy, cache-line round trip)")
        fflush(stdout)
        var memcpy: [String: Double] = [:]
        for size in sizes { memcpy[String(size)] = BenchReferenceMeasurements.memcpyGiBps(bytes: size, totalBytes: quick ? 1 << 30 : 2 << 30) }
        let roundTrip = BenchReferenceMeasurements.cacheLineRoundTripNs(roundTrips: quick ? 50_000 : 200_000)
        let touch = BenchReferenceMeasurements.firstTouchGiBps()
        var references = BenchFramesReferences(memcpyGiBps: memcpy, cacheLineRoundTripNs: roundTrip,
                                               firstTouchGiBps: touch?.first, secondPassGiBps: touch?.second)
        if !noCPrototype {
            references.cPrototype = cPrototypeRounds.isEmpty ? nil : BenchCPrototypeResult.combine(rounds: cPrototypeRounds)
            references.cPrototypeError = cPrototypeError
        }
        let report = BenchFramesReport(
            startedAt: started, loadAverageBefore: loadBefore, loadAverageAfter: BenchProcessUsage.loadAverage(),
            nproc: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), driver: realDriver ? "aeron-c-1.53" : "swift-embedded",
            secondsPerCase: secondsPerCase, repeats: max(repeats, 1), rateHz: rate, flow: flow, acks: flow == "closed" ? acks : nil, pinned: pin,
            hugetlbfs: hugetlbfs, consumerClock: clockEveryCycle ? "every-cycle" : "reused-16", cases: cases, references: references,
            ratios: BenchFramesTable.ratios(cases: cases, references: references))
        print(BenchFramesTable.render(report))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
            print("tp bench frames: JSON written to \(json)")
        }
    }

    // MARK: cases

    struct CaseSpec {
        var bytes: Int
        var path: String
        var read: String
        var consumers: Int
        /// `--mixed-sizes`: the producer publishes frames of these sizes in turn within one run.
        var mixBytes: [Int]? = nil
    }

    func casePlan() throws -> [CaseSpec] {
        func list(_ text: String?, _ fallback: [String]) -> [String] {
            text.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? fallback
        }
        let sizeList = try list(sizes, quick ? ["64k", "4m"] : ["64", "64k", "640k", "4m"]).map { text -> Int in
            guard let value = DriverCommand.parseSize(text) else { throw ValidationError("invalid size \(text)") }
            return value
        }
        let consumerList = try list(consumers, ["1"]).map { text -> Int in
            guard let value = Int(text), (1...64).contains(value) else { throw ValidationError("invalid consumer count \(text)") }
            return value
        }
        let pathList = list(modes, ["copy", "claim"])
        let readList = list(reads, ["full", "header"])
        for path in pathList where path != "copy" && path != "claim" { throw ValidationError("--modes takes copy,claim") }
        for read in readList where read != "full" && read != "header" { throw ValidationError("--reads takes full,header") }
        if mixedSizes {
            guard sizeList.count >= 2, sizeList.count <= 8 else { throw ValidationError("--mixed-sizes takes 2 to 8 --sizes") }
            var plan: [CaseSpec] = []
            for path in pathList { for read in readList { for n in consumerList {
                plan.append(CaseSpec(bytes: sizeList.max() ?? 0, path: path, read: read, consumers: n, mixBytes: sizeList))
            } } }
            return plan
        }
        if sizes != nil || consumers != nil || modes != nil || reads != nil {
            var plan: [CaseSpec] = []
            for bytes in sizeList { for path in pathList { for read in readList { for n in consumerList {
                plan.append(CaseSpec(bytes: bytes, path: path, read: read, consumers: n))
            } } } }
            return plan
        }
        var plan: [CaseSpec] = []
        for bytes in sizeList {
            plan.append(CaseSpec(bytes: bytes, path: "copy", read: "full", consumers: 1))
            plan.append(CaseSpec(bytes: bytes, path: "claim", read: "full", consumers: 1))
            if !quick { plan.append(CaseSpec(bytes: bytes, path: "copy", read: "header", consumers: 1)) }
        }
        let fanOutSize = 64 << 10
        for n in quick ? [4] : [2, 4, 8] {
            plan.append(CaseSpec(bytes: fanOutSize, path: "copy", read: "full", consumers: n))
            if !quick { plan.append(CaseSpec(bytes: fanOutSize, path: "copy", read: "header", consumers: n)) }
        }
        if !quick { plan.insert(CaseSpec(bytes: fanOutSize, path: "copy", read: "header", consumers: 1), at: plan.count - 6) }
        // Deduplicate while keeping order (the 64 KiB header case may already be there).
        var seen = Set<String>()
        return plan.filter { seen.insert("\($0.bytes)/\($0.path)/\($0.read)/\($0.consumers)").inserted }
    }

    /// Runs one case; a mixed-size case reports one ``BenchFramesCase`` per size (``BenchFramesTable/splitBySize``).
    func runCase(_ spec: CaseSpec, index: Int, executable: String, aeronDir: String, work: String, seconds: Double,
                 measuresDriver: Bool) throws -> [BenchFramesCase] {
        let name = spec.mixBytes != nil ? "mixed \(spec.path) \(spec.read) x\(spec.consumers)"
            : "\(BenchFramesTable.sizeLabel(spec.bytes)) \(spec.path) \(spec.read) x\(spec.consumers)"
        let mixArguments = spec.mixBytes.map { ["--mix-bytes", $0.map(String.init).joined(separator: ",")] } ?? []
        let caseDir = work + "/case-\(index)"
        let shmRoot = "\(hugetlbfs ?? "/dev/shm")/tp-bench-frames-\(getpid())-\(index)"
        try FileManager.default.createDirectory(atPath: caseDir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: shmRoot, withIntermediateDirectories: true)
        // The epoch files go with the root (outside it on hugetlbfs, EpochAllocator.defaultDirectory).
        defer {
            try? FileManager.default.removeItem(atPath: EpochAllocator.defaultDirectory(shmRootDir: shmRoot))
            try? FileManager.default.removeItem(atPath: shmRoot)
        }
        let stream = UInt32(20_000 + index)
        let ackFile = "/dev/shm/tp-bench-frames-\(getpid())-\(index)-acks"
        let board = flow == "closed" && acks == "board"
            ? try BenchFramesAckBoard(path: ackFile, consumers: spec.consumers, create: true) : nil
        defer { if board != nil { unlink(ackFile) } }
        let flowArguments = flow != "closed" ? [] : board != nil ? ["--ack-file", ackFile] : ["--ack-stream", "\(30_000 + index)"]
        var children: [BenchChild] = []
        defer { for child in children { child.kill() } }
        let cpus = max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1)
        func pinned(_ cpu: Int, _ arguments: [String]) -> (String, [String]) {
            pin ? ("/usr/bin/taskset", ["-c", "\(cpu % cpus)", executable] + arguments) : (executable, arguments)
        }
        for c in 0..<spec.consumers {
            let (program, arguments) = pinned(cpus > 1 ? 1 + c % (cpus - 1) : 0, ["bench", "frames-consumer", "--aeron-dir", aeronDir, "--shm-root", shmRoot, "--stream", "\(stream)",
                            "--consumer-id", "\(1000 + c)", "--read", spec.read, "--warmup", "\(warmup)",
                            "--result-file", caseDir + "/consumer-\(c).json", "--ack-index", "\(c)",
                            "--consumers", "\(spec.consumers)"] + flowArguments + mixArguments
                            + (clockEveryCycle ? ["--clock-every-cycle"] : []))
            children.append(try BenchChild.spawn(executable: program, arguments: arguments, log: caseDir + "/consumer-\(c).log"))
        }
        let parentBefore = BenchProcessUsage.now()
        let (producerProgram, producerArguments) = pinned(0, ["bench", "frames-producer", "--aeron-dir", aeronDir, "--shm-root", shmRoot, "--stream", "\(stream)",
                        "--bytes", "\(spec.bytes)", "--path", spec.path, "--consumers", "\(spec.consumers)",
                        "--nslots", "\(nslots)", "--seconds", "\(seconds)", "--warmup", "\(warmup)",
                        "--result-file", caseDir + "/producer.json", "--window", "\(nslots)", "--rate", "\(rate)",
                        "--stamp", stamp, "--idle", idle, "--duty-every-us", "\(dutyEveryUs)"] + flowArguments + mixArguments
                        + (hugetlbfs != nil ? ["--require-hugepages"] : []))
        let producer = try BenchChild.spawn(executable: producerProgram, arguments: producerArguments,
                                            log: caseDir + "/producer.log")
        children.append(producer)
        guard producer.wait(timeoutSeconds: seconds + warmup + 60) else {
            throw BenchFramesError("\(name): producer did not finish: \(producer.logTail())")
        }
        let parentAfter = BenchProcessUsage.now()
        guard producer.exitStatus == 0 else { throw BenchFramesError("\(name): producer failed: \(producer.logTail())") }
        usleep(300_000) // the last descriptors reach the consumers
        for child in children.dropLast() { child.interrupt() }
        for child in children.dropLast() where !child.wait(timeoutSeconds: 15) {
            throw BenchFramesError("\(name): a consumer did not stop: \(child.logTail())")
        }
        let decoder = JSONDecoder()
        let producerResult = try decoder.decode(BenchFramesProducerResult.self,
                                                from: Data(contentsOf: URL(fileURLWithPath: caseDir + "/producer.json")))
        var consumerResults: [BenchFramesConsumerResult] = []
        for c in 0..<spec.consumers {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: caseDir + "/consumer-\(c).json")) else {
                throw BenchFramesError("\(name): consumer \(c) wrote no result: \(children[c].logTail())")
            }
            consumerResults.append(try decoder.decode(BenchFramesConsumerResult.self, from: data))
        }
        let summary = BenchFramesTable.summarize(
            name: name, bytes: spec.bytes, path: spec.path, read: spec.read, consumers: spec.consumers,
            nslots: Int(nslots), producer: producerResult, consumers: consumerResults,
            driverCpuNs: measuresDriver ? parentAfter.cpuNs - parentBefore.cpuNs : nil)
        guard let mix = spec.mixBytes else { return [summary] }
        return BenchFramesTable.splitBySize(summary, sizes: mix)
    }

    // MARK: locations

    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The first folder above the executable holding Package.swift.
    static func repositoryRoot(from executable: String) -> String? {
        var url = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path }
            url = url.deletingLastPathComponent()
        }
        return nil
    }

    static func format(_ load: [Double]) -> String { load.map { String(format: "%.2f", $0) }.joined(separator: " ") }

    static func progressLine(prototype: [String: BenchCPrototypeResult], size: Int, probe: Double) -> String {
        let fps = prototype[String(size)].map { String(format: "%10.0f", $0.fps) } ?? "         -"
        return "  " + "\(BenchFramesTable.sizeLabel(size)) C prototype".padding(toLength: 26, withPad: " ", startingAt: 0)
            + " \(fps) frames/s" + String(format: "  rt %4.0f ns", probe)
    }

    /// A short cache-line round trip (~20 ms): tells which placement the two vCPUs are in right now.
    static func placementProbe() -> Double {
        BenchReferenceMeasurements.cacheLineRoundTripNs(roundTrips: 20_000, runs: 1, maxSecondsPerRun: 0.1)
    }

    static func progressLine(_ c: BenchFramesCase) -> String {
        "  " + c.name.padding(toLength: 26, withPad: " ", startingAt: 0)
            + String(format: " %10.0f frames/s %7.2f GiB/s  p50 %7.1f us  prod %6.2f us/frame",
                     c.framesPerSecond, c.gibPerSecond, Double(c.latencyNs.p50) / 1000, c.producerCpuNsPerFrame / 1000)
            + (c.placementRoundTripNs.map { String(format: "  rt %4.0f ns", $0) } ?? "")
    }
}
