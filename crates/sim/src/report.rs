//! What the engine reports: windowed samples, the run summary, and the trace.

use serde::{Deserialize, Serialize};

/// A latency histogram with log-linear buckets: exact below 64 µs, then 32 buckets per
/// power of two, so any reported percentile is within about 1.6 % of the true value.
/// Integer-only, hence identical on every target.
#[derive(Clone, Debug)]
pub struct Histogram {
    counts: Vec<u32>,
    total: u64,
    sum_us: u128,
    max_us: u64,
}

const SUB_BUCKETS: u64 = 32;
const LINEAR_LIMIT: u64 = 64;
const BUCKETS: usize = (LINEAR_LIMIT + (64 - 6) * SUB_BUCKETS) as usize;

fn bucket_of(value_us: u64) -> usize {
    if value_us < LINEAR_LIMIT {
        return value_us as usize;
    }
    let exponent = 63 - u64::from(value_us.leading_zeros());
    let shift = exponent - 5;
    let top = value_us >> shift;
    (LINEAR_LIMIT + (exponent - 6) * SUB_BUCKETS + (top - SUB_BUCKETS)) as usize
}

/// The middle of a bucket's value range.
fn bucket_value(bucket: usize) -> u64 {
    let b = bucket as u64;
    if b < LINEAR_LIMIT {
        return b;
    }
    let exponent = (b - LINEAR_LIMIT) / SUB_BUCKETS + 6;
    let top = (b - LINEAR_LIMIT) % SUB_BUCKETS + SUB_BUCKETS;
    let shift = exponent - 5;
    let low = top << shift;
    low + ((1u64 << shift) - 1) / 2
}

impl Default for Histogram {
    fn default() -> Histogram {
        Histogram {
            counts: vec![0; BUCKETS],
            total: 0,
            sum_us: 0,
            max_us: 0,
        }
    }
}

impl Histogram {
    /// Records one value.
    pub fn record(&mut self, value_us: u64) {
        let b = bucket_of(value_us);
        self.counts[b] = self.counts[b].saturating_add(1);
        self.total += 1;
        self.sum_us += u128::from(value_us);
        self.max_us = self.max_us.max(value_us);
    }

    /// Number of values recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// Exact mean, in microseconds (0 when empty).
    pub fn mean_us(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.sum_us as f64 / self.total as f64
        }
    }

    /// Exact maximum, in microseconds.
    pub fn max_us(&self) -> u64 {
        self.max_us
    }

    /// The nearest-rank percentile `pct` (0–100), in microseconds (0 when empty).
    pub fn percentile_us(&self, pct: u32) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = (self.total * u64::from(pct)).div_ceil(100).max(1);
        let mut seen = 0u64;
        for (b, &c) in self.counts.iter().enumerate() {
            seen += u64::from(c);
            if seen >= rank {
                return bucket_value(b).min(self.max_us);
            }
        }
        self.max_us
    }

    /// Bytes of its bucket table (what it allocates).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.counts.capacity() * std::mem::size_of::<u32>()
    }

    /// Forgets everything (used at the end of each sample window).
    pub fn clear(&mut self) {
        if self.total > 0 {
            self.counts.iter_mut().for_each(|c| *c = 0);
        }
        self.total = 0;
        self.sum_us = 0;
        self.max_us = 0;
    }
}

/// Converts microseconds to milliseconds for reports.
pub fn us_to_ms(us: u64) -> f64 {
    us as f64 / 1_000.0
}

