import Testing
@testable import TensorPool

@Suite struct ConfigurationDefaultsTests {
    @Test func emptyDocumentGivesSpecDefaults() throws {
        let c = try TensorPoolConfiguration.parse(toml: "", environment: ["USER": "alice"])
        #expect(c.presentSections.isEmpty)
        #expect(c.producer.aeron.controlStreamId == 1000)
        #expect(c.producer.aeron.descriptorStreamId == 1100)
        #expect(c.producer.aeron.qosStreamId == 1200)
        #expect(c.producer.aeron.metadataStreamId == 1300)
        #expect(c.producer.aeron.channel == "aeron:ipc")
        #expect(c.producer.aeron.aeronDir == "/dev/shm/aeron-alice")
        #expect(c.producer.shmRootDir == "/dev/shm/tensorpool-alice")
        #expect(c.producer.announceIntervalMs == 1000)
        #expect(c.producer.qosIntervalMs == 1000)
        #expect(c.producer.heartbeatIntervalMs == 1000)
        #expect(c.producer.progressDefaults == ProgressPolicy(intervalNs: 250_000, bytesDelta: 65_536, rowsDelta: 0))
        #expect(c.producer.payloadPools == [PayloadPoolConfiguration(poolId: 1, strideBytes: 1 << 20)])
        #expect(c.consumer.modeSettings == ConsumerModeSettings(mode: .stream, decimation: 1, maxRateHz: 0, maxOutstandingSeqGap: 256))
        #expect(c.consumer.consumerId == nil)
        #expect(c.consumer.useShm)
        #expect(c.consumer.livenessMultiple == 3)
        #expect(c.supervisor.staleMultiple == 3)
        #expect(c.supervisor.policy.action == .latest)
        #expect(c.driver.aeronDir == "/dev/shm/aeron-alice")
        #expect(c.driver.ipcTermBufferLength == 64 << 20)
    }

    @Test func missingUserFallsBackToDefault() throws {
        let c = try TensorPoolConfiguration.parse(toml: "", environment: [:])
        #expect(c.producer.shmRootDir == "/dev/shm/tensorpool-default")
    }

    @Test func multipleSectionsInOneFile() throws {
        let toml = """
        [producer]
        stream_id = 42
        producer_id = 7
        header_nslots = 1024
        shm_root_dir = "/dev/shm/tp-test"
        name = "camera-left"
        progress_interval_us = 500
        progress_rows_delta = 16

        [[producer.payload_pools]]
        pool_id = 1
        stride_bytes = 1048576

        [[producer.payload_pools]]
        pool_id = 2
        stride_bytes = 4194304

        [consumer]
        stream_id = 42
        consumer_id = 99
        mode = "DECIMATED"
        decimation = 4
        max_rate_hz = 30
        max_outstanding_seq_gap = 64
        supports_progress = true
        progress_interval_us = 100
        payload_fallback_uri = "aeron:udp?endpoint=10.0.0.1:40123"
        channel = "aeron:udp?endpoint=localhost:40456"

        [supervisor]
        stale_multiple = 4
        expired_multiple = 12
        policy_action = "decimated"
        policy_decimation = 3
        policy_max_drop_fraction = 0
        policy_restore_after_ms = 2500

        [driver]
        aeron_dir = "/tmp/aeron-x"
        term_buffer_length = 65536
        dir_delete_on_start = true
        """
        let c = try TensorPoolConfiguration.parse(toml: toml, environment: [:])
        #expect(c.presentSections == ["producer", "consumer", "supervisor", "driver"])
        #expect(c.producer.streamId == 42 && c.producer.producerId == 7 && c.producer.headerNslots == 1024)
        #expect(c.producer.name == "camera-left")
        #expect(c.producer.payloadPools.map(\.poolId) == [1, 2])
        #expect(c.producer.progressDefaults == ProgressPolicy(intervalNs: 500_000, bytesDelta: 65_536, rowsDelta: 16))
        #expect(c.consumer.consumerId == 99)
        #expect(c.consumer.modeSettings == ConsumerModeSettings(mode: .decimated, decimation: 4, maxRateHz: 30, maxOutstandingSeqGap: 64))
        #expect(c.consumer.supportsProgress && c.consumer.progressIntervalUs == 100)
        #expect(c.consumer.mappingParameters.fallbackUri == "aeron:udp?endpoint=10.0.0.1:40123")
        #expect(c.consumer.aeron.channel == "aeron:udp?endpoint=localhost:40456")
        #expect(c.supervisor.registryParameters.staleMultiple == 4)
        #expect(c.supervisor.policy.action == .decimated && c.supervisor.policy.decimation == 3)
        #expect(c.supervisor.policy.maxDropFraction == 0)
        #expect(c.supervisor.policy.restoreAfterNs == 2_500_000_000 && c.supervisor.policy.maxRestoreAfterNs == 960_000_000_000)
        #expect(c.driver.aeronDir == "/tmp/aeron-x" && c.driver.termBufferLength == 65536 && c.driver.dirDeleteOnStart)
    }

