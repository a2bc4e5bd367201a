//! The scenario's fields, one entry each: [`SCENARIO`] for the scenario's own fields (by
//! path, `load.users`), and [`BURST`], [`STEP`] and [`RESOURCE`] for the fields of a list's
//! items (by key, `io_ms`). Each entry says its kind (whole number or number with its range,
//! true/false, one of some names, a resource's name, a list), whether it may be absent, its
//! unit, its label on the page, when it applies, its documentation, and how to read and
//! write it on the scenario (`get`, `set`). The default is what `get` reads from the
//! record's `Default`. A list's kind names its [`List`], whose methods are the one place
//! that reaches that list's items, so the parser, the checks and the writer need no code
//! of their own for each list.
//!
//! Everything that needs the scenario's fields reads them here: the parser and
//! `Scenario::validate` (`validate.rs`), the one JSON writer (`write.rs`), the tables of
//! `SCENARIO.md` ([`markdown_tables`], checked by a test), and the page's scenario editor.
//! Adding a field is one entry here plus its behaviour in the engine. Checks that relate
//! fields (the minimum against the maximum, what a step may combine) stay as code in
//! `validate.rs`.

use crate::decimal::shortest;
use crate::scenario::{
    Burst, CompletesVia, Dist, LoadKind, Resource, Runtime, Scenario, Step, Style, Wait,
    SCENARIO_VERSION,
};

/// Most steps an endpoint program may have.
pub const STEPS_MAX: usize = 64;
/// Most bursts an open load may have.
pub const BURSTS_MAX: usize = 64;
/// Most named resources.
pub const RESOURCES_MAX: usize = 64;
/// Longest resource name, in characters.
pub const RESOURCE_NAME_MAX: usize = 64;
/// The .NET maximum worker count on 64-bit (dotnet/runtime: `MaxPossibleThreadCount`).
pub const MAX_THREADS_LIMIT: u32 = 32_767;

/// What a field holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A whole number from `min` to `max`, both included.
    Int {
        /// The least allowed.
        min: u64,
        /// The most allowed.
        max: u64,
    },
    /// A finite number from `min` to `max`, both included.
    Float {
        /// The least allowed.
        min: f64,
        /// The most allowed.
        max: f64,
    },
    /// `true` or `false`.
    Bool,
    /// One of these names.
    Name(&'static [&'static str]),
    /// The name of a resource (a string; whether it names one is checked across fields).
    ResourceName,
    /// A list of records (bursts, steps), from `min` to `max` items.
    List {
        /// Fewest items.
        min: usize,
        /// Most items.
        max: usize,
        /// What the items are called in messages (`steps`).
        noun: &'static str,
        /// Which list of the scenario it is, so the parser, the checks and the writer
        /// reach its items without matching on its path.
        of: List,
    },
    /// An object of named records (resources), at most `max`.
    Map {
        /// Most entries.
        max: usize,
        /// What the entries are called in messages (`resources`).
        noun: &'static str,
        /// Which list of the scenario it is (see `Kind::List`).
        of: List,
    },
}

impl Kind {
    /// The scenario's list a list or map field holds; `None` for a single value.
    pub fn list(self) -> Option<List> {
        match self {
            Kind::List { of, .. } | Kind::Map { of, .. } => Some(of),
            _ => None,
        }
    }
}

/// When a field matters; the page hides it otherwise (it stays in the scenario).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Always.
    Always,
    /// With a closed load (`load.kind = "closed"`).
    ClosedLoad,
    /// With an open load.
    OpenLoad,
    /// With `endpoint.style = "sync_over_async"`.
    SyncOverAsync,
    /// With `sync_over_async` and `endpoint.wait = "sleep_poll"`.
    SleepPoll,
    /// On a CPU step (`cpu_ms`).
    CpuStep,
    /// On an I/O step (`io_ms`).
    IoStep,
    /// On an I/O step with `dist = "lognormal"`.
    Lognormal,
}

/// A field's value, as `get` reads it and `set` takes it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val<'a> {
    /// An optional field that is absent (or a list, whose items are not a value).
    Absent,
    /// A whole number.
    Int(u64),
    /// A number.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// One of the field's names.
    Name(&'static str),
    /// A string.
    Text(&'a str),
}

impl Val<'_> {
    fn int(self) -> u64 {
        match self {
            Val::Int(n) => n,
            _ => 0,
        }
    }

    fn float(self) -> f64 {
        match self {
            Val::Float(x) => x,
            Val::Int(n) => n as f64,
            _ => 0.0,
        }
    }

    fn flag(self) -> bool {
        self == Val::Bool(true)
    }

    fn name(self) -> &'static str {
        match self {
            Val::Name(name) => name,
            _ => "",
        }
    }
}