/// One reporting window (like one `dotnet-counters` refresh). Counts of things are taken at
/// the window's end; rates and percentiles cover the window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// End of the window, in ms of simulated time.
    pub time_ms: u64,
    /// Live worker threads (threadpool-thread-count).
    pub threads: u32,
    /// The pool's current thread goal.
    pub thread_goal: u32,
    /// Threads parked in the pool with no work.
    pub threads_idle: u32,
    /// Threads runnable but waiting for a core.
    pub threads_ready: u32,
    /// Threads on a core.
    pub threads_running: u32,
    /// Threads blocked (on synchronous I/O, on `.Result`, or sleeping).
    pub threads_blocked: u32,
    /// Work items waiting in the pool's global queue (threadpool-queue-length).
    pub queue_len: u32,
    /// Requests sent and not yet answered, failed or rejected.
    pub in_flight: u32,
    /// Tasks created and not yet completed.
    pub tasks_pending: u32,
    /// I/O operations in progress (including those waiting for a resource).
    pub io_in_flight: u32,
    /// Requests answered in the window.
    pub completed: u32,
    /// Answered requests per second over the window.
    pub throughput_rps: f64,
    /// Median latency of requests answered in the window, ms.
    pub latency_ms_p50: f64,
    /// 95th percentile latency of requests answered in the window, ms.
    pub latency_ms_p95: f64,
    /// 99th percentile latency of requests answered in the window, ms.
    pub latency_ms_p99: f64,
    /// Requests that timed out in the window.
    pub failed: u32,
    /// Requests rejected (503) in the window.
    pub rejected: u32,
    /// Share of all cores' time spent on program work in the window, %.
    pub cpu_useful_pct: f64,
    /// Share of all cores' time spent switching threads in the window, %.
    pub cpu_switching_pct: f64,
    /// Context switches per second over the window.
    pub context_switches_per_s: f64,
    /// Address space reserved by thread stacks, MB.
    pub memory_reserved_mb: f64,
    /// Memory committed by thread stacks, MB.
    pub memory_committed_mb: f64,
    /// Work items the pool dequeued in the window (threadpool-completed-items-count).
    pub work_items: u32,
    /// Threads created in the window.
    pub injected: u32,
    /// Threads that retired in the window.
    pub retired: u32,
    /// Threads hill climbing added to the goal in the window (its wave included).
    pub hill_climbing_raised: u32,
    /// Threads hill climbing took off the goal in the window (its wave included).
    pub hill_climbing_lowered: u32,
}

/// Mean, percentiles and maximum of request latency, in ms.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LatencyMs {
    /// Exact mean.
    pub mean: f64,
    /// Median (histogram bucket, within ~1.6 %).
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Exact maximum.
    pub max: f64,
}

/// Thread-count statistics.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ThreadStats {
    /// Most threads alive at once.
    pub max: u32,
    /// Time-average number of threads alive.
    pub mean: f64,
    /// Threads alive at the end.
    pub r#final: u32,
}

/// Queue-length statistics for the pool's global queue.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueStats {
    /// Longest the queue got.
    pub max: u32,
    /// Time-average length.
    pub mean: f64,
}

/// Little's law, measured: L (time-average requests in the system) against λW
/// (throughput × mean latency of answered requests).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LittlesLaw {
    /// Time-average number of requests in the system (sent, not yet answered/failed/rejected).
    pub l_measured: f64,
    /// Throughput (req/s) × mean latency (s).
    pub lambda_w: f64,
    /// |L − λW| / L, %. Large only when the run did not reach a steady state.
    pub error_pct: f64,
}

/// Where threads came from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Injections {
    /// Goal increases by the starvation gate.
    pub starvation: u32,
    /// Goal increases by cooperative blocking.
    pub cooperative: u32,
    /// Threads hill climbing added to the goal (its wave included).
    pub hill_climbing: u32,
    /// Threads hill climbing took off the goal (its wave included).
    pub hill_climbing_lowered: u32,
    /// Threads created in total (on demand up to the goal).
    pub threads_created: u32,
    /// Threads retired after idling.
    pub threads_retired: u32,
}

/// Limits that were hit, each a count of how often.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LimitsHit {
    /// Arrivals rejected because `limits.max_in_flight` requests were already alive.
    pub in_flight: u64,
    /// Work items that wanted a thread when `pool.max_threads` were alive.
    pub max_threads: u64,
    /// Samples dropped past `limits.samples`.
    pub samples_dropped: u64,
    /// Whether the run stopped early at `limits.max_events`.
    pub max_events: bool,
}

