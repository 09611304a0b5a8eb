import ArgumentParser
import Foundation
import AeronClient
import AeronConcurrent

/// `tp aeron errors`: the driver's distinct error log (like ErrorStat).
struct AeronErrorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "errors", abstract: "Show the driver's distinct error log (like ErrorStat).")

    @OptionGroup var aeron: AeronDirectoryOptions

    func run() throws {
        let cnc: CncFile
        do { cnc = try CncFile.open(path: aeron.directory + "/" + CncFileDescriptor.fileName) }
        catch { throw ValidationError("\(error)") }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func time(_ ms: Int64) -> String { formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)) }
        let count = ErrorLogReader.read(cnc.errorLogBuffer) { entry in
            print("***")
            print("\(entry.observationCount) observations from \(time(entry.firstObservationTimestampMs)) to \(time(entry.lastObservationTimestampMs)) for:")
            print(" \(entry.text)")
        }
        print()
        print("\(count) distinct errors observed.")
    }
}