    @Test func inlinePoolArray() throws {
        let c = try TensorPoolConfiguration.parse(toml: """
        [producer]
        payload_pools = [ { pool_id = 3, stride_bytes = 8192 }, { pool_id = 4, stride_bytes = 16384 } ]
        """)
        #expect(c.producer.payloadPools == [PayloadPoolConfiguration(poolId: 3, strideBytes: 8192), PayloadPoolConfiguration(poolId: 4, strideBytes: 16384)])
    }
}

@Suite struct ConfigurationEnvironmentTests {
    @Test func environmentOverridesFile() throws {
        let c = try TensorPoolConfiguration.parse(toml: """
        [producer]
        header_nslots = 64
        [consumer]
        mode = "stream"
        """, environment: [
            "TP_PRODUCER_HEADER_NSLOTS": "256",
            "TP_PRODUCER_PAYLOAD_POOLS": "1:65536, 2:1048576",
            "TP_PRODUCER_REQUIRE_HUGEPAGES": "no",
            "TP_CONSUMER_MODE": "latest",
            "TP_CONSUMER_USE_SHM": "0",
            "TP_SUPERVISOR_POLICY_MAX_DROP_FRACTION": "0.25",
            "TP_DRIVER_MTU_LENGTH": "8192",
            "TP_PYAERON_SO": "/not/ours.so",   // other TP_ variables are ignored
            "PATH": "/usr/bin",
        ])
        #expect(c.producer.headerNslots == 256)
        #expect(c.producer.payloadPools == [PayloadPoolConfiguration(poolId: 1, strideBytes: 65536), PayloadPoolConfiguration(poolId: 2, strideBytes: 1 << 20)])
        #expect(c.consumer.modeSettings.mode == .latest)
        #expect(!c.consumer.useShm)
        #expect(c.supervisor.policy.maxDropFraction == 0.25)
        #expect(c.driver.mtuLength == 8192)
        #expect(c.presentSections == ["producer", "consumer", "supervisor", "driver"])
    }

    @Test func environmentOnlyMarksSectionPresent() throws {
        let c = try TensorPoolConfiguration.parse(toml: "", environment: ["TP_CONSUMER_CONSUMER_ID": "5"])
        #expect(c.presentSections == ["consumer"])
        #expect(c.consumer.consumerId == 5)
    }
}

