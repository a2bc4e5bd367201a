//! The Await Lab engine: a deterministic discrete-event simulation of a web server's
//! thread pool, built to show where the performance of `async`/`await` comes from.
//!
//! # The model in one page
//!
//! * **Time** is an integer count of microseconds ([`SimTime`]). A priority queue holds
//!   events ordered by (time, insertion sequence); [`Sim::step`] pops the next one and
//!   jumps the clock to it. Same scenario and seed give the same trace on every target.
//! * **Cores** run *runnable* threads round-robin with a time slice; switching a core to a
//!   different thread costs `context_switch_us` of CPU, counted as switching, not useful.
//! * **Threads** are `Idle` (parked in the pool), `Ready` (waiting for a core), `Running`
//!   or `Blocked` (synchronous I/O, `.Result`, sleep). Each reserves and commits stack
//!   memory. A blocked thread costs memory and no CPU.
//! * **The pool** has one global FIFO queue of work items (new requests, continuations,
//!   `Task.Run` bodies). Idle threads take items at once; below its *goal* the pool creates
//!   threads on demand; above the minimum the goal moves through starvation injection
//!   (gate every 500 ms), .NET 6 cooperative-blocking injection for `.Result`, and .NET's
//!   hill-climbing controller ([`hill_climbing`]: samples of 10–200 ms taken as work items
//!   complete, a permanent square wave of the goal, the throughput's response to it read
//!   by Goertzel analysis); idle threads retire after 20 s. See [`pool`] for the
//!   constants.
//! * **Requests** come from closed-loop users or open Poisson arrivals, run the endpoint's
//!   program (CPU and I/O steps) in one [`Style`], and are answered, timed out or rejected.
//! * **I/O** has fixed, exponential or log-normal latency and may go through a resource of
//!   limited capacity with its own FIFO wait queue.
//!
//! Every simplification of the real system is listed in [`MODEL_NOTES`].
//!
//! # The API in brief
//!
//! * [`parse_scenario`] reads scenario JSON (every problem at once, as [`FieldError`]s);
//!   [`Scenario::validate`] checks one built in code. The format is in `SCENARIO.md`.
//! * [`Sim::new`] builds a run; [`Sim::step`] processes one event; [`Sim::run_until`],
//!   [`Sim::run_until_bounded`] (a per-frame event budget) and [`Sim::run_to_end`] go
//!   further. [`Sim::now`], [`Sim::events_processed`], [`Sim::is_finished`].
//! * Reports: [`Sim::snapshot`] (what to draw), [`Sim::samples`] (one [`Sample`] per
//!   window), [`Sim::summary`] (the [`Summary`] of DESIGN §2.4), [`Sim::trace`] (the most
//!   recent [`TraceEvent`]s) and [`Sim::trace_hash`] (FNV-1a over every trace event).
//!   [`Sim::request_phase`] says where a request is in its handler (a [`RequestPhase`]).
//!   [`Sim::footprint`] lists what a run holds in memory, collection by collection (a
//!   [`Footprint`]: length, capacity and estimated bytes of each).
//! * [`Timeline`] wraps a `Sim` with bounded checkpoints for exact step-back and seeking by
//!   event index ([`Timeline::seek`], [`Timeline::step_back`]) or by time
//!   ([`Timeline::seek_time`]).
//! * The command-line tool `await-lab-sim FILE|-` prints the summary as JSON.
//!
//! # Use
//!
//! ```
//! let scenario = sim::parse_scenario(r#"{ "version": 1, "duration_ms": 2000 }"#).unwrap();
//! let mut sim = sim::Sim::new(scenario).unwrap();
//! let summary = sim.run_to_end();
//! assert!(summary.completed > 0);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// `names!`: one list gives a fieldless enum `ALL`, `NAMES`, `name` and `from_name`. The
// scenario's and trace's enums use it with serde's `snake_case` names (tests check it);
// the page's chapter files include the same file for their own names
// (src/curriculum/names.rs), so there is one definition.
include!("names_macro.rs");

pub mod decimal;
mod engine;
pub mod hill_climbing;
pub mod pool;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod schema;
pub mod snapshot;
pub mod time;
pub mod timeline;
pub mod validate;
pub mod write;

pub use engine::{
    Doing, Finished, Footprint, Held, Outcome, RequestPhase, Sim, ThreadState, WorkKind,
    POLL_CPU_US, RECENT_MAX,
};
pub use report::{trace_hash, Sample, Summary, TraceEvent, TraceKind};
pub use scenario::{
    Burst, CompletesVia, Dist, Endpoint, Limits, Load, LoadKind, Machine, Pool, Resource, Runtime,
    Scenario, Step, Style, Wait, SCENARIO_VERSION,
};
pub use snapshot::Snapshot;
pub use time::SimTime;
pub use timeline::Timeline;
pub use validate::{parse_scenario, FieldError};
pub use write::JsonForm;

