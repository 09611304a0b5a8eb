/// Text renderings of a ``SupervisorStatus`` for `tp supervisor`: an aligned table for people and one JSON
/// object per line for machines.
extension SupervisorStatus {
    /// An aligned table: one section for producers, one for consumers.
    public var table: String {
        var out = ""
        let producerRows = producers.map { p -> [String] in
            [String(p.key.streamId), String(p.key.producerId), p.state.description, String(p.epoch),
             p.currentSeq.map(String.init) ?? "-", p.lastSeenAgeNs.map { Self.milliseconds($0) } ?? "-", String(p.epochChanges)]
        }
        out += "PRODUCERS (\(producers.count))\n"
        out += Self.align(header: ["STREAM", "PRODUCER", "STATE", "EPOCH", "SEQ", "LAST SEEN", "EPOCH CHANGES"], rows: producerRows)
        let consumerRows = consumers.map { c -> [String] in
            [String(c.key.streamId), String(c.key.consumerId), c.state.description, c.mode?.name ?? "-",
             c.lastSeqSeen.map(String.init) ?? "-", String(c.dropsGap), String(c.dropsLate),
             c.dropsPerSecond.map { Self.decimal($0) } ?? "-", c.framesPerSecond.map { Self.decimal($0) } ?? "-",
             c.colliding ? "YES(\(c.collisions))" : (c.collisions > 0 ? "no(\(c.collisions))" : "no"),
             c.commandedMode?.name ?? "-"]
        }
        out += "CONSUMERS (\(consumers.count))\n"
        out += Self.align(header: ["STREAM", "CONSUMER", "STATE", "MODE", "LAST SEQ", "DROPS GAP", "DROPS LATE",
                                   "DROPS/S", "FRAMES/S", "COLLISION", "COMMANDED"], rows: consumerRows)
        return out
    }

    /// One JSON object (no newline), e.g. `{"type":"supervisor_status","now_ns":...,"producers":[...],"consumers":[...]}`.
    public var jsonLine: String {
        var out = "{\"type\":\"supervisor_status\",\"now_ns\":\(nowNs),\"producers\":["
        out += producers.map { p in
            "{\"stream_id\":\(p.key.streamId),\"producer_id\":\(p.key.producerId),\"state\":\"\(p.state)\",\"epoch\":\(p.epoch),"
                + "\"current_seq\":\(Self.json(p.currentSeq)),\"last_seen_age_ns\":\(Self.json(p.lastSeenAgeNs)),"
                + "\"epoch_changes\":\(p.epochChanges),\"epoch_regressions\":\(p.epochRegressions)}"
        }.joined(separator: ",")
        out += "],\"consumers\":["
        out += consumers.map { c in
            "{\"stream_id\":\(c.key.streamId),\"consumer_id\":\(c.key.consumerId),\"state\":\"\(c.state)\","
                + "\"mode\":\(c.mode.map { "\"\($0.name)\"" } ?? "null"),\"epoch\":\(Self.json(c.epoch)),"
                + "\"last_seq_seen\":\(Self.json(c.lastSeqSeen)),\"drops_gap\":\(c.dropsGap),\"drops_late\":\(c.dropsLate),"
                + "\"drops_per_second\":\(Self.json(c.dropsPerSecond)),\"frames_per_second\":\(Self.json(c.framesPerSecond)),"
                + "\"colliding\":\(c.colliding),\"collisions\":\(c.collisions),\"restarts\":\(c.restarts),"
                + "\"commanded_mode\":\(c.commandedMode.map { "\"\($0.name)\"" } ?? "null")}"
        }.joined(separator: ",")
        out += "]}"
        return out
    }

    private static func json(_ value: UInt64?) -> String { value.map(String.init) ?? "null" }

    private static func json(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "null" }
        return decimal(value)
    }

    /// Two decimals without Foundation formatting. Rates come from peers' counters and may be huge: beyond what
    /// hundredths in an `Int64` can hold, Swift's shortest round-trip form (`1.8446744073709552e+19`, valid JSON).
    private static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let scaled = (value * 100).rounded()
        guard let hundredths = Int64(exactly: scaled) else { return "\(value)" }
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = hundredths.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    private static func milliseconds(_ ns: UInt64) -> String { "\(ns / 1_000_000) ms" }

    private static func align(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var text = " "
            for (i, cell) in cells.enumerated() {
                text += " " + cell + String(repeating: " ", count: widths[i] - cell.count)
            }
            while text.last == " " { text.removeLast() }
            return text + "\n"
        }
        return ([header] + rows).map(line).joined()
    }
}