@Suite struct ConfigurationErrorTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var toml: String
        var environment: [String: String] = [:]
        var key: String?
        var needles: [String]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "nslots not power of two", toml: "[producer]\nheader_nslots = 100", key: "producer.header_nslots",
             needles: ["producer.header_nslots = 100", "power of two"]),
        Case(name: "nslots zero", toml: "[producer]\nheader_nslots = 0", key: "producer.header_nslots", needles: ["= 0"]),
        Case(name: "nslots negative", toml: "[producer]\nheader_nslots = -4", key: "producer.header_nslots", needles: ["-4", "out of range"]),
        Case(name: "stride not power of two", toml: "[[producer.payload_pools]]\npool_id = 1\nstride_bytes = 12288",
             key: "producer.payload_pools[0].stride_bytes", needles: ["12288", "power of two"]),
        Case(name: "stride below page", toml: "[[producer.payload_pools]]\npool_id = 1\nstride_bytes = 1024",
             key: "producer.payload_pools[0].stride_bytes", needles: ["1024", "page size 4096"]),
        Case(name: "stride not hugepage multiple",
             toml: "[producer]\nrequire_hugepages = true\n[[producer.payload_pools]]\npool_id = 1\nstride_bytes = 1048576",
             key: "producer.payload_pools[0].stride_bytes", needles: ["1048576", "hugepage size 2097152"]),
        Case(name: "duplicate pool id",
             toml: "[[producer.payload_pools]]\npool_id = 1\nstride_bytes = 4096\n[[producer.payload_pools]]\npool_id = 1\nstride_bytes = 8192",
             key: "producer.payload_pools[1].pool_id", needles: ["= 1", "duplicate"]),
        Case(name: "pool missing stride", toml: "[[producer.payload_pools]]\npool_id = 1",
             key: "producer.payload_pools[0].stride_bytes", needles: ["required"]),
        Case(name: "pool unknown key", toml: "[[producer.payload_pools]]\npool_id = 1\nstride_bytes = 4096\nstride = 2",
             key: "producer.payload_pools[0].stride", needles: ["unknown"]),
        Case(name: "pool id too large", toml: "[[producer.payload_pools]]\npool_id = 70000\nstride_bytes = 4096",
             key: "producer.payload_pools[0].pool_id", needles: ["70000", "out of range"]),
        Case(name: "empty pools", toml: "[producer]\npayload_pools = []", key: "producer.payload_pools", needles: ["at least one"]),
        Case(name: "pools wrong type", toml: "[producer]\npayload_pools = 3", key: "producer.payload_pools", needles: ["array of tables"]),
        Case(name: "unknown key", toml: "[producer]\nheader_slots = 64", key: "producer.header_slots", needles: ["unknown configuration key producer.header_slots"]),
        Case(name: "unknown section", toml: "[produceer]\nx = 1", key: "produceer", needles: ["unknown"]),
        Case(name: "section not a table", toml: "consumer = 3", key: "consumer", needles: ["table"]),
        Case(name: "wrong type string for int", toml: "[producer]\nstream_id = \"one\"", key: "producer.stream_id",
             needles: ["producer.stream_id = \"one\"", "expected integer"]),
        Case(name: "wrong type int for bool", toml: "[consumer]\nuse_shm = 1", key: "consumer.use_shm", needles: ["expected boolean"]),
        Case(name: "wrong type for string", toml: "[consumer]\nmode = 2", key: "consumer.mode", needles: ["expected string"]),
        Case(name: "unknown mode", toml: "[consumer]\nmode = \"fastest\"", key: "consumer.mode", needles: ["\"fastest\"", "unknown mode"]),
        Case(name: "decimation zero", toml: "[consumer]\ndecimation = 0", key: "consumer.decimation", needles: ["= 0", ">= 1"]),
        Case(name: "max rate too large", toml: "[consumer]\nmax_rate_hz = 70000", key: "consumer.max_rate_hz", needles: ["70000"]),
        Case(name: "bad fallback scheme", toml: "[consumer]\npayload_fallback_uri = \"http://x\"", key: "consumer.payload_fallback_uri", needles: ["unsupported scheme"]),
        Case(name: "fallback bridge stream not an integer", toml: "[consumer]\nfallback_bridge_stream_id = \"7001\"",
             key: "consumer.fallback_bridge_stream_id", needles: ["\"7001\"", "expected integer"]),
        Case(name: "fallback bridge stream fractional", toml: "[consumer]\nfallback_bridge_stream_id = 1.5",
             key: "consumer.fallback_bridge_stream_id", needles: ["expected integer"]),
        Case(name: "fallback bridge stream out of int32", toml: "[consumer]\nfallback_bridge_stream_id = 2147483648",
             key: "consumer.fallback_bridge_stream_id", needles: ["2147483648", "out of range"]),
        Case(name: "fallback max frame zero", toml: "[consumer]\nfallback_max_frame_bytes = 0",
             key: "consumer.fallback_max_frame_bytes", needles: ["fallback_max_frame_bytes = 0", "1...1073741824"]),
        Case(name: "fallback max frame negative", toml: "[consumer]\nfallback_max_frame_bytes = -4096",
             key: "consumer.fallback_max_frame_bytes", needles: ["-4096", "1...1073741824"]),
        Case(name: "fallback max frame above 1 GiB", toml: "[consumer]\nfallback_max_frame_bytes = 1073741825",
             key: "consumer.fallback_max_frame_bytes", needles: ["1073741825", "1...1073741824", "(TOML)"]),
        Case(name: "fallback max frame not an integer", toml: "[consumer]\nfallback_max_frame_bytes = \"16MiB\"",
             key: "consumer.fallback_max_frame_bytes", needles: ["\"16MiB\"", "expected integer"]),
        Case(name: "fallback timeout zero", toml: "[consumer]\nfallback_assembly_timeout_ms = 0",
             key: "consumer.fallback_assembly_timeout_ms", needles: ["fallback_assembly_timeout_ms = 0", "> 0"]),
        Case(name: "fallback timeout negative", toml: "[consumer]\nfallback_assembly_timeout_ms = -1",
             key: "consumer.fallback_assembly_timeout_ms", needles: ["-1", "out of range"]),
        Case(name: "fallback timeout above u32", toml: "[consumer]\nfallback_assembly_timeout_ms = 4294967296",
             key: "consumer.fallback_assembly_timeout_ms", needles: ["4294967296", "out of range"]),
        Case(name: "fallback timeout not an integer", toml: "[consumer]\nfallback_assembly_timeout_ms = true",
             key: "consumer.fallback_assembly_timeout_ms", needles: ["expected integer"]),
        Case(name: "hint equals null value", toml: "[consumer]\nprogress_bytes_delta = 4294967295", key: "consumer.progress_bytes_delta", needles: ["null"]),
        Case(name: "liveness zero", toml: "[consumer]\nliveness_multiple = 0", key: "consumer.liveness_multiple", needles: ["> 0"]),
        Case(name: "relative shm root", toml: "[producer]\nshm_root_dir = \"tmp/x\"", key: "producer.shm_root_dir", needles: ["absolute"]),
        Case(name: "bad channel", toml: "[consumer]\nchannel = \"udp://x\"", key: "consumer.channel", needles: ["Aeron channel"]),
        Case(name: "stream id out of int32", toml: "[consumer]\ndescriptor_stream_id = 3000000000", key: "consumer.descriptor_stream_id", needles: ["out of range"]),
        Case(name: "progress below floor", toml: "[producer]\nprogress_interval_us = 10", key: "producer.progress_interval_us",
             needles: ["= 10", "producer.progress_min_interval_us (50)"]),
        Case(name: "expired not above stale", toml: "[supervisor]\nstale_multiple = 5\nexpired_multiple = 5", key: "supervisor.expired_multiple", needles: ["greater"]),
        Case(name: "drop fraction above one", toml: "[supervisor]\npolicy_max_drop_fraction = 1.5", key: "supervisor.policy_max_drop_fraction", needles: ["1.5", "0...1"]),
        Case(name: "restore cap below delay", toml: "[supervisor]\npolicy_restore_after_ms = 5000\npolicy_max_restore_after_ms = 1000",
             key: "supervisor.policy_max_restore_after_ms", needles: ["1000", "policy_restore_after_ms (5000)"]),
        Case(name: "restore delay overflows ns", toml: "[supervisor]\npolicy_restore_after_ms = 9000000000000000000",
             key: "supervisor.policy_restore_after_ms", needles: ["must be <="]),
        Case(name: "policy action stream", toml: "[supervisor]\npolicy_action = \"stream\"", key: "supervisor.policy_action", needles: ["latest or decimated"]),
        Case(name: "term length", toml: "[driver]\nterm_buffer_length = 100000", key: "driver.term_buffer_length", needles: ["100000", "power of two"]),
        Case(name: "mtu", toml: "[driver]\nmtu_length = 1000", key: "driver.mtu_length", needles: ["multiple of 32"]),
        // Environment errors name the variable.
        Case(name: "env nslots", toml: "", environment: ["TP_PRODUCER_HEADER_NSLOTS": "48"], key: "producer.header_nslots",
             needles: ["= 48", "TP_PRODUCER_HEADER_NSLOTS"]),
        Case(name: "env not an int", toml: "", environment: ["TP_CONSUMER_DECIMATION": "two"], key: "consumer.decimation",
             needles: ["\"two\"", "expected integer", "TP_CONSUMER_DECIMATION"]),
        Case(name: "env bad bool", toml: "", environment: ["TP_CONSUMER_USE_SHM": "maybe"], key: "consumer.use_shm", needles: ["expected boolean"]),
        Case(name: "env unknown key", toml: "", environment: ["TP_CONSUMER_MODEE": "latest"], key: "consumer.modee",
             needles: ["TP_CONSUMER_MODEE"]),
        Case(name: "env key in lower case", toml: "", environment: ["TP_PRODUCER_header_nslots": "128"], key: "producer.header_nslots",
             needles: ["unknown", "TP_PRODUCER_header_nslots"]),
        Case(name: "env bad pools", toml: "", environment: ["TP_PRODUCER_PAYLOAD_POOLS": "1:4096,2"], key: "producer.payload_pools[1]",
             needles: ["pool_id:stride_bytes"]),
        Case(name: "env duplicate pools", toml: "", environment: ["TP_PRODUCER_PAYLOAD_POOLS": "1:4096,1:8192"], key: "producer.payload_pools[1].pool_id",
             needles: ["duplicate", "TP_PRODUCER_PAYLOAD_POOLS"]),
        Case(name: "env fallback max frame not an integer", toml: "",
             environment: ["TP_CONSUMER_FALLBACK_MAX_FRAME_BYTES": "lots"], key: "consumer.fallback_max_frame_bytes",
             needles: ["\"lots\"", "expected integer", "TP_CONSUMER_FALLBACK_MAX_FRAME_BYTES"]),
        Case(name: "env fallback max frame above 1 GiB", toml: "[consumer]\nfallback_max_frame_bytes = 4096",
             environment: ["TP_CONSUMER_FALLBACK_MAX_FRAME_BYTES": "2147483648"], key: "consumer.fallback_max_frame_bytes",
             needles: ["2147483648", "1...1073741824", "TP_CONSUMER_FALLBACK_MAX_FRAME_BYTES"]),
        Case(name: "env fallback timeout zero", toml: "",
             environment: ["TP_CONSUMER_FALLBACK_ASSEMBLY_TIMEOUT_MS": "0"], key: "consumer.fallback_assembly_timeout_ms",
             needles: ["> 0", "TP_CONSUMER_FALLBACK_ASSEMBLY_TIMEOUT_MS"]),
        Case(name: "env fallback bridge stream out of int32", toml: "",
             environment: ["TP_CONSUMER_FALLBACK_BRIDGE_STREAM_ID": "-2147483649"], key: "consumer.fallback_bridge_stream_id",
             needles: ["-2147483649", "out of range", "TP_CONSUMER_FALLBACK_BRIDGE_STREAM_ID"]),
        Case(name: "env bad double", toml: "", environment: ["TP_SUPERVISOR_POLICY_MAX_DROP_FRACTION": "nan"], key: "supervisor.policy_max_drop_fraction",
             needles: ["expected number"]),
    ]

    @Test(arguments: cases)
    func rejected(_ c: Case) {
        do {
            _ = try TensorPoolConfiguration.parse(toml: c.toml, environment: c.environment)
            Issue.record("\(c.name): expected an error")
        } catch {
            #expect(error.key == c.key, "\(error)")
            for needle in c.needles {
                #expect(error.description.contains(needle), "\(error.description) should contain \(needle)")
            }
        }
    }

    @Test func syntaxErrorHasLine() {
        do {
            _ = try TensorPoolConfiguration.parse(toml: "[producer]\nheader_nslots = = 3\n")
            Issue.record("expected a syntax error")
        } catch {
            guard case .syntax(_, let line, _) = error else { Issue.record("expected syntax, got \(error)"); return }
            #expect(line == 2)
        }
    }

    @Test func unreadableFile() {
        #expect(throws: ConfigurationError.self) {
            try TensorPoolConfiguration.load(path: "/nonexistent/tp.toml", environment: [:])
        }
    }
}