/// Every way the model is simpler than the real .NET thread pool and OS, in plain words.
/// `SCENARIO.md` ("Model notes") sums them up; each chapter of the page has notes of its
/// own, on what matters for its runs.
pub const MODEL_NOTES: &[&str] = &[
    "Hill climbing is .NET's own controller (pool.hill_climbing, on by default; dotnet/runtime PortableThreadPool.HillClimbing.cs), driven as the runtime drives it: after a work item completes, once the sample interval it asked for (10–200 ms, drawn from the scenario's seed) has passed, unless more threads are at work than the goal or a cooperative-blocking adjustment is pending. A sample with too few completions (no more than (goal − 1) ÷ 0.15) is banked and retried 10 ms later; the goal moves in a square wave of at least one thread, and the control setting moves by ratio² × 4 threads a second, damped by confidence, never up while the gate's CPU reading is above 95 %. Differences: the CPU reading is the model's booked CPU time (the gate's 500 ms figure when the gate runs, else the sample's); .NET's random sequence is not reproduced, only its range; event-log statistics are not kept. Visible result: at low completion rates (a few threads blocked 200 ms per request) the first eight samples take seconds, so a blocking pool grows slowly at first; an async pool keeps its minimum plus the wave.",
    "When hill climbing takes back a step, the goal can fall below the threads at work; then a thread that finishes its work item parks instead of taking the next one (as in the real pool), so work may wait in the queue while such a thread is idle, until the goal rises again or the thread retires.",
    "Work waits in one global FIFO queue, in the priority queue that holds timer-queue firings (high-priority on .NET 7+, time-sensitive on .NET 6: pool.runtime), or in a thread's local queue, where Task.Run bodies go: the owner takes its newest item first, other threads steal the oldest, and only when the global queue is empty (the runtime starts a steal at a random thread; the model goes round the threads in turn). The await after a Task.Run resumes inline on the thread that ran the body, and a timer firing runs its first due timer inline; a socket completion is one global work item standing for the socket engine's item and the continuation it runs.",
    "When work is queued, an idle thread takes it at once (the most recently parked first), and a new thread is created only when none is parked; the runtime asks for a worker for every queued item up to its goal, so under a steady flow it keeps more threads alive than the model does. The time a parked thread needs to wake up is not modelled apart from the context switch when it gets a core.",
    "Creating a thread is instant and costs no CPU (it really costs tens of microseconds), and the pool creates threads on demand up to its goal exactly as work arrives.",
    "The thread goal never falls when blocked threads unblock; it falls by one each time an idle thread retires after the idle timeout (never below the minimum, and not when hill climbing had already put it below the threads alive), and wherever hill climbing moves it.",
    "Starvation injection follows .NET 6–8's gate: at a tick (every 500 ms, on the dot) it acts only if work waits, no cooperative-blocking adjustment is pending, no thread finished or picked up a work item for strictly more than 500 ms (goal × 1 s when the CPU reading is 80 % or more), and at least as many threads are at work as the goal; then the goal becomes the threads at work + 1. With exact ticks a new thread picks up work at once and so resets the clock, which makes about one thread a second; real timers wake late by a few ms, which can make it up to two. It measures CPU utilisation over the last gate period from the CPU time booked so far (a CPU burst is booked when it starts). The newest runtime's dispatch heartbeat (which no longer counts completions as progress) is not modelled.",
    "Cooperative blocking follows the .NET 6 schedule (the first P extra threads at once, then min(25 ms × (1 + (goal − (min + P)) / P), 250 ms) apart) but ignores the memory-load cut-off.",
    "The OS scheduler is plain round-robin with one global ready queue and a fixed time slice: no priorities, no per-core queues, no migration cost. A context switch is counted whenever a core starts running a different thread than it last ran; its cost is only the direct cost (no cache-pollution penalty).",
    "A thread does work that costs no CPU (issuing an I/O call, queuing a work item, answering) without needing a core. Only CPU steps, the per-work-item cost and polling wake-ups use a core.",
    "An I/O call that completes synchronously (complete_sync) costs no CPU, takes no resource capacity and is decided by a coin flip per call with the step's probability; in reality whether data is already buffered depends on what came before (read sizes, caches, how fast the peer sends).",
    "I/O completion is instantaneous at the drawn latency: there is no epoll/IOCP poller thread; the completion goes straight to the pool's global queue as a continuation work item.",
    "A sync_over_async request's inner task completes through one work item on the pool (standing for the awaited method's continuation); with the synchronization_context switch that continuation must run on the blocked thread itself, so it never runs (the classic deadlock).",
    "The Thread.Sleep polling loop (wait = sleep_poll) wakes every poll_ms and uses 2 µs of CPU per check; the pool cannot see it, so only starvation injection adds threads (hill climbing sees almost no completed work items to climb on).",
    "A timed-out request is not cancelled on the server: its program runs to the end and the late answer is counted but discarded. Deadlocked requests hold their thread for the rest of the run.",
    "Rejection (503) happens when a new request would have to wait in the pool queue and queue_limit new requests are already waiting, or when limits.max_in_flight requests are alive.",
    "Closed-load users open their connections evenly spread over load.ramp_ms (as a load tool does when it connects many clients), then each has one request outstanding at a time.",
    "The starvation-tutorial presets use 8 cores (the tutorial's counters show 16; 8 keeps the chapters' pictures small) and a 2 s connection ramp, and their delay completes through a socket, not a timer. With one FIFO queue and all 125 users at the same instant, .Result would complete almost nothing in 10 s; the ramp is what lets early continuations through. The tutorial as measured (16 cores, the delay through timers, its load client's retries) is in the calibration the test command prints: await and sleep-poll come within 5 % of the published figures, .Result about five times too high.",
    "Memory is thread stacks only: reserved and committed sizes per thread are fixed numbers from the scenario; heap, GC and kernel structures are not modelled.",
    "Latency percentiles come from a log-linear histogram (within about 1.6 %); means and maxima are exact.",
];
