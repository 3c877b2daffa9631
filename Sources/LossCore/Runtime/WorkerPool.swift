import CLossHints
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Persistent worker threads that spin for a short while after each job before they sleep.
///
/// Why not only Dispatch: a Dispatch worker that has gone idle takes tens of microseconds
/// to start, longer than a whole job of a few hundred thousand elements (the caller has
/// done every block by the time the worker wakes up).
/// Calls that come in quick succession (a training loop, a benchmark) find these workers
/// still spinning; OpenMP runtimes (torch's thread pool) do the same.
///
/// One job runs at a time; a call that finds the pool busy (another thread's call, or a
/// nested one) returns false and the caller uses Dispatch. Blocks are handed out through
/// one atomic counter, so which thread computes a block never changes what it computes.
final class WorkerPool: @unchecked Sendable {
    /// How long an idle worker spins before it sleeps on the condition variable.
    static let spinNanoseconds: UInt64 = 200_000

    /// Bumped once per job; idle workers poll it. (The padding keeps it off the cache
    /// line that the counters below bounce between threads during a job.)
    private let generation = Atomic<Int>(0)
    private var padding0: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    private let nextBlock = Atomic<Int>(0)
    /// `open` while the current job takes helpers, plus the number of workers inside it.
    /// A worker enters only while the job is open; the caller closes it once its own share
    /// is done and waits only for those inside, never for a worker still waking up (which
    /// can take longer than the whole job).
    private let entry = Atomic<Int>(0)
    private static let open = 1 << 62
    private var padding1: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    private let busy = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)
    // Written by the caller before `generation` is bumped, read by workers after they see
    // the bump.
    private var job: UnsafeRawPointer?
    private var blockCount = 0
    /// Workers with an index below this take part in the current job (the thread count
    /// may have been lowered since more were started).
    private var helpers = 0
    private var workers = 0
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()

    /// Workers with an index below this spin and take part in jobs; the others wait on
    /// `parked` (after the thread count was lowered, or for jobs with fewer blocks), so a
    /// call never wakes or keeps spinning threads it will not use.
    private let activeHelpers = Atomic<Int>(0)
    private var parked = pthread_cond_t()
    /// The process that created this pool (a forked child must not use it).
    private let pid = getpid()
    /// Set when a worker thread could not be created: no retry on every call.
    private var cannotStartWorkers = false

    private init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
        pthread_cond_init(&parked, nil)
    }

    /// The pool of this process. A forked child gets a fresh one: threads do not survive
    /// fork, and the parent's pool may have been mid-job. Lock-free: a lock held by another
    /// thread at the moment of a fork would stay held (or trap) in the child.
    static var shared: WorkerPool {
        let bits = current.load(ordering: .acquiring)
        if bits != 0 {
            let pool = Unmanaged<WorkerPool>.fromOpaque(UnsafeRawPointer(bitPattern: bits)!).takeUnretainedValue()
            if pool.pid == getpid() { return pool }
        }
        let fresh = Unmanaged.passRetained(WorkerPool())
        let (won, actual) = current.compareExchange(expected: bits, desired: UInt(bitPattern: fresh.toOpaque()),
                                                    ordering: .acquiringAndReleasing)
        if won { return fresh.takeUnretainedValue() }
        fresh.release()  // it never ran a job: no thread holds it
        return Unmanaged<WorkerPool>.fromOpaque(UnsafeRawPointer(bitPattern: actual)!).takeUnretainedValue()
    }

    /// The current pool's address (retained for the life of the process: its workers use
    /// it; a pool replaced after fork stays allocated).
    private static let current = Atomic<UInt>(0)

    /// Runs `body(block)` for every block in 0..<blockCount on the caller and up to
    /// `helpers` workers. Returns false, having run nothing, when the pool is busy.
    func run(_ blockCount: Int, helpers: Int, _ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        defer { busy.store(false, ordering: .releasing) }
        while workers < helpers && !cannotStartWorkers { startWorker() }
        let helpers = min(helpers, workers)
        if helpers > activeHelpers.load(ordering: .relaxed) {
            pthread_mutex_lock(&mutex)
            activeHelpers.store(helpers, ordering: .relaxed)
            pthread_cond_broadcast(&parked)
            pthread_mutex_unlock(&mutex)
        } else {
            activeHelpers.store(helpers, ordering: .relaxed)
        }
        withoutActuallyEscaping(body) { body in
            withUnsafePointer(to: body) { bodyPointer in
                job = UnsafeRawPointer(bodyPointer)
                self.blockCount = blockCount
                self.helpers = helpers
                nextBlock.store(0, ordering: .relaxed)
                entry.store(Self.open, ordering: .releasing)  // publishes the job to entrants
                // Sequentially consistent, paired with the sleeper's announcement in
                // waitForJob: either it sees this bump or this sees it asleep.
                generation.add(1, ordering: .sequentiallyConsistent)
                if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                    pthread_mutex_lock(&mutex)
                    pthread_cond_broadcast(&condition)
                    pthread_mutex_unlock(&mutex)
                }
                runBlocks(body)
                // Close the job, then wait for the workers inside it: no worker reads `body`
                // or the pointer to it once they are out of scope.
                entry.bitwiseAnd(~Self.open, ordering: .acquiringAndReleasing)
                while entry.load(ordering: .acquiring) != 0 { losscore_spin_pause() }
                job = nil
            }
        }
        return true
    }

    private func runBlocks(_ body: (Int) -> Void) {
        let count = blockCount  // (read once: its cache line may be written by waking workers)
        while true {
            let block = nextBlock.add(1, ordering: .relaxed).oldValue
            if block >= count { return }
            body(block)
        }
    }

    private final class WorkerStart {
        let pool: WorkerPool
        let index: Int
        let generation: Int
        init(pool: WorkerPool, index: Int, generation: Int) {
            self.pool = pool
            self.index = index
            self.generation = generation
        }
    }

    private func startWorker() {
        let start = Unmanaged.passRetained(WorkerStart(pool: self, index: workers,
                                                       generation: generation.load(ordering: .relaxed)))
        var thread = pthread_t()
        // Workers block every signal (they inherit the creating thread's mask), so that
        // signals go to the application's own threads, as with Dispatch's.
        var all = sigset_t(), previous = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_SETMASK, &all, &previous)
        let created = pthread_create(&thread, nil, { context in
            let start = Unmanaged<WorkerStart>.fromOpaque(context!).takeRetainedValue()
            start.pool.workerLoop(index: start.index, seen: start.generation)
        }, start.toOpaque())
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        if created == 0 {
            pthread_detach(thread)
            workers += 1
        } else {
            start.release()
            cannotStartWorkers = true
        }
    }

    private func workerLoop(index: Int, seen initial: Int) -> Never {
        var seen = initial
        while true {
            waitForJob(after: seen, index: index)
            seen = generation.load(ordering: .acquiring)
            guard enter() else { continue }  // the job is already closed
            if index < helpers { runJob() }
            entry.subtract(1, ordering: .releasing)
        }
    }

    /// Joins the current job if it is still open (then `job`, `blockCount` and `helpers`
    /// are the caller's, published by its release of `open`).
    private func enter() -> Bool {
        var state = entry.load(ordering: .acquiring)
        while state & Self.open != 0 {
            let (exchanged, original) = entry.compareExchange(expected: state, desired: state + 1,
                                                              successOrdering: .acquiring,
                                                              failureOrdering: .acquiring)
            if exchanged { return true }
            state = original
        }
        return false
    }

    /// Runs blocks of the current job. A function of its own so that the copy of the
    /// closure it reads is released before the worker leaves the job (the caller's
    /// withoutActuallyEscaping verifies that no copy outlives the call).
    @inline(never)
    private func runJob() {
        runBlocks(job!.assumingMemoryBound(to: ((Int) -> Void).self).pointee)
    }

    private func waitForJob(after seen: Int, index: Int) {
        if index < activeHelpers.load(ordering: .relaxed) {
            let start = Self.now()
            var spins = 0
            while generation.load(ordering: .relaxed) == seen && index < activeHelpers.load(ordering: .relaxed) {
                losscore_spin_pause()
                spins &+= 1
                if spins & 1023 == 0 && Self.now() &- start > Self.spinNanoseconds { break }
            }
            if generation.load(ordering: .acquiring) != seen && index < activeHelpers.load(ordering: .relaxed) {
                return  // a job came while spinning
            }
        }
        pthread_mutex_lock(&mutex)
        while true {
            if index >= activeHelpers.load(ordering: .relaxed) {
                pthread_cond_wait(&parked, &mutex)  // not needed now: wait for a call that needs it
                continue
            }
            // Sequentially consistent, paired with the caller's bump of `generation` and
            // its look at `sleepers`: either this sees the bump or the caller sees this.
            sleepers.add(1, ordering: .sequentiallyConsistent)
            let changed = generation.load(ordering: .sequentiallyConsistent) != seen
            if !changed { pthread_cond_wait(&condition, &mutex) }
            sleepers.subtract(1, ordering: .relaxed)
            if changed { break }
        }
        pthread_mutex_unlock(&mutex)
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}