@Suite struct ConfigurationRenderingTests {
    @Test func defaultsRoundTrip() throws {
        let c = try TensorPoolConfiguration.parse(toml: "", environment: ["USER": "bob"])
        var back = try TensorPoolConfiguration.parse(toml: c.tomlText, environment: [:])
        #expect(back.presentSections == ["producer", "consumer", "supervisor", "driver"])
        back.presentSections = []
        #expect(back == c)
    }

    @Test func customisedRoundTripWithAwkwardStrings() throws {
        let c = try TensorPoolConfiguration.parse(toml: """
        [producer]
        name = "cam \\"left\\"\\t\\\\ é"
        header_nslots = 8
        payload_pools = [ { pool_id = 9, stride_bytes = 8192 }, { pool_id = 2, stride_bytes = 4096 } ]
        progress_rows_delta = 4
        [consumer]
        consumer_id = 12
        mode = "latest"
        payload_fallback_uri = "bridge://x"
        fallback_bridge_stream_id = -7
        fallback_max_frame_bytes = 1073741824
        fallback_assembly_timeout_ms = 4294967295
        progress_rows_delta = 3
        [supervisor]
        policy_max_drop_fraction = 0.125
        policy_action = "decimated"
        """, environment: ["USER": "bob"])
        #expect(c.producer.name == "cam \"left\"\t\\ é")
        #expect(c.consumer.fallbackBridgeStreamId == -7 && c.consumer.fallbackMaxFrameBytes == 1 << 30)
        #expect(c.consumer.fallbackAssemblyTimeoutMs == UInt32.max)
        var back = try TensorPoolConfiguration.parse(toml: c.tomlText, environment: [:])
        back.presentSections = c.presentSections
        #expect(back == c)
    }
}

