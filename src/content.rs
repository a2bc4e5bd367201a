//! The words of the page that are data rather than layout: the chapters (prose, the runs
//! they load, what to watch, the question they ask, their sources) and the intro.
//!
//! Every sentence here is our own; each chapter's facts are cited in its own `sources`.

use sim::{Sample, Snapshot};

/// One guided chapter.
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

/// A source for a chapter's facts: the public page or paper a fact comes from.
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

// Sources, shared by the chapters that cite them.
const S_POOL: Source = Source {
    label: "dotnet/runtime: PortableThreadPool.cs (minimum threads, 20 s idle timeout)",
    url: Some(
        "https://github.com/dotnet/runtime/blob/main/src/libraries/System.Private.CoreLib/src/System/Threading/PortableThreadPool.cs",
    ),
};
const S_GATE: Source = Source {
    label: "dotnet/runtime: PortableThreadPool.GateThread.cs (starvation injection every 500 ms)",
    url: Some(
        "https://github.com/dotnet/runtime/blob/main/src/libraries/System.Private.CoreLib/src/System/Threading/PortableThreadPool.GateThread.cs",
    ),
};
const S_BLOCKING: Source = Source {
    label: "dotnet/runtime: PortableThreadPool.Blocking.cs (cooperative blocking, .NET 6)",
    url: Some(
        "https://github.com/dotnet/runtime/blob/main/src/libraries/System.Private.CoreLib/src/System/Threading/PortableThreadPool.Blocking.cs",
    ),
};
const S_TUTORIAL: Source = Source {
    label: "Microsoft Learn: Debug ThreadPool starvation",
    url: Some(
        "https://learn.microsoft.com/en-us/dotnet/core/diagnostics/debug-threadpool-starvation",
    ),
};
const S_GUIDANCE: Source = Source {
    label: "David Fowler: ASP.NET Core async guidance (AsyncGuidance.md)",
    url: Some(
        "https://github.com/davidfowl/AspNetCoreDiagnosticScenarios/blob/master/AsyncGuidance.md",
    ),
};
const S_CLEARY: Source = Source {
    label: "Stephen Cleary: Don't Block on Async Code (2012)",
    url: Some("https://blog.stephencleary.com/2012/07/dont-block-on-async-code.html"),
};
const S_TOUB: Source = Source {
    label: "Stephen Toub: Should I expose asynchronous wrappers for synchronous methods? (2012)",
    url: None,
};
const S_BUILDER: Source = Source {
    label: "dotnet/runtime: AsyncTaskMethodBuilderT.cs (AwaitUnsafeOnCompleted, the boxed state machine)",
    url: Some(
        "https://github.com/dotnet/runtime/blob/main/src/libraries/System.Private.CoreLib/src/System/Runtime/CompilerServices/AsyncTaskMethodBuilderT.cs",
    ),
};
const S_LITTLE: Source = Source {
    label: "Lazowska et al.: Quantitative System Performance (1984), ch. 3 and 5",
    url: None,
};
const S_SWITCH: Source = Source {
    label: "Li, Ding & Shen: Quantifying the Cost of Context Switch (ExpCS 2007)",
    url: None,
};
const S_HILL: Source = Source {
    label: "Hellerstein, Morrison & Eilebrecht: Optimizing Concurrency Levels in the .NET ThreadPool (2008)",
    url: None,
};
const S_SOCKETS: Source = Source {
    label: "dotnet/runtime: SocketAsyncEngine.Unix.cs (epoll completions queued to the pool)",
    url: Some(
        "https://github.com/dotnet/runtime/blob/main/src/libraries/System.Net.Sockets/src/System/Net/Sockets/SocketAsyncEngine.Unix.cs",
    ),
};
const S_STACK: Source = Source {
    label: "dotnet/runtime PR #98007 (the .NET host executables reserve 1.5 MB stacks)",
    url: Some("https://github.com/dotnet/runtime/pull/98007"),
};

