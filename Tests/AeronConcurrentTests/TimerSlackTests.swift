import Foundation
import Testing
import AeronConcurrent

@Suite struct TimerSlackTests {
    /// The slack set on a thread reads back, and a thread started afterwards inherits it (why the demo sets it
    /// before starting its agent runners).
    @Test func setReadsBackAndIsInheritedByNewThreads() throws {
        let result = LockedBox<(UInt64?, UInt64?)>((nil, nil))
        let thread = Foundation.Thread {
            let before = TimerSlack.currentThreadNanoseconds
            TimerSlack.setForCurrentThread(nanoseconds: 7_777)
            let set = TimerSlack.currentThreadNanoseconds
            let child = Foundation.Thread { result.set((set, TimerSlack.currentThreadNanoseconds)) }
            child.start()
            while result.get().1 == nil { usleep(1_000) }
            if let before { TimerSlack.setForCurrentThread(nanoseconds: before) }
        }
        thread.start()
        let deadline = Date().addingTimeInterval(5)
        while result.get().1 == nil && Date() < deadline { usleep(1_000) }
        #expect(result.get().0 == 7_777)
        #expect(result.get().1 == 7_777)
    }
}

/// A value shared between the test's threads.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ value: T) { self.value = value }
    func get() -> T { lock.withLock { value } }
    func set(_ newValue: T) { lock.withLock { value = newValue } }
}