/// The result of a whole run (DESIGN §2.4).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Simulated time covered, ms.
    pub sim_time_ms: f64,
    /// Requests sent by clients.
    pub arrived: u64,
    /// Requests answered in time.
    pub completed: u64,
    /// Requests the client gave up on (timeout).
    pub failed: u64,
    /// Requests rejected with 503 (queue limit or the in-flight limit).
    pub rejected: u64,
    /// Requests still waiting for an answer at the end.
    pub in_flight: u64,
    /// Answers the server produced after the client had already given up.
    pub late_responses: u64,
    /// Attempts the client abandoned at their deadline and sent again
    /// (`load.attempt_timeout_ms`); each later ends answered, failed or abandoned too.
    #[serde(default)]
    pub attempts_abandoned: u64,
    /// Requests whose `.Result` can never complete (synchronization-context deadlock).
    pub deadlocked: u64,
    /// Answered requests per second.
    pub throughput_rps: f64,
    /// Latency of answered requests.
    pub latency_ms: LatencyMs,
    /// Worker threads.
    pub threads: ThreadStats,
    /// The pool's global queue.
    pub queue_len: QueueStats,
    /// Share of core time doing program work, %.
    pub cpu_useful_pct: f64,
    /// Share of core time spent switching threads, %.
    pub cpu_switching_pct: f64,
    /// Context switches in total.
    pub context_switches: u64,
    /// Peak address space reserved by thread stacks, MB.
    pub memory_reserved_mb_max: f64,
    /// Peak memory committed by thread stacks, MB.
    pub memory_committed_mb_max: f64,
    /// Work items dequeued by pool threads.
    pub work_items: u64,
    /// Thread injection and retirement.
    pub injections: Injections,
    /// The Little's-law check.
    pub littles_law: LittlesLaw,
    /// Events the engine processed.
    pub events: u64,
    /// Trace events dropped from the bounded trace buffer (they still count in the hash).
    pub trace_dropped: u64,
    /// The trace hash, 16 lowercase hex digits.
    pub trace_hash: String,
    /// Limits that were hit.
    pub limits_hit: LimitsHit,
}

/// What happened, for the animation and the event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TraceKind {
    /// A client sent a request; it is queued as a work item.
    Arrival,
    /// A request was refused with 503.
    Rejected,
    /// A pool thread took a work item from the global queue.
    Dequeue,
    /// A thread became idle (parked in the pool).
    ThreadIdle,
    /// A thread became ready (runnable, waiting for a core).
    ThreadReady,
    /// A thread got a core.
    ThreadRunning,
    /// A thread blocked (I/O, `.Result`, sleep).
    ThreadBlocked,
    /// A thread was put back in the ready queue at the end of its time slice.
    Preempted,
    /// A task (receipt) was created.
    TaskCreated,
    /// A task completed.
    TaskCompleted,
    /// An I/O operation started.
    IoStarted,
    /// An I/O operation waits for a resource's capacity.
    IoWaitResource,
    /// An I/O operation completed.
    IoCompleted,
    /// A continuation (or the inner completion of a `.Result`) was queued to the pool.
    ContinuationQueued,
    /// A `Task.Run` work item was queued to the pool.
    TaskRunQueued,
    /// A thread was created (injected).
    ThreadInjected,
    /// An idle thread exited.
    ThreadRetired,
    /// The pool's thread goal rose through the starvation gate.
    GoalStarvation,
    /// The pool's thread goal rose through cooperative blocking.
    GoalCooperative,
    /// A request was answered.
    Response,
    /// The client gave up on a request.
    Timeout,
    /// A `.Result` can never complete: its continuation needs the blocked context.
    Deadlock,
    /// A sleeping poller woke up to check its task.
    PollWake,
    /// Hill climbing raised the pool's thread goal by one (throughput rose with the last
    /// step, or it tries a step).
    GoalHillClimbingUp,
    /// Hill climbing lowered the pool's thread goal by one (its last step did not raise
    /// throughput enough).
    GoalHillClimbingDown,
    /// An I/O call found its result already there (`complete_sync`): no I/O is in flight,
    /// its task (if the style makes one) is created complete, and the thread goes on.
    IoCompletedSynchronously,
    /// A continuation (or a `.Result`'s inner completion) runs inline, on the thread that
    /// completed its task, without passing through a queue: after a `Task.Run` body, or
    /// for the first due timer of a timer queue's firing.
    ContinuationInline,
}