/// The `[consumer]` FALLBACK keys `fallback_bridge_stream_id`, `fallback_max_frame_bytes` and
/// `fallback_assembly_timeout_ms` (their rejected values are in ``ConfigurationErrorTests``).
@Suite struct ConsumerFallbackConfigurationTests {
    @Test func defaultsWhenAbsent() throws {
        let c = try TensorPoolConfiguration.parse(toml: "[consumer]\nstream_id = 3", environment: [:]).consumer
        #expect(c.fallbackBridgeStreamId == nil)
        #expect(c.fallbackMaxFrameBytes == 16 << 20)
        #expect(c.fallbackAssemblyTimeoutMs == 1000)
        #expect(c == ConsumerConfiguration(user: "default").withStreamId(3), "the same defaults as a configuration built in code")
        let settings = ConsumerFallbackSettings(configuration: c, options: ConsumerOptions(shmRootDir: "/dev/shm/x"))
        #expect(settings.bridgeStreamId == nil && settings.maxFrameBytes == 16 << 20 && settings.assemblyTimeoutNs == 1_000_000_000)
    }

    @Test func keysParse() throws {
        let c = try TensorPoolConfiguration.parse(toml: """
        [consumer]
        fallback_bridge_stream_id = 7001
        fallback_max_frame_bytes = 4194304
        fallback_assembly_timeout_ms = 250
        """, environment: [:]).consumer
        #expect(c.fallbackBridgeStreamId == 7001)
        #expect(c.fallbackMaxFrameBytes == 4 << 20)
        #expect(c.fallbackAssemblyTimeoutMs == 250)
    }