/// One field of a record `T` (the scenario, a burst, a step, a resource).
pub struct Field<T: 'static> {
    /// Its path in the scenario (`load.users`), or its key in a list's item (`io_ms`).
    pub path: &'static str,
    /// What it holds and what is allowed.
    pub kind: Kind,
    /// Whether it may be absent (`get` then reads [`Val::Absent`]).
    pub optional: bool,
    /// Its unit, for the page (`ms`); empty for none.
    pub unit: &'static str,
    /// Its name on the page, a few words.
    pub label: &'static str,
    /// What its absence means, for an optional field or a list (`no limit`).
    pub absent: &'static str,
    /// When it matters.
    pub when: When,
    /// What is allowed beyond the range, for `SCENARIO.md` (`≤ max_threads`).
    pub rule: &'static str,
    /// What it means, for `SCENARIO.md`. Empty in wasm builds, which do not write the
    /// documentation (it would cost the page's bundle several kilobytes).
    pub doc: &'static str,
    /// Reads it.
    pub get: for<'a> fn(&'a T) -> Val<'a>,
    /// Writes it; `set` is given only values `kind` allows.
    pub set: fn(&mut T, Val<'_>),
}

impl<T> Field<T> {
    /// The key within its group: `users` for `load.users`.
    pub fn key(&self) -> &'static str {
        split(self.path).1
    }

    /// Whether `value` is the kind's and in its range (lists and absences pass).
    pub fn allows(&self, value: Val<'_>) -> bool {
        match (self.kind, value) {
            (Kind::Int { min, max }, Val::Int(n)) => n >= min && n <= max,
            (Kind::Float { min, max }, Val::Float(x)) => x.is_finite() && x >= min && x <= max,
            (Kind::Name(names), Val::Name(name)) => names.contains(&name),
            _ => true,
        }
    }
}

/// Splits a path at its first dot: (`load`, `users`); the group is empty at the top level.
pub fn split(path: &str) -> (&str, &str) {
    path.split_once('.').unwrap_or(("", path))
}

/// The field at this path of the scenario.
pub fn field(path: &str) -> Option<&'static Field<Scenario>> {
    SCENARIO.iter().find(|f| f.path == path)
}

/// Documentation text: kept natively, where `SCENARIO.md` is generated, and left out of
/// wasm builds.
#[cfg(not(target_arch = "wasm32"))]
macro_rules! prose {
    ($text:expr) => {
        $text
    };
}
#[cfg(target_arch = "wasm32")]
macro_rules! prose {
    ($text:expr) => {
        ""
    };
}

/// A field's kind and accessors, with no words yet: `acc!(Record, int a.b in 1, 10)`,
/// `opt_int`, `float`, `opt_float` (with their ranges), `flag a.b`, `name Enum a.b`,
/// `list Kind::List { .. }`.
macro_rules! acc {
    ($t:ty, base $get:expr, $set:expr, $kind:expr, $optional:expr) => {
        Field::<$t> {
            path: "",
            kind: $kind,
            optional: $optional,
            unit: "",
            label: "",
            absent: "",
            when: When::Always,
            rule: "",
            doc: "",
            get: $get,
            set: $set,
        }
    };
    ($t:ty, int $($p:ident).+ in $min:expr, $max:expr) => {
        acc!($t, base |s: &$t| Val::Int(s.$($p).+ as u64), |s: &mut $t, v| s.$($p).+ = v.int() as _,
            Kind::Int { min: $min, max: $max }, false)
    };
    ($t:ty, opt_int $($p:ident).+ in $min:expr, $max:expr) => {
        acc!($t, base |s: &$t| s.$($p).+.map_or(Val::Absent, |n| Val::Int(n as u64)),
            |s: &mut $t, v| s.$($p).+ = match v { Val::Int(n) => Some(n as _), _ => None },
            Kind::Int { min: $min, max: $max }, true)
    };
    ($t:ty, float $($p:ident).+ in $min:expr, $max:expr) => {
        acc!($t, base |s: &$t| Val::Float(s.$($p).+), |s: &mut $t, v| s.$($p).+ = v.float(),
            Kind::Float { min: $min, max: $max }, false)
    };
    ($t:ty, opt_float $($p:ident).+ in $min:expr, $max:expr) => {
        acc!($t, base |s: &$t| s.$($p).+.map_or(Val::Absent, Val::Float),
            |s: &mut $t, v| s.$($p).+ = match v { Val::Absent => None, v => Some(v.float()) },
            Kind::Float { min: $min, max: $max }, true)
    };
    ($t:ty, flag $($p:ident).+) => {
        acc!($t, base |s: &$t| Val::Bool(s.$($p).+), |s: &mut $t, v| s.$($p).+ = v.flag(), Kind::Bool, false)
    };
    ($t:ty, name $e:ident $($p:ident).+) => {
        acc!($t, base |s: &$t| Val::Name(s.$($p).+.name()),
            |s: &mut $t, v| if let Some(x) = $e::from_name(v.name()) { s.$($p).+ = x },
            Kind::Name($e::NAMES), false)
    };
    ($t:ty, list $kind:expr) => {
        acc!($t, base |_: &$t| Val::Absent, |_: &mut $t, _| {}, $kind, false)
    };
}

