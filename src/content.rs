//! The words of the page that are data rather than layout: the chapters (prose, the runs
//! they load, what to watch, the question they ask, their sources) and the intro.
//!
//! Every sentence here is our own; facts come from `../shared/FACTS.md` with their sources.

use sim::{Sample, Snapshot};

/// One guided chapter (DESIGN.md §4).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chapter {
    /// Stable identifier, used in deep links (`?chapter=slug`); never change a published one.
    pub slug: &'static str,
    pub title: &'static str,
    /// The one claim the chapter sets out to show, in a sentence.
    pub claim: &'static str,
    /// Short paragraphs. `[[slug]]` links the glossary term `slug` showing its name;
    /// `[[slug|shown words]]` links it showing other words. `` `code` `` is set as code.
    pub prose: &'static [&'static str],
    /// The runs the reader can load; the first one loads with the chapter. Empty for the
    /// sandbox, which keeps whatever the reader last ran (or their own scenario).
    pub setups: &'static [Setup],
    /// What on the stage proves the point; each cue can highlight its target.
    pub watch: &'static [Cue],
    /// Live figures the chapter shows beside the stage (the numbers chapters use these).
    pub figures: &'static [Measure],
    /// The predict-then-reveal question, if the chapter has one.
    pub question: Option<Question>,
    pub sources: &'static [Source],
}

/// A run a chapter loads: scenario names from `lessons::LESSON_PRESETS` for this chapter,
/// the second (if any) shown as side B with the same clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setup {
    /// Names the run on its button, e.g. "CPU-bound: sync against async".
    pub label: &'static str,
    pub a: &'static str,
    /// Names side A on the stage, e.g. "ToList()".
    pub a_title: &'static str,
    pub b: Option<(&'static str, &'static str)>,
}

/// A pointer from the prose to the stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cue {
    pub text: &'static str,
    pub target: Target,
}

/// The parts of the page a cue can highlight. Each maps to a `data-watch` value the CSS
/// outlines (with a text label too, so colour is not the only signal).
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

impl Target {
    /// The `data-watch` attribute value.
    pub fn attribute(self) -> &'static str {
        match self {
            Target::Cores => "cores",
            Target::Lanes => "lanes",
            Target::BlockedLanes => "blocked",
            Target::Queue => "queue",
            Target::Continuations => "continuations",
            Target::Io => "io",
            Target::Receipts => "receipts",
            Target::Totals => "totals",
            Target::Figures => "figures",
            Target::Code => "code",
            Target::Charts => "charts",
            Target::Sweep => "sweep",
        }
    }
}

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
}

impl Measure {
    pub fn label(self) -> &'static str {
        match self {
            Measure::Threads => "Threads",
            Measure::ThreadsBlocked => "Threads blocked",
            Measure::QueueLength => "Work items queued",
            Measure::IoInFlight => "I/O calls in flight",
            Measure::TasksPending => "Tasks pending",
            Measure::Completed => "Requests answered",
            Measure::Deadlocked => "Requests deadlocked",
            Measure::ContextSwitches => "Context switches",
            Measure::CpuUsefulPct => "CPU on program work (%)",
            Measure::CpuSwitchingPct => "CPU lost to switching (%)",
            Measure::ReservedMb => "Stack reserved (MB)",
            Measure::CommittedMb => "Stack committed (MB)",
            Measure::CompletedRatioBA => "Answered, B ÷ A",
            Measure::ThreadsB => "Threads of B",
        }
    }

    /// Reads the measure from side A (its snapshot and its latest sample) and side B. `None`
    /// when it cannot be read yet (no sample window closed, no side B, nothing answered).
    pub fn read(self, a: &Snapshot, a_last: Option<&Sample>, b: Option<&Snapshot>) -> Option<f64> {
        let c = &a.counters;
        Some(match self {
            Measure::Threads => f64::from(a.threads_total),
            Measure::ThreadsBlocked => f64::from(a.threads_by_state[3]),
            Measure::QueueLength => f64::from(a.pool_queue_total),
            Measure::IoInFlight => f64::from(a.io_total),
            Measure::TasksPending => f64::from(c.tasks_pending),
            Measure::Completed => c.completed as f64,
            Measure::Deadlocked => c.deadlocked as f64,
            Measure::ContextSwitches => c.context_switches as f64,
            Measure::CpuUsefulPct => a_last?.cpu_useful_pct,
            Measure::CpuSwitchingPct => a_last?.cpu_switching_pct,
            Measure::ReservedMb => a_last?.memory_reserved_mb,
            Measure::CommittedMb => a_last?.memory_committed_mb,
            Measure::CompletedRatioBA => {
                let b = b?;
                if c.completed == 0 {
                    return None;
                }
                b.counters.completed as f64 / c.completed as f64
            }
            Measure::ThreadsB => f64::from(b?.threads_total),
        })
    }
}

/// A predict-then-reveal question: the reader picks a choice, then the page runs the
/// chapter's first setup to `at_ms` and reads `measure`; the choice whose range holds the
/// value is the answer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Question {
    pub prompt: &'static str,
    pub measure: Measure,
    /// Simulated time at which the measure is read, ms.
    pub at_ms: u64,
    /// Ranges `lo <= value < hi`; they must not overlap, and the preset's value must fall
    /// in exactly one (a native test checks it).
    pub choices: &'static [Choice],
    /// Said after the reveal: why the number is what it is.
    pub explain: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Choice {
    pub label: &'static str,
    pub lo: f64,
    pub hi: f64,
}

