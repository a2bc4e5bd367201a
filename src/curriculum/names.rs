//! The closed sets of names a chapter file may use: where a cue points (`target`), what a
//! figure or a question reads (`measure`) and how an exercise's workload is bound
//! (`bound`). The build script includes this file too (`build.rs`), so the names a chapter
//! file is checked against at build time are these very enums, not a copy of them.

// The engine's own `names!` (`ALL`, `NAMES`, `name`, `from_name` from one list), included
// rather than imported because build.rs compiles this file without the engine crate.
include!("../../crates/sim/src/names_macro.rs");

/// The parts of the page a cue can highlight. Each name is also the `data-watch` value
/// the CSS outlines (with a text label too, so colour is not the only signal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The cores strip.
    Cores,
    /// Every thread lane.
    Lanes,
    /// Lanes of blocked threads.
    BlockedLanes,
    /// The pool's work queue.
    Queue,
    /// Continuations in the pool's queue.
    Continuations,
    /// The OS / I/O area.
    Io,
    /// Task receipts with no thread attached, in the I/O area.
    Receipts,
    /// The totals line above the stage (threads, memory, answered…).
    Totals,
    /// The live figures box of this chapter.
    Figures,
    /// The code panel.
    Code,
    /// The time-series charts.
    Charts,
    /// The sweep chart.
    Sweep,
}

names!(Target {
    Cores => "cores",
    Lanes => "lanes",
    BlockedLanes => "blocked",
    Queue => "queue",
    Continuations => "continuations",
    Io => "io",
    Receipts => "receipts",
    Totals => "totals",
    Figures => "figures",
    Code => "code",
    Charts => "charts",
    Sweep => "sweep",
});

/// A number read from the simulation, for live figures and for answering questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Live threads (side A).
    Threads,
    /// Threads blocked right now.
    ThreadsBlocked,
    /// Work items in the pool's queue.
    QueueLength,
    /// I/O calls in progress.
    IoInFlight,
    /// Tasks created and not yet completed.
    TasksPending,
    /// Requests answered so far.
    Completed,
    /// Requests stuck in a deadlock.
    Deadlocked,
    /// Context switches so far.
    ContextSwitches,
    /// CPU spent on program work over the last sample window, %.
    CpuUsefulPct,
    /// CPU spent switching over the last sample window, %.
    CpuSwitchingPct,
    /// Stack address space reserved, MB (last sample window).
    ReservedMb,
    /// Stack memory committed, MB (last sample window).
    CommittedMb,
    /// Requests answered so far by side B divided by side A's.
    CompletedRatioBA,
    /// Live threads of side B.
    ThreadsB,
    /// Of the requests whose continuation has run, the share that ran it on a thread other
    /// than the one that started them, %. Read from the trace.
    ResumedElsewherePct,
    /// Requests answered per second, from 0 s to the snapshot's moment.
    AnsweredPerS,
    /// The worst p99 latency of the last second's sample windows that answered anything, ms.
    RecentLatencyP99Ms,
}

names!(Measure {
    Threads => "threads",
    ThreadsBlocked => "threads_blocked",
    QueueLength => "queue_length",
    IoInFlight => "io_in_flight",
    TasksPending => "tasks_pending",
    Completed => "completed",
    Deadlocked => "deadlocked",
    ContextSwitches => "context_switches",
    CpuUsefulPct => "cpu_useful_pct",
    CpuSwitchingPct => "cpu_switching_pct",
    ReservedMb => "reserved_mb",
    CommittedMb => "committed_mb",
    CompletedRatioBA => "completed_ratio_b_a",
    ThreadsB => "threads_b",
    ResumedElsewherePct => "resumed_elsewhere_pct",
    AnsweredPerS => "answered_per_s",
    RecentLatencyP99Ms => "recent_latency_p99_ms",
});

/// How a workload in chapter 11's exercise is bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// Waits on something outside the process: await its async API.
    Io,
    /// Computes on this thread: run it synchronously (await gains nothing).
    Cpu,
}

names!(Bound {
    Io => "io",
    Cpu => "cpu",
});