/// The scenario's fields, in the order the writer writes them and `SCENARIO.md` lists
/// them; a group's fields (`machine.…`) stay together.
pub static SCENARIO: &[Field<Scenario>] = &[
    Field {
        path: "version",
        label: "Version",
        absent: "— (required)",
        doc: prose!("Format version."),
        ..acc!(Scenario, int version in SCENARIO_VERSION, SCENARIO_VERSION)
    },
    Field {
        path: "seed",
        label: "Seed",
        doc: prose!("Seed of every random draw. Same scenario + same seed = same run, bit for bit, natively and in the browser."),
        ..acc!(Scenario, int seed in 0, u64::MAX)
    },
    Field {
        path: "duration_ms",
        unit: "ms",
        label: "Duration",
        doc: prose!("Simulated length of the run."),
        ..acc!(Scenario, int duration_ms in 1, 86_400_000)
    },
    Field {
        path: "sample_window_ms",
        unit: "ms",
        label: "Sample window",
        doc: prose!("Length of one reporting window (one sample)."),
        ..acc!(Scenario, int sample_window_ms in 1, 3_600_000)
    },
    Field {
        path: "machine.cores",
        label: "Cores",
        doc: prose!("CPU cores (`P`)."),
        ..acc!(Scenario, int machine.cores in 1, 1_024)
    },
    Field {
        path: "machine.context_switch_us",
        unit: "µs",
        label: "Context switch cost",
        doc: prose!("CPU time one context switch costs; counted as *switching*, not useful work. (Measured direct cost on Linux: about 2.65 µs with a pipe ping-pong; the indirect cost through the caches is larger: Li, Ding & Shen, \"Quantifying the Cost of Context Switch\", ExpCS 2007.)"),
        ..acc!(Scenario, int machine.context_switch_us in 0, 100_000)
    },
    Field {
        path: "machine.time_slice_ms",
        unit: "ms",
        label: "Time slice",
        doc: prose!("The OS scheduler's round-robin time slice."),
        ..acc!(Scenario, int machine.time_slice_ms in 1, 1_000)
    },
    Field {
        path: "machine.stack_reserve_kb",
        unit: "KiB",
        label: "Stack reserved per thread",
        doc: prose!("Address space each thread's stack reserves (1 MB on Windows by default)."),
        ..acc!(Scenario, int machine.stack_reserve_kb in 4, 16_777_216)
    },
    Field {
        path: "machine.stack_commit_kb",
        unit: "KiB",
        label: "Stack committed per thread",
        rule: "≤ `stack_reserve_kb`",
        doc: prose!("Memory each thread's stack actually commits (.NET plans with 64 KB)."),
        ..acc!(Scenario, int machine.stack_commit_kb in 4, 16_777_216)
    },
    Field {
        path: "pool.min_threads",
        label: "Minimum threads",
        absent: "= machine.cores",
        rule: "≤ `max_threads`",
        doc: prose!("Minimum worker threads; below it threads are created on demand without delay."),
        ..acc!(Scenario, opt_int pool.min_threads in 1, MAX_THREADS_LIMIT as u64)
    },
    Field {
        path: "pool.max_threads",
        label: "Maximum threads",
        doc: prose!("Maximum worker threads (.NET's own maximum is 32,767). Must be ≥ the effective `min_threads`."),
        ..acc!(Scenario, int pool.max_threads in 1, MAX_THREADS_LIMIT as u64)
    },
    Field {
        path: "pool.starvation_injection",
        label: "Starvation injection (a thread every ~500 ms)",
        doc: prose!("The gate: every 500 ms, if work is queued, no cooperative-blocking adjustment is pending, no thread finished or picked up a work item for more than 500 ms (goal × 1 s when CPU ≥ 80 %; strictly more), and at least as many threads are at work as the goal (and fewer than `max_threads`), the goal becomes the threads at work + 1 (.NET 6–8's `GateThread`)."),
        ..acc!(Scenario, flag pool.starvation_injection)
    },
    Field {
        path: "pool.cooperative_blocking",
        label: "Cooperative-blocking injection (.NET 6+)",
        doc: prose!(".NET 6+: threads blocked in `.Result`/`.Wait()` raise the goal (the first `cores` extra threads at once, then min(25 ms × (1 + (goal − (min + P)) / P), 250 ms) apart). `false` shows pre-.NET 6 behaviour."),
        ..acc!(Scenario, flag pool.cooperative_blocking)
    },
    Field {
        path: "pool.hill_climbing",
        label: "Hill climbing (keep an extra thread only if it pays off)",
        doc: prose!(".NET's hill-climbing controller (dotnet/runtime `PortableThreadPool.HillClimbing.cs`): after a work item completes and the sample interval it asked for (10–200 ms, random from the seed) has passed, it takes a sample of completions per second; a sample with no more than (goal − 1) ÷ 0.15 completions is banked and retried 10 ms later. The goal moves in a square wave (at least ±1 thread, always), Goertzel analysis over up to 32 samples reads the throughput's response to the wave, and the control setting moves by ratio² × 4 threads/s × the sample's length, damped by confidence; never up while the CPU is above 95 %; never while a cooperative-blocking adjustment is pending. Always between `min_threads` and `max_threads`; the threads it adds and takes off are counted in `injections.hill_climbing` / `hill_climbing_lowered` (the wave included). `false` leaves the goal to the gate and cooperative blocking."),
        ..acc!(Scenario, flag pool.hill_climbing)
    },
    Field {
        path: "pool.synchronization_context",
        label: "Synchronization context (classic ASP.NET)",
        doc: prose!("Classic ASP.NET / UI: a `.Result` whose continuation must resume on the blocked thread never completes (deadlock). `false` is ASP.NET Core."),
        ..acc!(Scenario, flag pool.synchronization_context)
    },
    Field {
        path: "pool.idle_timeout_ms",
        unit: "ms",
        label: "Idle thread exits after",
        doc: prose!("An idle worker exits after this long (never below `min_threads`)."),
        ..acc!(Scenario, int pool.idle_timeout_ms in 1, 86_400_000)
    },
    Field {
        path: "pool.runtime",
        label: "Runtime",
        doc: prose!("Which runtime's pool: where a timer queue's firing waits. `net6`: .NET 6's time-sensitive queue, after the global queue, except at every other Dispatch entry and once a thread's 30 ms dispatch quantum has run out; `net8` (.NET 7–9) and `net10`: the high-priority queue, before the global one. `net10` also moves the local items of a thread that blocks in `.Result` to that queue (dotnet/runtime PR #112796); before .NET 10 they wait in the blocked thread's local queue until the global queue is empty and another thread steals them."),
        ..acc!(Scenario, name Runtime pool.runtime)
    },
    Field {
        path: "pool.gate_jitter_ms",
        unit: "ms",
        label: "Gate timer lateness (up to)",
        doc: prose!("How late the gate's 500 ms timer may wake: each tick is late by a whole number of µs drawn from 0 to this (its own stream of the seed). With 0 (exact ticks) a freshly injected thread resets the gate's clock before the next tick, so starvation injection adds about 1 thread/s; with a lateness above the time a new thread takes to start (none in the model), consecutive ticks can inject: up to 2/s, as Microsoft's tutorial says (\"1–2 per second\"). Windows timers are late by up to about 15.6 ms."),
        ..acc!(Scenario, int pool.gate_jitter_ms in 0, 100)
    },
    Field {
        path: "pool.work_item_us",
        unit: "µs",
        label: "Cost to start a work item",
        doc: prose!("CPU cost of dequeuing and starting one work item."),
        ..acc!(Scenario, int pool.work_item_us in 0, 1_000_000)
    },
    Field {
        path: "pool.queue_limit",
        unit: "requests",
        label: "Queue limit",
        absent: "no limit",
        doc: prose!("When a new request would have to wait in the pool queue and this many new requests already wait there, it is rejected with 503."),
        ..acc!(Scenario, opt_int pool.queue_limit in 0, 10_000_000)
    },
    Field {
        path: "load.kind",
        label: "Load",
        doc: prose!("Closed: a fixed number of users, each with one request outstanding. Open: Poisson arrivals regardless of how the server copes."),
        ..acc!(Scenario, name LoadKind load.kind)
    },
    Field {
        path: "load.users",
        label: "Users",
        when: When::ClosedLoad,
        doc: prose!("Closed: concurrent users."),
        ..acc!(Scenario, int load.users in 1, 100_000)
    },
    Field {
        path: "load.think_ms",
        unit: "ms",
        label: "Think time",
        when: When::ClosedLoad,
        doc: prose!("Closed: mean time between an answer (or a timeout) and the user's next request."),
        ..acc!(Scenario, float load.think_ms in 0.0, 3_600_000.0)
    },
    Field {
        path: "load.think_dist",
        label: "Think time distribution",
        when: When::ClosedLoad,
        doc: prose!("Closed: distribution of the think time (log-normal uses σ = 0.5)."),
        ..acc!(Scenario, name Dist load.think_dist)
    },
    Field {
        path: "load.ramp_ms",
        unit: "ms",
        label: "Ramp-up",
        when: When::ClosedLoad,
        doc: prose!("Closed: users send their first request evenly spread over this time, as a load tool opening its connections does. 0: all at once."),
        ..acc!(Scenario, int load.ramp_ms in 0, 3_600_000)
    },
    Field {
        path: "load.retry_ms",
        unit: "ms",
        label: "Retry after a 503",
        when: When::ClosedLoad,
        doc: prose!("Closed: how long a user waits after a 503 before trying again."),
        ..acc!(Scenario, int load.retry_ms in 1, 3_600_000)
    },
    Field {
        path: "load.timeout_ms",
        unit: "ms",
        label: "Client timeout",
        doc: prose!("The client gives up after this long: the request counts as failed and a closed-loop user goes on (after its think time). The server is not told and finishes the request anyway (a *late response*)."),
        ..acc!(Scenario, int load.timeout_ms in 1, 86_400_000)
    },
    Field {
        path: "load.attempt_timeout_ms",
        unit: "ms",
        label: "Deadline per attempt",
        absent: "none",
        when: When::ClosedLoad,
        doc: prose!("Closed load: a load tool's read deadline per attempt (bombardier's `-t`). When set it replaces `timeout_ms` for each attempt: an attempt not answered in time is abandoned (the server still finishes it: a late response) and the user sends the request again at once on a new connection, until `attempts` attempts have failed; then the request counts as failed and the user thinks and sends a new one. Abandoned attempts are counted in `attempts_abandoned`."),
        ..acc!(Scenario, opt_int load.attempt_timeout_ms in 1, 86_400_000)
    },
    Field {
        path: "load.attempts",
        label: "Attempts per request",
        when: When::ClosedLoad,
        doc: prose!("Closed load: attempts per request, the first included (1 = no retry)."),
        ..acc!(Scenario, int load.attempts in 1, 10)
    },
    Field {
        path: "load.rate_per_s",
        unit: "per s",
        label: "Arrival rate",
        when: When::OpenLoad,
        doc: prose!("Open: mean arrival rate, requests per second."),
        ..acc!(Scenario, float load.rate_per_s in 0.001, 1_000_000.0)
    },
    Field {
        path: "load.bursts",
        label: "Bursts",
        absent: "`[]`",
        when: When::OpenLoad,
        doc: prose!("Open: periods with a different rate: `{ \"start_ms\", \"duration_ms\", \"rate_per_s\" }`. Where bursts overlap the first listed wins."),
        ..acc!(Scenario, list Kind::List { min: 0, max: BURSTS_MAX, noun: "bursts", of: List::Bursts })
    },
    Field {
        path: "endpoint.style",
        label: "Style",
        doc: prose!("How the code waits for I/O."),
        ..acc!(Scenario, name Style endpoint.style)
    },
    Field {
        path: "endpoint.wait",
        label: "Wait",
        when: When::SyncOverAsync,
        doc: prose!("`sync_over_async` only: `.Result`/`.Wait()` (visible to the pool), or a `while (!t.IsCompleted) Thread.Sleep(poll_ms)` loop (invisible to the pool)."),
        ..acc!(Scenario, name Wait endpoint.wait)
    },
    Field {
        path: "endpoint.poll_ms",
        unit: "ms",
        label: "Poll interval",
        when: When::SleepPoll,
        doc: prose!("`sleep_poll` only: the sleep between checks. Each check costs 2 µs of CPU."),
        ..acc!(Scenario, int endpoint.poll_ms in 1, 60_000)
    },
    Field {
        path: "endpoint.server_items",
        label: "Server work items per request",
        doc: prose!("Global work items the server queues for each request before the action runs, each waiting its turn in the global queue. 1 is the simplest server; Kestrel queues 2 (dotnet/runtime `SocketAsyncEngine` queues its event-handling item globally, then Kestrel's application `PipeScheduler.ThreadPool` queues the request's processing globally again)."),
        ..acc!(Scenario, int endpoint.server_items in 1, 4)
    },
    Field {
        path: "endpoint.steps",
        label: "Steps",
        absent: "`[cpu 1 ms, io 500 ms, cpu 1 ms]`",
        doc: prose!("The program each request runs, in order."),
        ..acc!(Scenario, list Kind::List { min: 1, max: STEPS_MAX, noun: "steps", of: List::Steps })
    },
    Field {
        path: "resources",
        label: "Resources",
        absent: "`{}`",
        doc: prose!("Named resources with limited capacity."),
        ..acc!(Scenario, list Kind::Map { max: RESOURCES_MAX, noun: "resources", of: List::Resources })
    },
    Field {
        path: "limits.max_in_flight",
        label: "Requests in flight",
        doc: prose!("Requests alive in the server at once; more arrivals are rejected (503) and counted in `limits_hit.in_flight`."),
        ..acc!(Scenario, int limits.max_in_flight in 1, 1_000_000)
    },
    Field {
        path: "limits.trace_events",
        label: "Trace events kept",
        doc: prose!("Trace events kept (the most recent); older ones are dropped and counted. The trace hash covers all of them."),
        ..acc!(Scenario, int limits.trace_events in 0, 1_000_000)
    },
    Field {
        path: "limits.samples",
        label: "Samples kept",
        doc: prose!("Samples kept; later ones are dropped and counted."),
        ..acc!(Scenario, int limits.samples in 0, 1_000_000)
    },
    Field {
        path: "limits.max_events",
        label: "Events before stopping",
        doc: prose!("Events processed before the run stops early (`limits_hit.max_events`)."),
        ..acc!(Scenario, int limits.max_events in 1, 10_000_000_000)
    },
];

