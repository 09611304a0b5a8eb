import Synchronization
import SharedMemory
import AeronConcurrent

/// An immutable snapshot of a subscription's images; replaced (never mutated) by the conductor.
@usableFromInline
final class ImageList: @unchecked Sendable {
    @usableFromInline let images: [Image]
    /// The same images as unretained references: the poll loop walks these without retain/release traffic
    /// (``images`` keeps them alive as long as this list lives).
    @usableFromInline let unretained: UnsafeMutablePointer<Unmanaged<Image>>
    @usableFromInline let count: Int

    init(_ images: [Image]) {
        self.images = images
        count = images.count
        unretained = .allocate(capacity: max(images.count, 1))
        for (i, image) in images.enumerated() { (unretained + i).initialize(to: Unmanaged.passUnretained(image)) }
    }

    deinit { unretained.deallocate() }
}

/// Receives the messages of every publisher (image) on a channel and stream. Poll it from one thread; the
/// conductor adds and removes images concurrently by swapping an immutable image list, and keeps replaced
/// lists alive for the resource linger time so a poll in progress is never left with unmapped memory.
public final class Subscription: @unchecked Sendable {
    /// Correlation id of the ADD_SUBSCRIPTION.
    public let registrationId: Int64
    /// Channel URI.
    public let channel: String
    /// Stream id.
    public let streamId: Int32
    /// Channel status indicator counter id (−1 for IPC).
    public let channelStatusIndicatorId: Int32

    /// Opaque bits of a +1-retained `Unmanaged<ImageList>`.
    @usableFromInline let imageListBits: Atomic<UInt>
    /// The poller's round-robin cursor, behind a pointer to avoid per-access exclusivity checks on a class var.
    @usableFromInline let roundRobin: UnsafeMutablePointer<Int>
    @usableFromInline let closedFlag = Atomic<Bool>(false)
    let availableImageHandler: (@Sendable (Image) -> Void)?
    let unavailableImageHandler: (@Sendable (Image) -> Void)?
    weak var conductor: ClientConductor?

    init(registrationId: Int64, channel: String, streamId: Int32, channelStatusIndicatorId: Int32,
         availableImageHandler: (@Sendable (Image) -> Void)?, unavailableImageHandler: (@Sendable (Image) -> Void)?,
         conductor: ClientConductor) {
        self.registrationId = registrationId
        self.channel = channel
        self.streamId = streamId
        self.channelStatusIndicatorId = channelStatusIndicatorId
        self.availableImageHandler = availableImageHandler
        self.unavailableImageHandler = unavailableImageHandler
        self.conductor = conductor
        imageListBits = Atomic(UInt(bitPattern: Unmanaged.passRetained(ImageList([])).toOpaque()))
        // Written on every poll by the polling thread: on a line of its own (CacheLineIsolated).
        roundRobin = CacheLineIsolated.allocate(0)
    }

    deinit {
        CacheLineIsolated.deallocate(roundRobin)
        Unmanaged<ImageList>.fromOpaque(UnsafeRawPointer(bitPattern: imageListBits.load(ordering: .acquiring))!).release()
    }

    /// Swaps in a new image list; returns the old one (owned by the caller, who lingers it).
    func replaceImages(_ images: [Image]) -> ImageList {
        let new = UInt(bitPattern: Unmanaged.passRetained(ImageList(images)).toOpaque())
        let old = imageListBits.exchange(new, ordering: .acquiringAndReleasing)
        return Unmanaged<ImageList>.fromOpaque(UnsafeRawPointer(bitPattern: old)!).takeRetainedValue()
    }

    @inlinable @inline(__always)
    func withImages<R>(_ body: ([Image]) -> R) -> R {
        let bits = imageListBits.load(ordering: .acquiring)
        return Unmanaged<ImageList>.fromOpaque(UnsafeRawPointer(bitPattern: bits).unsafelyUnwrapped)._withUnsafeGuaranteedRef { body($0.images) }
    }

    @inlinable @inline(__always)
    func withImageList<R>(_ body: (UnsafeMutablePointer<Unmanaged<Image>>, Int) -> R) -> R {
        let bits = imageListBits.load(ordering: .acquiring)
        return Unmanaged<ImageList>.fromOpaque(UnsafeRawPointer(bitPattern: bits).unsafelyUnwrapped)._withUnsafeGuaranteedRef { body($0.unretained, $0.count) }
    }

    /// A snapshot of the current images.
    public var images: [Image] { withImages { $0 } }
    /// Number of images.
    public var imageCount: Int { withImages { $0.count } }
    /// True when at least one image is connected.
    public var isConnected: Bool { withImages { $0.contains { !$0.isClosed } } }
    /// True once closed.
    public var isClosed: Bool { closedFlag.load(ordering: .acquiring) }

    /// The image of publisher session `sessionId`, if present.
    public func image(sessionId: Int32) -> Image? { withImages { $0.first { $0.sessionId == sessionId } } }

    /// Polls the images round-robin, delivering up to `fragmentLimit` fragments to `handler(payload, header)`.
    /// Allocation-free; `handler` may be a capturing closure (it is not escaping).
    @inlinable @inline(__always)
    public func poll(fragmentLimit: Int, _ handler: (UnsafeRawBufferPointer, Header) -> Void) -> Int {
        pollRoundRobin(fragmentLimit: fragmentLimit) { image, limit in image.poll(fragmentLimit: limit, handler) }
    }

    /// Controlled poll over the images round-robin (see ``Image/controlledPoll(fragmentLimit:_:)``).
    @inlinable
    public func controlledPoll(fragmentLimit: Int, _ handler: (UnsafeRawBufferPointer, Header) -> ControlledPollAction) -> Int {
        pollRoundRobin(fragmentLimit: fragmentLimit) { image, limit in image.controlledPoll(fragmentLimit: limit, handler) }
    }

    /// Visits the images starting one further each call (so no image starves the others) until `fragmentLimit`
    /// fragments were read; `pollImage(image, remaining)` returns the fragments it read.
    @inlinable @inline(__always)
    func pollRoundRobin(fragmentLimit: Int, _ pollImage: (Image, Int) -> Int) -> Int {
        withImageList { images, count in
            if count == 0 { return 0 }
            var start = roundRobin.pointee
            roundRobin.pointee = start + 1
            if start >= count {
                start = 0
                roundRobin.pointee = 1
            }
            var fragmentsRead = 0
            var i = start
            while i < count && fragmentsRead < fragmentLimit {
                fragmentsRead += images[i]._withUnsafeGuaranteedRef { pollImage($0, fragmentLimit - fragmentsRead) }
                i += 1
            }
            i = 0
            while i < start && fragmentsRead < fragmentLimit {
                fragmentsRead += images[i]._withUnsafeGuaranteedRef { pollImage($0, fragmentLimit - fragmentsRead) }
                i += 1
            }
            return fragmentsRead
        }
    }

    /// Removes the subscription from the driver (blocking until confirmed) and closes its images.
    public func close() throws(AeronError) {
        guard closedFlag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        try conductor?.releaseSubscription(registrationId: registrationId)
    }

    func markClosed() { closedFlag.store(true, ordering: .releasing) }
}