/// The chapters in reading order.
pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        slug: "blocked-is-not-busy",
        title: "A blocked thread is not a busy CPU",
        claim: "While a thread waits for the database it keeps its stack and its place, \
                but the processor has nothing to do for it.",
        prose: &[
            "A [[thread]] is what runs your code: the operating system puts it on a CPU core \
             and it works through your method line by line. When the line is \
             `db.Users.ToList()`, the query goes over the network to the database server, and \
             until the rows come back the thread has nothing to compute.",
            "So it [[blocking|blocks]]. The operating system takes it off the core and does not \
             schedule it again until the network reports the answer. A blocked thread uses no \
             CPU at all.",
            "It is not free, though. It keeps its [[stack]] and its kernel bookkeeping, and it \
             cannot serve anyone else until the query returns.",
            "On this stage one user sends one request at a time: 1 ms of CPU, 500 ms of \
             database, 1 ms of CPU. The thread is held for 502 ms and works for 2 of them. \
             Blocked and busy are opposites: a server whose requests mostly wait runs out of \
             threads long before it runs out of processor.",
        ],
        setups: &[Setup {
            label: "One request at a time, blocking",
            a: "blocking",
            a_title: "ToList()",
            b: None,
        }],
        watch: &[
            Cue {
                text: "The one thread is blocked for almost the whole request.",
                target: Target::BlockedLanes,
            },
            Cue {
                text: "Meanwhile the core has nothing to run.",
                target: Target::Cores,
            },
            Cue {
                text: "CPU on program work stays near 0 %; the stack stays reserved.",
                target: Target::Figures,
            },
        ],
        figures: &[
            Measure::CpuUsefulPct,
            Measure::ThreadsBlocked,
            Measure::ReservedMb,
        ],
        question: Some(Question {
            prompt: "The thread is held for 502 ms per request. How much of the core does it \
                     use?",
            measure: Measure::CpuUsefulPct,
            at_ms: 5_000,
            choices: &[
                Choice {
                    label: "Almost none: under 5 %",
                    lo: 0.0,
                    hi: 5.0,
                },
                Choice {
                    label: "Some: 5 to 30 %",
                    lo: 5.0,
                    hi: 30.0,
                },
                Choice {
                    label: "About half",
                    lo: 30.0,
                    hi: 90.0,
                },
                Choice {
                    label: "Nearly all: it is busy waiting",
                    lo: 90.0,
                    hi: 100.5,
                },
            ],
            explain: "2 ms of CPU in 502 ms is 0.4 % on average, and in most 100 ms windows \
                      the core does nothing at all. The waiting happens in the database; the \
                      thread just sits [[blocking|blocked]].",
        }),
        sources: &[S_TUTORIAL],
    },
    Chapter {
        slug: "async-is-not-threads",
        title: "Asynchronous is not multi-threaded",
        claim: "One thread can look after many requests, because none of them needs a \
                thread while its I/O is out in the operating system.",
        prose: &[
            "[[asynchronous|Asynchronous]] means the thread does not wait: the method starts \
             the operation and gets a [[task]] back at once; with `await` the method itself \
             pauses there, but its thread goes on to other work. It says nothing about using \
             more threads; done right, it uses fewer.",
            "Here the pool has one thread and the machine one core, and fifty users each send \
             a new request as soon as the last is answered. With \
             `await db.Users.ToListAsync()` the thread sends the query and is free again \
             within a millisecond.",
            "No thread waits for the database. The socket is watched by the operating system, \
             which reports the answer through an [[io-completion|I/O completion port or \
             epoll]]; the runtime then queues the rest of the request, its \
             [[continuation]], to the pool. Here the one thread picks it up.",
            "So one thread keeps about fifty queries out at once and answers about 240 \
             requests a second, the most fifty users can send when each request takes \
             202 ms. It is busy half the time.",
        ],
        setups: &[Setup {
            label: "Fifty users, one thread, await",
            a: "async",
            a_title: "ToListAsync()",
            b: None,
        }],
        watch: &[
            Cue {
                text: "One thread lane, never blocked, taking request after request.",
                target: Target::Lanes,
            },
            Cue {
                text: "Dozens of queries out in the OS area, none with a thread.",
                target: Target::Io,
            },
            Cue {
                text: "Answers come back as continuations queued for the thread.",
                target: Target::Continuations,
            },
        ],
        figures: &[Measure::Threads, Measure::IoInFlight, Measure::Completed],
        question: Some(Question {
            prompt: "One thread, fifty users. How many database queries are in flight at 5 s?",
            measure: Measure::IoInFlight,
            at_ms: 5_000,
            choices: &[
                Choice {
                    label: "One: one thread, one query",
                    lo: 0.0,
                    hi: 2.0,
                },
                Choice {
                    label: "A handful",
                    lo: 2.0,
                    hi: 10.0,
                },
                Choice {
                    label: "About half the users",
                    lo: 10.0,
                    hi: 40.0,
                },
                Choice {
                    label: "Nearly all fifty",
                    lo: 40.0,
                    hi: 51.0,
                },
            ],
            explain: "Each request spends 200 of its 202 ms in the database, so at any moment \
                      nearly all fifty are there. A query in flight needs no thread; the one \
                      thread only runs the 1 ms pieces before and after.",
        }),
        sources: &[S_SOCKETS, S_LITTLE],
    },
    Chapter {
        slug: "task-is-a-receipt",
        title: "A Task is a receipt, not a worker",
        claim: "A Task stands for a result that will exist later; often no thread at all is \
                attached to it, and sometimes it is complete before anyone awaits it.",
        prose: &[
            "A [[task]] is an object that promises a result. `ToListAsync()` returns one at \
             once, long before the rows exist. Think of a receipt at a counter: holding it \
             does not mean someone stands there holding your order.",
            "What stands behind a task varies. It may be an I/O operation, with no thread \
             waiting anywhere. It may be a delegate queued with `Task.Run`, which does occupy \
             a pool thread while it runs. It may be an async method, completed when that \
             method returns. And it may be finished already when you get it, because the data \
             was buffered or cached; then `await` just takes the result and goes on.",
            "On this stage a pool pinned at two threads serves thirty users. Count the \
             receipts in the I/O area: usually twenty or more against two threads, and \
             neither thread is blocked. \
             About one query in four finds its result already there and goes straight on.",
            "So creating a task does not mean starting a thread. Whether a thread is involved \
             depends on what the task stands for.",
        ],
        setups: &[Setup {
            label: "Thirty users, two threads",
            a: "async",
            a_title: "ToListAsync()",
            b: None,
        }],
        watch: &[
            Cue {
                text: "Receipts waiting on I/O with no thread attached.",
                target: Target::Receipts,
            },
            Cue {
                text: "Two thread lanes, idle most of the time.",
                target: Target::Lanes,
            },
            Cue {
                text: "Tasks pending against threads.",
                target: Target::Figures,
            },
        ],
        figures: &[
            Measure::TasksPending,
            Measure::Threads,
            Measure::ThreadsBlocked,
        ],
        question: Some(Question {
            prompt: "Two threads serve thirty users. How many tasks are pending at 3 s?",
            measure: Measure::TasksPending,
            at_ms: 3_000,
            choices: &[
                Choice {
                    label: "At most two: one per thread",
                    lo: 0.0,
                    hi: 3.0,
                },
                Choice {
                    label: "Three to nine",
                    lo: 3.0,
                    hi: 10.0,
                },
                Choice {
                    label: "Ten to thirty",
                    lo: 10.0,
                    hi: 31.0,
                },
                Choice {
                    label: "More than thirty",
                    lo: 31.0,
                    hi: 1.0e9,
                },
            ],
            explain: "Each user spends about 300 ms waiting on the database and 50 ms \
                      thinking, so most of the thirty have a query out at any moment, each \
                      one a task with no thread. There can be no more than thirty: one \
                      request per user.",
        }),
        sources: &[S_GUIDANCE],
    },
    Chapter {
        slug: "await-is-syntax",
        title: "async and await are syntax",
        claim: "The compiler rewrites an async method into a state machine whose MoveNext \
                runs each piece and registers the rest as a continuation.",
        prose: &[
            "`async` creates no thread and makes nothing asynchronous. It tells the compiler \
             to rewrite the method; each `await` marks a place where the method may pause. \
             The asynchrony comes from what is awaited: here a database driver doing real \
             asynchronous I/O.",
            "The compiler turns the method into a [[state-machine|state machine]]: a struct \
             with the method's locals, a `state` field saying which `await` it reached, and \
             a `MoveNext` method that runs from there to the next pause. Calling the method \
             creates the struct and runs `MoveNext` once, on the caller's thread.",
            "At an `await`, `MoveNext` calls `GetAwaiter()` on the task and asks the \
             [[awaiter]] `IsCompleted`. If the task is already done, it carries straight on, \
             on the same thread, and nothing is queued: the fast path. In this run about three \
             requests in ten take it.",
            "If not, it stores the state number, hands the awaiter to the builder's \
             `AwaitUnsafeOnCompleted`, which registers a callback (moving the state machine \
             to the heap the first time), and returns. The thread goes back to the pool; the \
             paused method's locals live on the heap, not on any stack.",
            "When the query answers, the I/O completion queues the [[continuation]] to the \
             pool as a [[work-item|work item]]. The pool thread that takes it calls \
             `MoveNext` again, which jumps to the saved state. It need not be the thread the \
             request started on.",
        ],
        setups: &[Setup {
            label: "Four users, two threads",
            a: "async",
            a_title: "await ToListAsync()",
            b: None,
        }],
        watch: &[
            Cue {
                text: "The highlighted line stops at the await and resumes after it.",
                target: Target::Code,
            },
            Cue {
                text: "While the query is out, only its task remains.",
                target: Target::Receipts,
            },
            Cue {
                text: "The answer comes back as a continuation in the queue.",
                target: Target::Continuations,
            },
            Cue {
                text: "The request may resume on a different thread lane.",
                target: Target::Lanes,
            },
        ],
        figures: &[Measure::ThreadsBlocked, Measure::TasksPending],
        question: Some(Question {
            prompt: "Four requests, two threads. While the queries are out, how many threads \
                     are blocked?",
            measure: Measure::ThreadsBlocked,
            at_ms: 1_000,
            choices: &[
                Choice {
                    label: "None",
                    lo: 0.0,
                    hi: 1.0,
                },
                Choice {
                    label: "One",
                    lo: 1.0,
                    hi: 2.0,
                },
                Choice {
                    label: "Both",
                    lo: 2.0,
                    hi: 3.0,
                },
                Choice {
                    label: "Four: one per request",
                    lo: 3.0,
                    hi: 1.0e9,
                },
            ],
            explain: "`MoveNext` returned at the `await`, so the thread went back to the pool. \
                      The request is now a state machine on the heap plus a task; nothing is \
                      waiting on a stack.",
        }),
        sources: &[S_BUILDER, S_GUIDANCE],
    },
    Chapter {
        slug: "one-request-one-thread",
        title: "One request, one thread",
        claim: "A synchronous server lends a pool thread to each request for its whole life, \
                and requests beyond the pool's size wait in its queue.",
        prose: &[
            "ASP.NET Core runs your code on the [[thread-pool]], a set of threads kept alive \
             so the server need not create one per request. Each arriving request becomes a \
             [[work-item|work item]] in the pool's queue, and an idle thread takes the oldest.",
            "With synchronous code that thread stays with the request until the response is \
             written, through the whole database call. One request in progress holds one \
             thread.",
            "Here the pool is pinned at four threads and twelve users each keep a request \
             outstanding. Four requests hold the threads, mostly blocked on the database; \
             eight wait in the queue, though the CPU is 98 % idle.",
            "A request needs 102 ms but waits behind two others, so it takes about 306 ms. \
             [[littles-law|Little's law]] agrees: twelve requests inside, answered at about \
             39 a second, means about 0.3 s each.",
        ],
        setups: &[Setup {
            label: "Twelve users, four threads",
            a: "blocking",
            a_title: "ToList()",
            b: None,
        }],
        watch: &[
            Cue {
                text: "All four threads are blocked on the database.",
                target: Target::BlockedLanes,
            },
            Cue {
                text: "Eight requests wait in the queue for a thread.",
                target: Target::Queue,
            },
            Cue {
                text: "The cores are almost idle.",
                target: Target::Cores,
            },
        ],
        figures: &[
            Measure::Threads,
            Measure::QueueLength,
            Measure::CpuUsefulPct,
        ],
        question: Some(Question {
            prompt: "Four threads, twelve users. How many work items wait in the queue at 5 s?",
            measure: Measure::QueueLength,
            at_ms: 5_000,
            choices: &[
                Choice {
                    label: "None: the CPU is free, so they run",
                    lo: 0.0,
                    hi: 1.0,
                },
                Choice {
                    label: "A few",
                    lo: 1.0,
                    hi: 6.0,
                },
                Choice {
                    label: "Eight",
                    lo: 6.0,
                    hi: 10.0,
                },
                Choice {
                    label: "All twelve",
                    lo: 10.0,
                    hi: 1.0e9,
                },
            ],
            explain: "Each of the four threads holds one request, blocked or not; the other \
                      eight requests have no thread to run on. Idle cores do not help: what \
                      is missing is threads.",
        }),
        sources: &[S_POOL, S_LITTLE],
    },
    Chapter {
        slug: "eight-hundred-requests",
        title: "800 concurrent requests",
        claim: "Hundreds of threads reserve address space, commit real memory and make the \
                processor spend time switching instead of working.",
        prose: &[
            "Serving 800 requests at once with blocking code takes 800 threads. Here the \
             pool's minimum is raised to 800 (`ThreadPool.SetMinThreads`), which lets it create \
             threads on demand without delay up to 800 (it does not create them in advance: \
             the 800 requests arriving make it create them); the next chapter shows what \
             happens without that.",
            "Memory first. Each thread's [[stack]] reserves 1 MB of address space by default \
             on Windows (1.5 MB under the `dotnet` host of .NET 9 and later; on Linux it \
             follows `ulimit -s`, often 8 MB), which is where \"1,000 threads = \
             1 GB\" comes from. Reserving is not using: pages are committed only when \
             touched. The model commits 64 KB a thread, the figure .NET itself plans with; \
             measured on Linux, blocked threads that touched 16 KB of stack cost about 25 KB \
             each.",
            "So 800 threads reserve 800 MB and commit about 50 MB: not a gigabyte, but real \
             memory, spent on threads almost all of which are blocked at any moment.",
            "Then the processor. Each time a core swaps threads it pays a \
             [[context-switch]], about 3 µs directly. Here that is some 4,000 switches a \
             second and under 0.2 % of the CPU. The larger costs are indirect and not \
             modelled: cold caches, scheduler work, the garbage collector scanning 800 stacks.",
        ],
        setups: &[Setup {
            label: "800 users, 800 threads",
            a: "blocking",
            a_title: "ToList()",
            b: None,
        }],
        watch: &[
            Cue {
                text: "Reserved against committed: 800 MB against 50 MB.",
                target: Target::Figures,
            },
            Cue {
                text: "Nearly every one of the 800 threads is blocked.",
                target: Target::BlockedLanes,
            },
            Cue {
                text: "The cores switch thousands of times a second.",
                target: Target::Cores,
            },
        ],
        figures: &[
            Measure::Threads,
            Measure::ReservedMb,
            Measure::CommittedMb,
            Measure::ContextSwitches,
            Measure::CpuSwitchingPct,
        ],
        question: Some(Question {
            prompt: "800 threads with 1 MB stacks. How much stack memory is committed at 5 s?",
            measure: Measure::CommittedMb,
            at_ms: 5_000,
            choices: &[
                Choice {
                    label: "Under 10 MB",
                    lo: 0.0,
                    hi: 10.0,
                },
                Choice {
                    label: "About 50 MB",
                    lo: 10.0,
                    hi: 200.0,
                },
                Choice {
                    label: "About 400 MB",
                    lo: 200.0,
                    hi: 600.0,
                },
                Choice {
                    label: "About 800 MB",
                    lo: 600.0,
                    hi: 1.0e9,
                },
            ],
            explain: "800 × 64 KB = 50 MB. The 1 MB is address space set aside, shown as \
                      reserved; only the pages a thread touches are committed.",
        }),
        sources: &[S_STACK, S_POOL, S_SWITCH],
    },
    Chapter {
        slug: "starvation",
        title: "Starvation",
        claim: "The pool adds threads slowly on purpose, so a burst of blocking work leaves \
                requests queued while the processor sits mostly idle.",
        prose: &[
            "Left alone, the pool starts with one thread per core (four here) and adds more \
             only when it judges it must. More threads than cores means switching and memory, \
             so it is cautious by design.",
            "Its last resort is [[starvation-injection]]: every 500 ms, if work is queued, no \
             thread has finished or picked up a work item for more than 500 ms, and at least \
             as many threads are at work as its goal, it raises the goal to the threads at \
             work plus one: about one thread a second, up to two when its timer wakes late. Two hundred requests that each block a thread for half a second need \
             two hundred threads; at that rate they take minutes.",
            "Meanwhile the server is in [[starvation]]: requests queue, latency climbs to \
             seconds (long enough for most clients to give up), and the CPU is nearly idle. Worse, the \
             [[continuation|continuations]] that would release blocked threads wait in the \
             same queue behind new requests, so each new thread takes a new request and \
             blocks too.",
            "Since .NET 6, a thread blocked in `.Result` or `.Wait()` tells the pool \
             ([[cooperative-blocking]]), which then adds threads much faster: the second run. \
             The pool cannot see `Thread.Sleep` or plain synchronous I/O; for those only the \
             slow gate and [[hill-climbing]] remain.",
            "Queues decide as much as thread counts. Work a pool thread queues itself, such \
             as a `Task.Run` body, goes to that thread's own local queue, which other threads \
             only steal from once the global queue is empty. The third run blocks with \
             `.Result` on an async method that awaits `Task.Run`: the body waits in the local \
             queue of the very thread that blocks, behind every new request in the global \
             queue. .NET 10 moves a blocking thread's local items to the high-priority \
             queue, and the same code answers at the speed of its CPU work.",
        ],
        setups: &[
            Setup {
                label: "Gate only: no cooperative blocking, no hill climbing",
                a: "result",
                a_title: ".Result, no cooperative blocking",
                b: None,
            },
            Setup {
                label: ".NET 6+: cooperative blocking",
                a: "cooperative",
                a_title: ".Result, cooperative blocking",
                b: None,
            },
            Setup {
                label: "Task.Run inside .Result: .NET 6–9 against .NET 10",
                a: "local-net6",
                a_title: ".NET 6–9",
                b: Some(("local-net10", ".NET 10")),
            },
        ],
        watch: &[
            Cue {
                text: "Threads grow: by about one a second from the gate alone; with \
                       cooperative blocking, four at once, then one every 25 to 250 ms.",
                target: Target::Figures,
            },
            Cue {
                text: "The queue stays full of new requests.",
                target: Target::Queue,
            },
            Cue {
                text: "In the starving runs every thread is blocked, yet the cores are idle.",
                target: Target::BlockedLanes,
            },
        ],
        figures: &[
            Measure::Threads,
            Measure::QueueLength,
            Measure::CpuUsefulPct,
        ],
        question: Some(Question {
            prompt: "200 users block on `.Result` on a pool without cooperative blocking \
                     (before .NET 6) that starts at 4 threads. How many threads will it have \
                     after 10 s?",
            measure: Measure::Threads,
            at_ms: 10_000,
            choices: &[
                Choice {
                    label: "Still about 4",
                    lo: 0.0,
                    hi: 6.0,
                },
                Choice {
                    label: "About 14",
                    lo: 6.0,
                    hi: 30.0,
                },
                Choice {
                    label: "About 60",
                    lo: 30.0,
                    hi: 120.0,
                },
                Choice {
                    label: "About 200: one per request",
                    lo: 120.0,
                    hi: 1.0e9,
                },
            ],
            explain: "The gate adds a thread when nothing has been dequeued for 500 ms; \
                      after it adds one, the new thread dequeues a request, so the next \
                      check waits another period. That is about one thread a second: 4 + 10.",
        }),
        sources: &[S_GATE, S_BLOCKING, S_TUTORIAL, S_HILL],
    },
    Chapter {
        slug: "blocking-io-is-the-killer",
        title: "Blocking I/O is the killer",
        claim: "The same load against ToList() and ToListAsync(): one server keeps its \
                users waiting for seconds, the other keeps answering.",
        prose: &[
            "Two servers, one line apart: `db.Users.ToList()` against \
             `await db.Users.ToListAsync()`. Same machine, same database, the same two \
             hundred users, the same seed.",
            "The blocking server holds a thread for every query in progress. Its threads do \
             finish a request every 200 ms or so, so the starvation gate never fires, and \
             [[hill-climbing]] is slow to help: at four threads it needs more than twenty \
             finished requests per sample, so its first eight samples (a wave of one thread, \
             up and down) take most of these 10 s. In this run the pool stays at four to six \
             threads: about 24 answers a second, nearly two hundred requests queued and \
             seconds of latency.",
            "The async server stays near its minimum of four threads (hill climbing's wave \
             adds one or two now and then). All two hundred queries can be out at once as \
             tasks, and the threads only run 2 ms of CPU per request. It answers about 960 a \
             second, close to the 1,000 that two hundred users can send when each request \
             takes 200 ms ([[littles-law|Little's law]]).",
            "Neither query ran faster. What differs is how many waits the server can hold: \
             with blocking I/O, one per thread; with async I/O, as many as the database \
             accepts.",
        ],
        setups: &[Setup {
            label: "ToList() against ToListAsync()",
            a: "blocking",
            a_title: "ToList()",
            b: Some(("async", "ToListAsync()")),
        }],
        watch: &[
            Cue {
                text: "The blocking side's queue holds nearly every user.",
                target: Target::Queue,
            },
            Cue {
                text: "Its few threads are all blocked.",
                target: Target::BlockedLanes,
            },
            Cue {
                text: "The async side's I/O area holds about two hundred receipts.",
                target: Target::Receipts,
            },
            Cue {
                text: "Answered, B ÷ A, and the threads each side uses.",
                target: Target::Figures,
            },
        ],
        figures: &[
            Measure::CompletedRatioBA,
            Measure::Threads,
            Measure::ThreadsB,
        ],
        question: Some(Question {
            prompt: "After 10 s, how many times more requests will the async side have \
                     answered?",
            measure: Measure::CompletedRatioBA,
            at_ms: 10_000,
            choices: &[
                Choice {
                    label: "About the same",
                    lo: 0.0,
                    hi: 1.5,
                },
                Choice {
                    label: "1.5 to 5 times",
                    lo: 1.5,
                    hi: 5.0,
                },
                Choice {
                    label: "5 to 15 times",
                    lo: 5.0,
                    hi: 15.0,
                },
                Choice {
                    label: "More than 15 times",
                    lo: 15.0,
                    hi: 1.0e9,
                },
            ],
            explain: "About five blocked threads finish one request per 202 ms each, about \
                      25 a second. The async side is limited only by its users: 200 ÷ 0.2 s \
                      ≈ 1,000 a second, on two cores' worth of CPU. (How fast the blocking \
                      pool grows is up to hill climbing; over a longer run it climbs, and the \
                      gap narrows.)",
        }),
        sources: &[S_GUIDANCE, S_LITTLE, S_HILL],
    },
    Chapter {
        slug: "where-performance-comes-from",
        title: "Where the performance comes from",
        claim: "Async does not make a query faster; it lets a few threads carry many waits. \
                When the work is CPU-bound, or the database is the bottleneck, the gain vanishes.",
        prose: &[
            "Async makes no single operation faster. A query takes what the database needs, \
             and `await` adds a little work: a state machine, a queued continuation. What it \
             changes is the price of a waiting request: a small object instead of a thread.",
            "That pays when requests mostly wait and there are more waits than threads: \
             throughput and [[p99]] latency under load, memory, switching. Run the sweep \
             chart: the two styles agree while the pool has threads enough, and part where \
             it runs out.",
            "It does not pay for [[cpu-bound]] work. The first run computes for 5 ms per \
             request on four cores: the cores are the limit, and both versions answer about \
             790 a second. An async method with nothing to await even runs synchronously.",
            "Nor when the database is the bottleneck. In the second run ten connections \
             serve sixty users; both versions answer about 495 a second, because the queries \
             queue at the database either way. Async needs about 5 threads. The blocking \
             side holds 60, one per user, only because its pool's minimum is set to 64 so \
             that no request waits for a thread; about 11 threads would keep the ten \
             connections just as busy. Cheaper, not faster.",
            "So the \"5× to 50×\" sometimes quoted is one region of this map, heavy I/O-bound \
             load, not a law.",
        ],
        setups: &[
            Setup {
                label: "CPU-bound: sync against async",
                a: "cpu-sync",
                a_title: "Compute()",
                b: Some(("cpu-async", "async Compute")),
            },
            Setup {
                label: "Database at capacity: blocking against async",
                a: "db-blocking",
                a_title: "ToList()",
                b: Some(("db-async", "ToListAsync()")),
            },
        ],
        watch: &[
            Cue {
                text: "Answered, B ÷ A, stays near 1 in both runs.",
                target: Target::Figures,
            },
            Cue {
                text: "CPU-bound run: every core busy on both sides.",
                target: Target::Cores,
            },
            Cue {
                text: "Sweep concurrency to see where the lines part.",
                target: Target::Sweep,
            },
        ],
        figures: &[
            Measure::CompletedRatioBA,
            Measure::Threads,
            Measure::ThreadsB,
        ],
        question: Some(Question {
            prompt: "5 ms of pure computation per request, four cores. How many times more \
                     will the async version answer in 10 s?",
            measure: Measure::CompletedRatioBA,
            at_ms: 10_000,
            choices: &[
                Choice {
                    label: "Fewer: under 0.8 times",
                    lo: 0.0,
                    hi: 0.8,
                },
                Choice {
                    label: "About the same",
                    lo: 0.8,
                    hi: 1.25,
                },
                Choice {
                    label: "1.25 to 5 times",
                    lo: 1.25,
                    hi: 5.0,
                },
                Choice {
                    label: "More than 5 times",
                    lo: 5.0,
                    hi: 1.0e9,
                },
            ],
            explain: "Four cores do at most 4 ÷ 5 ms = 800 requests a second whatever the \
                      style. Nothing waits, so there is no thread for `await` to free.",
        }),
        sources: &[S_LITTLE, S_GUIDANCE, S_TOUB],
    },
    Chapter {
        slug: "anti-patterns",
        title: "Anti-patterns",
        claim: "Blocking on a Task starves an ASP.NET Core pool and deadlocks under a \
                synchronization context; wrapping blocking I/O in Task.Run only moves the wait.",
        prose: &[
            "`.Result`, `.Wait()` and `GetAwaiter().GetResult()` block a thread on a task. In \
             ASP.NET Core the request's thread blocks while the awaited method's continuation \
             needs a second pool thread to finish: two threads for one request. Under load \
             that is [[starvation]]; [[cooperative-blocking]] adds threads quickly, but each \
             takes a new request first. The first run is Microsoft's tutorial: 125 users, a \
             500 ms call.",
            "Under a [[synchronization-context]] (classic ASP.NET, WPF, WinForms) it is a \
             deadlock: the continuation must run on the context the blocked thread holds, so \
             neither moves. ASP.NET Core has no such context, so there it starves instead. \
             `ConfigureAwait(false)` in libraries avoids capturing the context; not blocking \
             is the fix.",
            "`await Task.Run(() => db.Users.ToList())` frees the request's thread by blocking \
             another pool thread on the same query, plus an extra work item. In a web app it \
             gains nothing; call `ToListAsync()`.",
            "Async has to go all the way down. An async call with a `.Result` above it is \
             partial async, and the last run shows it doing worse than plain synchronous \
             code. Finally, await only I/O-bound work; [[cpu-bound]] work just runs.",
        ],
        setups: &[
            Setup {
                label: ".Result in ASP.NET Core: starvation",
                a: "result",
                a_title: ".Result",
                b: Some(("await", "await")),
            },
            Setup {
                label: ".Result under a synchronization context: deadlock",
                a: "sync-context",
                a_title: "classic ASP.NET",
                b: Some(("no-context", "ASP.NET Core")),
            },
            Setup {
                label: "Task.Run around blocking I/O",
                a: "task-run",
                a_title: "Task.Run(() => ToList())",
                b: Some(("plain-async", "ToListAsync()")),
            },
            Setup {
                label: "Partial async against all sync",
                a: "partial",
                a_title: "ToListAsync().Result",
                b: Some(("all-sync", "ToList()")),
            },
        ],
        watch: &[
            Cue {
                text: "`.Result`: lanes blocked, though the pool keeps growing.",
                target: Target::BlockedLanes,
            },
            Cue {
                text: "The continuations that would free them wait in the queue.",
                target: Target::Continuations,
            },
            Cue {
                text: "Synchronization context: the deadlocked count only rises.",
                target: Target::Figures,
            },
        ],
        figures: &[
            Measure::CompletedRatioBA,
            Measure::Threads,
            Measure::ThreadsB,
            Measure::Deadlocked,
        ],
        question: Some(Question {
            prompt: "The tutorial endpoint, 125 users: `.Result` against `await`. In this \
                     model's run, how many times more will `await` answer in 10 s?",
            measure: Measure::CompletedRatioBA,
            at_ms: 10_000,
            choices: &[
                Choice {
                    label: "About the same",
                    lo: 0.0,
                    hi: 1.25,
                },
                Choice {
                    label: "About twice: two threads a request",
                    lo: 1.25,
                    hi: 3.0,
                },
                Choice {
                    label: "3 to 10 times",
                    lo: 3.0,
                    hi: 10.0,
                },
                Choice {
                    label: "More than 10 times",
                    lo: 10.0,
                    hi: 1.0e9,
                },
            ],
            explain: "`await` answers about 2,200 on one thread. `.Result` answers about 140 \
                      on some 90 threads: each new thread takes a queued request before the \
                      continuations behind it. The real tutorial measured 228 against 33 a \
                      second, 6.9 times: the model has one queue, while a real pool lets some \
                      continuations through ahead of new requests (the first timer of each \
                      firing, local queues), so on a real server \"3 to 10 times\" is right.",
        }),
        sources: &[S_TUTORIAL, S_CLEARY, S_GUIDANCE, S_TOUB],
    },
    Chapter {
        slug: "sandbox",
        title: "Sandbox",
        claim: "Every knob of the simulation, open for your own experiments.",
        prose: &[
            "Everything is open: cores, pool limits, the injection switches, the load, the \
             style and the steps. The seed stays put, so any difference you see is yours.",
            "Why use async in a web API? Because most of a request's time is waiting, and \
             blocking code pays for every wait with a whole thread, which the pool adds \
             slowly.",
            "Where does the gain come from, if the query is no faster? From holding many \
             waits with few threads: more requests in flight on the same machine, less \
             memory, no starvation. Not from speed, and not from more threads.",
            "What does a thread do while a request waits for I/O? With blocking code, \
             nothing: it sits blocked, keeping its stack and using no CPU. With `await` it \
             leaves, and the request lives on as a task and a state machine.",
            "Try: `sleep_poll` to blind the pool; a burst of open load; fewer database \
             connections; the sweep at 2 cores and at 32.",
        ],
        setups: &[],
        watch: &[
            Cue {
                text: "The time series: threads, queue, throughput, latency.",
                target: Target::Charts,
            },
            Cue {
                text: "The sweep: every style against rising concurrency.",
                target: Target::Sweep,
            },
        ],
        figures: &[],
        question: None,
        sources: &[S_TUTORIAL, S_GUIDANCE, S_LITTLE],
    },
];