impl Question {
    /// The index of the choice whose range holds `value`.
    pub fn answer(&self, value: f64) -> Option<usize> {
        self.choices
            .iter()
            .position(|c| c.lo <= value && value < c.hi)
    }
}

/// A source for a chapter's facts (FACTS.md names them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source {
    pub label: &'static str,
    /// Shown as a link when present; only ever an https address of the source itself.
    pub url: Option<&'static str>,
}

/// One row of chapter 10's "I/O-bound or CPU-bound?" exercise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Workload {
    /// What the handler does, e.g. "Reads a row from SQL Server".
    pub what: &'static str,
    pub bound: Bound,
    /// Why, and what to write for it, said after the reader chooses.
    pub why: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// Waits on something outside the process: await its async API.
    Io,
    /// Computes on this thread: run it synchronously (await gains nothing).
    Cpu,
}

/// The chapters in reading order (DESIGN.md §4).
pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        slug: "blocked-is-not-busy",
        title: "A blocked thread is not a busy CPU",
        claim: "While a thread waits for the database it keeps its stack and its place, \
                but the processor has nothing to do for it.",
        prose: &[],
        setups: &[],
        watch: &[],
        figures: &[],
        question: None,
        sources: &[],
    },
    Chapter {
        slug: "async-is-not-threads",
        title: "Asynchronous is not multi-threaded",
        claim: "One thread can look after many requests, because none of them needs a \
                thread while its I/O is out in the operating system.",
        prose: &[],
        setups: &[],
        watch: &[],
        figures: &[],
        question: None,
        sources: &[],
    },
    Chapter {
        slug: "task-is-a-receipt",
        title: "A Task is a receipt, not a worker",
        claim: "A Task stands for a result that will exist later; often no thread at all is \
                attached to it, and sometimes it is complete before anyone awaits it.",
        prose: &[],
        setups: &[],
        watch: &[],
        figures: &[],
        question: None,
        sources: &[],
    },
    Chapter {
        slug: "await-is-syntax",
        title: "async and await are syntax",
        claim: "The compiler rewrites an async method into a state machine whose MoveNext \
                runs each piece and registers the rest as a continuation.",
        prose: &[],
        setups: &[],
        watch: &[],
        figures: &[],
        question: None,
        sources: &[],
    },
    Chapter {
        slug: "one-request-one-thread",
        title: "One request, one thread",
        claim: "A synchronous server lends a pool thread to each request for its whole life, \
                and requests beyond the pool's size wait in its queue.",
        prose: &[],
        setups: &[],
        watch: &[],
        figures: &[],
        question: None,
        sources: &[],
    },
    Chapter {
        slug: "eight-hundred-requests",
        title: "800 concurrent requests",
        claim: "Hundreds of threads reserve address space, commit real memory and make the \
                processor spend time switching instead of working.",
        prose: &[],
        setups: &[],
        watch: &[],
        figures: &[],
        question: None,
        sources: &[],
    },
    Chapter {
        slug: "starvation",
        title: "Starvation",
        claim: "The pool adds threads slowly on purpose, so a burst of blocking work leaves \
                requests queued while the processor sits mostly idle.",
        prose: &[],
        setups: &[],
        watch: &[],
        figures: &[],
        question: None,
        sources: &[],
    },
    Chapter {
        slug: "blocking-io-is-the-killer",
        title: "Blocking I/O is the killer",
        claim: "The same load against ToList() and ToListAsync(): one server queues and \
                times out, the other keeps answering.",
        prose: &[],
        setups: &[],
        watch: &[],
        figures: &[],
        question: None,
        sources: &[],
    },
    Chapter {
        slug: "where-performance-comes-from",
        title: "Where the performance comes from",
        claim: "Async does not make a query faster; it lets a few threads carry many waits. \
                When the work is CPU-bound, or the database is the bottleneck, the gain vanishes.",
        prose: &[],
        setups: &[],
        watch: &[],
        figures: &[],
        question: None,
        sources: &[],
    },
    Chapter {
        slug: "anti-patterns",
        title: "Anti-patterns",
        claim: "Blocking on a Task starves an ASP.NET Core pool and deadlocks under a \
                synchronization context; wrapping blocking I/O in Task.Run only moves the wait.",
        prose: &[],
        setups: &[],
        watch: &[],
        figures: &[],
        question: None,
        sources: &[],
    },
    Chapter {
        slug: "sandbox",
        title: "Sandbox",
        claim: "Every knob of the simulation, open for your own experiments.",
        prose: &[],
        setups: &[],
        watch: &[],
        figures: &[],
        question: None,
        sources: &[],
    },
];

/// The three questions the page sets out to answer, in our own words.
pub const OPENING_QUESTIONS: &[&str] = &[
    "Why do web APIs use async at all?",
    "If a database query is no faster with await, where does the gain come from?",
    "What exactly does a thread do while a request waits for I/O?",
];

/// Chapter 10's exercise.
pub const WORKLOADS: &[Workload] = &[];