/// The fields of a burst of an open load (`load.bursts[i]`).
pub static BURST: &[Field<Burst>] = &[
    Field {
        path: "start_ms",
        unit: "ms",
        label: "Starts at",
        doc: prose!("When the burst starts."),
        ..acc!(Burst, int start_ms in 0, 86_400_000)
    },
    Field {
        path: "duration_ms",
        unit: "ms",
        label: "Lasts",
        doc: prose!("How long it lasts."),
        ..acc!(Burst, int duration_ms in 1, 86_400_000)
    },
    Field {
        path: "rate_per_s",
        unit: "per s",
        label: "Rate",
        doc: prose!("Arrival rate during the burst (0 = silence)."),
        ..acc!(Burst, float rate_per_s in 0.0, 1_000_000.0)
    },
];

/// The fields of a step of the endpoint's program (`endpoint.steps[i]`).
pub static STEP: &[Field<Step>] = &[
    Field {
        path: "cpu_ms",
        unit: "ms",
        label: "CPU work",
        absent: "—",
        when: When::CpuStep,
        doc: prose!("CPU work, in milliseconds of one core."),
        ..acc!(Step, opt_float cpu_ms in 0.0, 600_000.0)
    },
    Field {
        path: "task_run",
        label: "Run it in await Task.Run(…)",
        when: When::CpuStep,
        rule: "CPU steps only",
        doc: prose!("Run this CPU step in `Task.Run(...)`: a separate work item in the local queue of the thread that queues it (the owner takes its newest local item first; other threads steal the oldest, and only when the global queue is empty). With `await` (every style but `sync_over_async`) the thread returns to the pool, usually takes the body back itself, and the await resumes inline after it. Under `sync_over_async` the step is `.Result` on an async method that awaits `Task.Run(...)`: the thread blocks while the body waits in its own local queue (`.Result` cannot run it inline: it waits on the method's task, not the body's)."),
        ..acc!(Step, flag task_run)
    },
    Field {
        path: "io_ms",
        unit: "ms",
        label: "I/O latency",
        absent: "—",
        when: When::IoStep,
        doc: prose!("I/O latency; for random distributions, the mean."),
        ..acc!(Step, opt_float io_ms in 0.0, 3_600_000.0)
    },
    Field {
        path: "dist",
        label: "Distribution",
        when: When::IoStep,
        rule: "I/O steps only",
        doc: prose!("Latency distribution."),
        ..acc!(Step, name Dist dist)
    },
    Field {
        path: "sigma",
        label: "Shape σ",
        absent: "0.5",
        when: When::Lognormal,
        rule: "I/O steps only",
        doc: prose!("`lognormal` only: the shape (standard deviation of the underlying normal); the mean stays `io_ms`."),
        ..acc!(Step, opt_float sigma in 0.0, 4.0)
    },
    Field {
        path: "resource",
        label: "Resource",
        absent: "none",
        when: When::IoStep,
        rule: "a key of `resources`, I/O steps only",
        doc: prose!("The call goes through this resource and waits in its FIFO queue while it is full."),
        ..acc!(Step, base |s: &Step| s.resource.as_deref().map_or(Val::Absent, Val::Text),
            |s: &mut Step, v| s.resource = match v { Val::Text(t) => Some(t.to_owned()), _ => None },
            Kind::ResourceName, true)
    },
    Field {
        path: "complete_sync",
        label: "Share already complete (0–1)",
        when: When::IoStep,
        rule: "I/O steps only",
        doc: prose!("Share of this step's calls whose result is already there when the code asks for it (data buffered or cached). Such a call \"completes synchronously\": nothing goes in flight, the resource is not used, and the thread goes straight on to the next step — `async` queues no continuation and keeps its thread, `.Result` does not wait, a blocking read does not block (in `task_run_wrap` the inner read returns at once, but `Task.Run` still costs its two work items). Each call is decided by a seeded draw of its own; left out of the JSON when 0."),
        ..acc!(Step, float complete_sync in 0.0, 1.0)
    },
    Field {
        path: "completes_via",
        label: "Completes through",
        when: When::IoStep,
        doc: prose!("I/O step: how the completion reaches the pool. `socket` (a database, HTTP): as a work item in the global queue. `timer` (`Task.Delay`): the timer comes due in one of `cores` timer queues; the queue's firing is a work item in the pool's priority queue (see `pool.runtime`); the thread that runs it runs the first due timer's continuation inline and queues the others to the global queue, as the runtime's `TimerQueue.FireNextTimers` does."),
        ..acc!(Step, name CompletesVia completes_via)
    },
];

/// The fields of a named resource (`resources.<name>`).
pub static RESOURCE: &[Field<Resource>] = &[Field {
    path: "capacity",
    label: "Capacity",
    doc: prose!(
        "How many calls may use the resource at once (e.g. a database connection pool of size K)."
    ),
    ..acc!(Resource, int capacity in 1, 1_000_000)
}];

/// What each group of the scenario is, for `SCENARIO.md`'s top-level table.
pub const GROUPS: &[(&str, &str)] = &[
    ("machine", prose!("The computer.")),
    ("pool", prose!("The thread pool.")),
    ("load", prose!("The clients.")),
    ("endpoint", prose!("What each request runs.")),
    ("limits", prose!("Bounds on what the engine keeps.")),
];

// The lists' one reaching of their items, and SCENARIO.md's tables, each in a file of its
// own: this one is the table.
mod doc;
mod list;

pub use doc::{markdown_tables, with_tables};
pub use list::{Key, List, ReadRecords, Records};