names!(TraceKind {
    Arrival => "arrival",
    Rejected => "rejected",
    Dequeue => "dequeue",
    ThreadIdle => "thread_idle",
    ThreadReady => "thread_ready",
    ThreadRunning => "thread_running",
    ThreadBlocked => "thread_blocked",
    Preempted => "preempted",
    TaskCreated => "task_created",
    TaskCompleted => "task_completed",
    IoStarted => "io_started",
    IoWaitResource => "io_wait_resource",
    IoCompleted => "io_completed",
    ContinuationQueued => "continuation_queued",
    TaskRunQueued => "task_run_queued",
    ThreadInjected => "thread_injected",
    ThreadRetired => "thread_retired",
    GoalStarvation => "goal_starvation",
    GoalCooperative => "goal_cooperative",
    Response => "response",
    Timeout => "timeout",
    Deadlock => "deadlock",
    PollWake => "poll_wake",
    GoalHillClimbingUp => "goal_hill_climbing_up",
    GoalHillClimbingDown => "goal_hill_climbing_down",
    IoCompletedSynchronously => "io_completed_synchronously",
    ContinuationInline => "continuation_inline",
});

impl TraceKind {
    /// A stable code for the trace hash; never renumber.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// One trace event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEvent {
    /// Index of this trace event in the whole run (0-based, counting dropped ones).
    pub index: u64,
    /// When, in µs of simulated time.
    pub time_us: u64,
    /// What happened.
    pub kind: TraceKind,
    /// The thread involved, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread: Option<u32>,
    /// The request involved, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<u64>,
    /// The task involved, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<u64>,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a, 64-bit, over a trace: a stable fingerprint of a whole run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceHasher {
    state: u64,
}

impl Default for TraceHasher {
    fn default() -> TraceHasher {
        TraceHasher { state: FNV_OFFSET }
    }
}

impl TraceHasher {
    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.state = (self.state ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
    }

    /// Adds one unsigned number as LEB128 (7 bits a byte, low first): small numbers, the
    /// common case, hash in one or two bytes instead of eight.
    fn varint(&mut self, mut value: u64) {
        loop {
            let low = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                self.bytes(&[low]);
                return;
            }
            self.bytes(&[low | 0x80]);
        }
    }

    /// Adds one event: its time, kind and three ids, in a fixed canonical encoding (each
    /// number as LEB128; an absent id as 0, a present id as id + 1).
    pub fn add(&mut self, event: &TraceEvent) {
        self.varint(event.time_us);
        self.bytes(&[event.kind.code()]);
        self.varint(event.thread.map_or(0, |t| u64::from(t) + 1));
        self.varint(event.request.map_or(0, |r| r.saturating_add(1)));
        self.varint(event.task.map_or(0, |t| t.saturating_add(1)));
    }

    /// The hash so far.
    pub fn value(&self) -> u64 {
        self.state
    }
}

/// Hashes a sequence of trace events the way the engine does.
pub fn trace_hash<'a>(events: impl IntoIterator<Item = &'a TraceEvent>) -> u64 {
    let mut h = TraceHasher::default();
    for e in events {
        h.add(e);
    }
    h.value()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_monotonic_and_close() {
        let mut last = 0;
        for v in [
            0u64,
            1,
            63,
            64,
            65,
            100,
            1_000,
            123_456,
            10_000_000,
            u64::MAX / 2,
        ] {
            let b = bucket_of(v);
            assert!(b >= last);
            last = b;
            let mid = bucket_value(b);
            let err = (mid as f64 - v as f64).abs() / (v.max(1) as f64);
            assert!(err < 0.02, "value {v} bucket value {mid}");
        }
        assert!(bucket_of(u64::MAX) < BUCKETS);
    }

    #[test]
    fn percentiles() {
        let mut h = Histogram::default();
        for v in 1..=100u64 {
            h.record(v * 1_000);
        }
        let p50 = h.percentile_us(50);
        assert!((49_000..=51_000).contains(&p50), "{p50}");
        assert_eq!(h.max_us(), 100_000);
        assert!((h.mean_us() - 50_500.0).abs() < 1e-9);
    }
}