/// The three questions the page sets out to answer, in our own words.
pub const OPENING_QUESTIONS: &[&str] = &[
    "Why do web APIs use async at all?",
    "If a database query is no faster with await, where does the gain come from?",
    "What exactly does a thread do while a request waits for I/O?",
];

/// Chapter 10's exercise.
pub const WORKLOADS: &[Workload] = &[
    Workload {
        what: "Reads a user's row from SQL Server",
        bound: Bound::Io,
        why: "The time is the database's and the network's: await `FindAsync` and the \
              thread is free meanwhile.",
    },
    Workload {
        what: "Calls another service over HTTP",
        bound: Bound::Io,
        why: "The thread would only wait for the reply: await `HttpClient`'s async methods.",
    },
    Workload {
        what: "Reads a file from disk",
        bound: Bound::Io,
        why: "The device does the work: await `File.ReadAllTextAsync`. (On Linux, .NET runs an \
              async file read as a synchronous read on a pool thread, not your request's; on \
              Windows the OS does it with no thread.)",
    },
    Workload {
        what: "Hashes a password with PBKDF2",
        bound: Bound::Cpu,
        why: "Deliberately slow arithmetic with nothing to wait for: call it directly; \
              `Task.Run` would only move it to another pool thread.",
    },
    Workload {
        what: "Resizes an uploaded image",
        bound: Bound::Cpu,
        why: "Pixels are computed on a core, so await frees nothing; if it takes seconds, \
              hand it to a background queue.",
    },
    Workload {
        what: "Serialises a small object to JSON",
        bound: Bound::Cpu,
        why: "Microseconds of CPU: call it synchronously (writing the response is I/O the \
              framework already does asynchronously).",
    },
    Workload {
        what: "Waits a second before a retry",
        bound: Bound::Io,
        why: "A wait, not a computation: `await Task.Delay(1000)` frees the thread, while \
              `Thread.Sleep(1000)` blocks it where the pool cannot see.",
    },
    Workload {
        what: "Looks a value up in an in-process MemoryCache",
        bound: Bound::Cpu,
        why: "It is already in memory: nothing to await (a Redis cache, over the network, \
              would be I/O).",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::GLOSSARY;
    use crate::lessons::LESSON_PRESETS;
    use sim::{Sim, SimTime};

    /// Every text the page sets with glossary links and code.
    fn rich_texts() -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        for c in CHAPTERS {
            out.extend(c.prose.iter().map(|p| (c.slug, *p)));
            out.extend(c.watch.iter().map(|w| (c.slug, w.text)));
            if let Some(q) = &c.question {
                out.push((c.slug, q.explain));
            }
        }
        out
    }

    /// The characters of every text this file adds to the page.
    fn text_chars() -> usize {
        let n = |s: &str| s.chars().count();
        let mut total = 0;
        for c in CHAPTERS {
            total += c.prose.iter().map(|p| n(p)).sum::<usize>();
            total += c.watch.iter().map(|w| n(w.text)).sum::<usize>();
            total += c
                .setups
                .iter()
                .map(|s| n(s.label) + n(s.a_title))
                .sum::<usize>();
            total += c
                .setups
                .iter()
                .filter_map(|s| s.b)
                .map(|b| n(b.1))
                .sum::<usize>();
            if let Some(q) = &c.question {
                total += n(q.prompt) + n(q.explain);
                total += q.choices.iter().map(|ch| n(ch.label)).sum::<usize>();
            }
            total += c
                .sources
                .iter()
                .map(|s| n(s.label) + s.url.map_or(0, n))
                .sum::<usize>();
        }
        total
            + WORKLOADS
                .iter()
                .map(|w| n(w.what) + n(w.why))
                .sum::<usize>()
    }

    #[test]
    fn links_resolve_to_glossary_terms_and_code_spans_close() {
        for (slug, text) in rich_texts() {
            assert_eq!(
                text.matches('`').count() % 2,
                0,
                "{slug}: odd backticks in {text:?}"
            );
            assert!(!text.contains("  "), "{slug}: double space in {text:?}");
            let mut rest = text;
            while let Some(start) = rest.find("[[") {
                let end = rest[start..]
                    .find("]]")
                    .unwrap_or_else(|| panic!("{slug}: unclosed link in {text:?}"));
                let inner = &rest[start + 2..start + end];
                let term = inner.split('|').next().unwrap();
                assert!(
                    GLOSSARY.iter().any(|t| t.slug == term),
                    "{slug}: no glossary term {term:?}"
                );
                rest = &rest[start + end + 2..];
            }
            assert!(!rest.contains("]]"), "{slug}: stray ]] in {text:?}");
        }
    }

    #[test]
    fn chapters_have_their_parts() {
        for (i, c) in CHAPTERS.iter().enumerate() {
            let sandbox = i == CHAPTERS.len() - 1;
            assert!((3..=6).contains(&c.prose.len()), "{}: paragraphs", c.slug);
            assert!((2..=4).contains(&c.watch.len()), "{}: cues", c.slug);
            assert!((1..=4).contains(&c.sources.len()), "{}: sources", c.slug);
            assert_eq!(c.question.is_none(), sandbox, "{}: question", c.slug);
            assert_eq!(c.setups.is_empty(), sandbox, "{}: setups", c.slug);
            for s in c.sources {
                assert!(
                    s.url.is_none_or(|u| u.starts_with("https://")),
                    "{}",
                    s.label
                );
            }
        }
        assert!((6..=8).contains(&WORKLOADS.len()));
        assert!(WORKLOADS.iter().any(|w| w.bound == Bound::Io));
        assert!(WORKLOADS.iter().any(|w| w.bound == Bound::Cpu));
    }

    fn preset(chapter: &str, name: &str) -> sim::Scenario {
        let lesson = LESSON_PRESETS
            .iter()
            .find(|l| l.chapter == chapter)
            .unwrap_or_else(|| panic!("no presets for {chapter}"));
        let text = lesson
            .scenarios
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{chapter} has no preset {name}"))
            .1;
        sim::parse_scenario(text).unwrap_or_else(|e| panic!("{chapter}/{name}: {e:?}"))
    }

    #[test]
    fn every_setup_names_a_preset_of_its_chapter_and_every_preset_is_used() {
        for c in CHAPTERS {
            for s in c.setups {
                preset(c.slug, s.a);
                if let Some((b, _)) = s.b {
                    preset(c.slug, b);
                }
            }
        }
        for lesson in LESSON_PRESETS {
            let c = CHAPTERS.iter().find(|c| c.slug == lesson.chapter).unwrap();
            for (name, _) in lesson.scenarios {
                let used = c
                    .setups
                    .iter()
                    .any(|s| s.a == *name || s.b.is_some_and(|b| b.0 == *name));
                assert!(used, "{}/{name} is in no setup", c.slug);
            }
        }
    }

    /// Runs a preset to `at_ms` as the page does for a question.
    fn run_to(chapter: &str, name: &str, at_ms: u64) -> Sim {
        let mut sim = Sim::new(preset(chapter, name)).unwrap();
        sim.run_until(SimTime(at_ms * 1_000));
        sim
    }

    #[test]
    fn each_question_has_exactly_the_answer_the_simulation_gives() {
        // The choice each chapter's run must land in: a model change that moves an answer
        // to another choice fails here, and the chapter's explanation needs a look.
        let expected = [0, 3, 2, 0, 2, 1, 1, 3, 1, 3];
        for (c, want) in CHAPTERS.iter().zip(expected) {
            let q = c.question.unwrap();
            let mut ranges: Vec<_> = q.choices.iter().map(|ch| (ch.lo, ch.hi)).collect();
            assert!((3..=4).contains(&ranges.len()), "{}", c.slug);
            ranges.sort_by(|x, y| x.0.total_cmp(&y.0));
            for pair in ranges.windows(2) {
                assert!(
                    pair[0].0 < pair[0].1 && pair[0].1 <= pair[1].0,
                    "{}: overlap",
                    c.slug
                );
            }
            let setup = c.setups[0];
            let a = run_to(c.slug, setup.a, q.at_ms);
            let b = setup.b.map(|(b, _)| run_to(c.slug, b, q.at_ms).snapshot());
            let value = q
                .measure
                .read(&a.snapshot(), a.samples().last(), b.as_ref())
                .unwrap_or_else(|| panic!("{}: no value", c.slug));
            let hits = q
                .choices
                .iter()
                .filter(|ch| ch.lo <= value && value < ch.hi)
                .count();
            assert_eq!(hits, 1, "{}: {value} in {hits} choices", c.slug);
            eprintln!(
                "{}: {} at {} ms = {value}",
                c.slug,
                q.measure.label(),
                q.at_ms
            );
            assert_eq!(q.answer(value), Some(want), "{}: {value}", c.slug);
        }
    }

    #[test]
    fn the_words_fit_the_page_budget() {
        let chars = text_chars();
        eprintln!("{chars} characters of chapter text");
        assert!(chars < 30_000, "{chars} characters");
    }

    #[test]
    fn cues_carry_no_glossary_links_because_each_cue_is_a_button() {
        for chapter in CHAPTERS {
            for cue in chapter.watch {
                assert!(!cue.text.contains("[["), "{}: {}", chapter.slug, cue.text);
            }
        }
    }
}