    /// Any 32-bit Aeron stream id is accepted; the frame size range is 1 byte to 1 GiB inclusive; the timeout is
    /// 1 ms to `UInt32.max` ms.
    @Test func boundaryValuesParse() throws {
        let cases: [(toml: String, id: Int32, bytes: Int, timeoutMs: UInt32)] = [
            ("fallback_bridge_stream_id = -2147483648\nfallback_max_frame_bytes = 1\nfallback_assembly_timeout_ms = 1",
             Int32.min, 1, 1),
            ("fallback_bridge_stream_id = 2147483647\nfallback_max_frame_bytes = 1073741824\nfallback_assembly_timeout_ms = 4294967295",
             Int32.max, 1 << 30, UInt32.max),
            ("fallback_bridge_stream_id = 0", 0, 16 << 20, 1000),
        ]
        for (toml, id, bytes, timeoutMs) in cases {
            let c = try TensorPoolConfiguration.parse(toml: "[consumer]\n" + toml, environment: [:]).consumer
            #expect(c.fallbackBridgeStreamId == id, "\(toml)")
            #expect(c.fallbackMaxFrameBytes == bytes, "\(toml)")
            #expect(c.fallbackAssemblyTimeoutMs == timeoutMs, "\(toml)")
        }
    }

    @Test func environmentOverridesTheFile() throws {
        let c = try TensorPoolConfiguration.parse(toml: """
        [consumer]
        fallback_bridge_stream_id = 7001
        fallback_max_frame_bytes = 4194304
        fallback_assembly_timeout_ms = 250
        """, environment: [
            "TP_CONSUMER_FALLBACK_BRIDGE_STREAM_ID": "9001",
            "TP_CONSUMER_FALLBACK_MAX_FRAME_BYTES": " 65536 ",
            "TP_CONSUMER_FALLBACK_ASSEMBLY_TIMEOUT_MS": "5000",
        ]).consumer
        #expect(c.fallbackBridgeStreamId == 9001)
        #expect(c.fallbackMaxFrameBytes == 65536)
        #expect(c.fallbackAssemblyTimeoutMs == 5000)
    }

