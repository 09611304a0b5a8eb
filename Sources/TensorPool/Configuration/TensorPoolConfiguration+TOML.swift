extension TensorPoolConfiguration {
    /// The effective configuration as a TOML document holding every key (optional ones only when
    /// set). Parsing it back yields an equal configuration (`tp config show` prints it).
    public var tomlText: String {
        var out: [String] = []
        func line(_ key: String, _ value: String) { out.append("\(key) = \(value)") }
        func str(_ s: String) -> String {
            var escaped = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                case "\n": escaped += "\\n"
                case "\t": escaped += "\\t"
                case "\r": escaped += "\\r"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        let hex = String(scalar.value, radix: 16, uppercase: true)
                        escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        escaped.unicodeScalars.append(scalar)
                    }
                }
            }
            return escaped + "\""
        }
        func aeron(_ a: AeronEndpointConfiguration) {
            line("aeron_dir", str(a.aeronDir))
            line("channel", str(a.channel))
            line("control_stream_id", "\(a.controlStreamId)")
            line("descriptor_stream_id", "\(a.descriptorStreamId)")
            line("qos_stream_id", "\(a.qosStreamId)")
            line("metadata_stream_id", "\(a.metadataStreamId)")
        }

        let p = producer
        out.append("[producer]")
        line("stream_id", "\(p.streamId)")
        line("producer_id", "\(p.producerId)")
        line("shm_root_dir", str(p.shmRootDir))
        line("header_nslots", "\(p.headerNslots)")
        line("page_size_bytes", "\(p.pageSizeBytes)")
        line("require_hugepages", "\(p.requireHugepages)")
        line("hugepage_size_bytes", "\(p.hugepageSizeBytes)")
        line("layout_version", "\(p.layoutVersion)")
        line("announce_interval_ms", "\(p.announceIntervalMs)")
        line("qos_interval_ms", "\(p.qosIntervalMs)")
        line("heartbeat_interval_ms", "\(p.heartbeatIntervalMs)")
        line("consumer_expiry_multiple", "\(p.consumerExpiryMultiple)")
        line("consumer_hello_interval_ms", "\(p.consumerHelloIntervalMs)")
        line("progress_interval_us", "\(p.progressDefaults.intervalNs / 1000)")
        line("progress_bytes_delta", "\(p.progressDefaults.bytesDelta)")
        line("progress_rows_delta", "\(p.progressDefaults.rowsDelta)")
        line("progress_min_interval_us", "\(p.progressFloors.intervalNs / 1000)")
        line("progress_min_bytes_delta", "\(p.progressFloors.bytesDelta)")
        line("progress_min_rows_delta", "\(p.progressFloors.rowsDelta)")
        if let name = p.name { line("name", str(name)) }
        aeron(p.aeron)
        line("payload_pools", "[" + p.payloadPools.map { "{ pool_id = \($0.poolId), stride_bytes = \($0.strideBytes) }" }
            .joined(separator: ", ") + "]")

        let c = consumer
        out.append("")
        out.append("[consumer]")
        line("stream_id", "\(c.streamId)")
        if let id = c.consumerId { line("consumer_id", "\(id)") }
        line("mode", str(c.modeSettings.mode.name))
        line("decimation", "\(c.modeSettings.decimation)")
        line("max_rate_hz", "\(c.modeSettings.maxRateHz)")
        line("max_outstanding_seq_gap", "\(c.modeSettings.maxOutstandingSeqGap)")
        line("use_shm", "\(c.useShm)")
        if let uri = c.payloadFallbackUri { line("payload_fallback_uri", str(uri)) }
        if let id = c.fallbackBridgeStreamId { line("fallback_bridge_stream_id", "\(id)") }
        line("fallback_max_frame_bytes", "\(c.fallbackMaxFrameBytes)")
        line("fallback_assembly_timeout_ms", "\(c.fallbackAssemblyTimeoutMs)")
        line("supports_progress", "\(c.supportsProgress)")
        if let v = c.progressIntervalUs { line("progress_interval_us", "\(v)") }
        if let v = c.progressBytesDelta { line("progress_bytes_delta", "\(v)") }
        if let v = c.progressRowsDelta { line("progress_rows_delta", "\(v)") }
        line("expected_layout_version", "\(c.expectedLayoutVersion)")
        line("announce_interval_ms", "\(c.announceIntervalMs)")
        line("liveness_multiple", "\(c.livenessMultiple)")
        line("hello_interval_ms", "\(c.helloIntervalMs)")
        line("qos_interval_ms", "\(c.qosIntervalMs)")
        aeron(c.aeron)

        let s = supervisor
        out.append("")
        out.append("[supervisor]")
        line("announce_interval_ms", "\(s.announceIntervalMs)")
        line("qos_interval_ms", "\(s.qosIntervalMs)")
        line("stale_multiple", "\(s.staleMultiple)")
        line("expired_multiple", "\(s.expiredMultiple)")
        line("policy_enabled", "\(s.policy.enabled)")
        line("policy_window_ms", "\(s.policy.windowNs / 1_000_000)")
        line("policy_max_drop_fraction", "\(s.policy.maxDropFraction)")
        line("policy_min_frames", "\(s.policy.minFrames)")
        line("policy_action", str(s.policy.action.name))
        line("policy_decimation", "\(s.policy.decimation)")
        line("policy_restore_after_ms", "\(s.policy.restoreAfterNs / 1_000_000)")
        line("policy_max_restore_after_ms", "\(s.policy.maxRestoreAfterNs / 1_000_000)")
        aeron(s.aeron)

        let d = driver
        out.append("")
        out.append("[driver]")
        line("aeron_dir", str(d.aeronDir))
        line("term_buffer_length", "\(d.termBufferLength)")
        line("ipc_term_buffer_length", "\(d.ipcTermBufferLength)")
        line("mtu_length", "\(d.mtuLength)")
        line("client_liveness_timeout_ms", "\(d.clientLivenessTimeoutMs)")
        line("dir_delete_on_start", "\(d.dirDeleteOnStart)")
        return out.joined(separator: "\n") + "\n"
    }
}