    @Test func renderedAndParsedBack() throws {
        let c = try TensorPoolConfiguration.parse(toml: """
        [consumer]
        fallback_bridge_stream_id = 42
        fallback_max_frame_bytes = 8192
        fallback_assembly_timeout_ms = 30
        """, environment: ["USER": "bob"])
        let text = c.tomlText
        #expect(text.contains("fallback_bridge_stream_id = 42\n"), "\(text)")
        #expect(text.contains("fallback_max_frame_bytes = 8192\n"), "\(text)")
        #expect(text.contains("fallback_assembly_timeout_ms = 30\n"), "\(text)")
        let defaults = try TensorPoolConfiguration.parse(toml: "", environment: ["USER": "bob"]).tomlText
        #expect(!defaults.contains("fallback_bridge_stream_id"), "an absent optional key is not rendered")
        var back = try TensorPoolConfiguration.parse(toml: text, environment: [:])
        back.presentSections = c.presentSections
        #expect(back == c)
    }

    /// What a consumer uses: the configured values, each replaced by the ``ConsumerOptions`` field when set
    /// (`tp consumer`'s `--fallback-*` flags set those fields, so the flags win over the file).
    @Test func optionsOverrideTheConfiguredValues() throws {
        let c = try TensorPoolConfiguration.parse(toml: """
        [consumer]
        fallback_bridge_stream_id = 7001
        fallback_max_frame_bytes = 4194304
        fallback_assembly_timeout_ms = 250
        """, environment: [:]).consumer
        var options = ConsumerOptions(shmRootDir: "/dev/shm/x")
        var settings = ConsumerFallbackSettings(configuration: c, options: options)
        #expect(settings.bridgeStreamId == 7001 && settings.maxFrameBytes == 4 << 20 && settings.assemblyTimeoutNs == 250_000_000)

        options.fallbackBridgeStreamId = 9001
        settings = ConsumerFallbackSettings(configuration: c, options: options)
        #expect(settings.bridgeStreamId == 9001 && settings.maxFrameBytes == 4 << 20 && settings.assemblyTimeoutNs == 250_000_000)

        options.fallbackMaxFrameBytes = 65536
        options.fallbackAssemblyTimeoutNs = 7_000_000
        settings = ConsumerFallbackSettings(configuration: c, options: options)
        #expect(settings.bridgeStreamId == 9001 && settings.maxFrameBytes == 65536 && settings.assemblyTimeoutNs == 7_000_000)
    }
}

private extension ConsumerConfiguration {
    func withStreamId(_ id: UInt32) -> ConsumerConfiguration {
        var c = self
        c.streamId = id
        return c
    }
}
