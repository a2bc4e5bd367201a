//! The scenario: everything a run depends on. It is the unit that the URL, the embed
//! snippet, the import/export buttons and the command-line tool share (DESIGN §2.4).
//! Field names are a public contract; `SCENARIO.md` documents each one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::rng::Dist;

/// The only scenario format version this engine reads.
pub const SCENARIO_VERSION: u64 = 1;

/// A complete, self-contained description of one simulation run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Format version; always 1.
    pub version: u64,
    /// Seed of every random draw in the run.
    pub seed: u64,
    /// Simulated length of the run, in milliseconds.
    pub duration_ms: u64,
    /// Length of one reporting window (one `Sample`), in milliseconds.
    pub sample_window_ms: u64,
    /// The simulated computer.
    pub machine: Machine,
    /// The thread pool.
    pub pool: Pool,
    /// The clients.
    pub load: Load,
    /// What each request runs.
    pub endpoint: Endpoint,
    /// Named resources with limited capacity (for example a database connection pool).
    pub resources: BTreeMap<String, Resource>,
    /// Bounds on everything the engine keeps.
    pub limits: Limits,
}

impl Default for Scenario {
    fn default() -> Scenario {
        Scenario {
            version: SCENARIO_VERSION,
            seed: 42,
            duration_ms: 10_000,
            sample_window_ms: 100,
            machine: Machine::default(),
            pool: Pool::default(),
            load: Load::default(),
            endpoint: Endpoint::default(),
            resources: BTreeMap::new(),
            limits: Limits::default(),
        }
    }
}

/// CPU cores, the OS scheduler and the cost of a thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Machine {
    /// Number of CPU cores (`P`).
    pub cores: u32,
    /// CPU time one context switch costs, in microseconds; counted as switching, not useful.
    pub context_switch_us: u64,
    /// The OS scheduler's round-robin time slice, in milliseconds.
    pub time_slice_ms: u64,
    /// Address space each thread's stack reserves, in KiB.
    pub stack_reserve_kb: u64,
    /// Memory each thread's stack actually commits (touches), in KiB.
    pub stack_commit_kb: u64,
}

impl Default for Machine {
    fn default() -> Machine {
        Machine {
            cores: 4,
            context_switch_us: 3,
            time_slice_ms: 15,
            stack_reserve_kb: 1024,
            stack_commit_kb: 64,
        }
    }
}

/// Whether hill climbing is on when a scenario does not say.
pub const HILL_CLIMBING_DEFAULT: bool = true;

/// The thread pool and its injection policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Pool {
    /// Minimum worker threads; absent means "as many as cores", as in .NET.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_threads: Option<u32>,
    /// Maximum worker threads.
    pub max_threads: u32,
    /// Whether the gate's starvation injection (goal += 1 every ~500 ms) is on.
    pub starvation_injection: bool,
    /// Whether .NET 6+ cooperative-blocking injection for `.Result`/`.Wait()` is on.
    pub cooperative_blocking: bool,
    /// Whether hill climbing, .NET's controller (`crate::hill_climbing`), moves the goal.
    pub hill_climbing: bool,
    /// Whether a classic single-threaded synchronization context exists (classic ASP.NET).
    pub synchronization_context: bool,
    /// How long an idle worker waits for work before it exits, in milliseconds.
    pub idle_timeout_ms: u64,
    /// CPU cost of dequeuing and starting one work item, in microseconds.
    pub work_item_us: u64,
    /// Which runtime's pool is modelled where they differ (`net6`, `net8`, `net10`).
    pub runtime: Runtime,
    /// How late the gate thread's 500 ms timer may wake, in milliseconds (each tick draws
    /// a lateness from 0 to this, from the seed). 0 = exact ticks, where starvation
    /// injection adds about one thread a second; real timers wake a few ms late, which
    /// lets it add up to two.
    pub gate_jitter_ms: u64,
    /// Maximum new requests waiting in the pool queue; more are rejected (503). Absent: no limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue_limit: Option<u32>,
}

impl Default for Pool {
    fn default() -> Pool {
        Pool {
            min_threads: None,
            max_threads: 1000,
            starvation_injection: true,
            cooperative_blocking: true,
            hill_climbing: HILL_CLIMBING_DEFAULT,
            synchronization_context: false,
            idle_timeout_ms: 20_000,
            work_item_us: 1,
            gate_jitter_ms: 0,
            runtime: Runtime::Net8,
            queue_limit: None,
        }
    }
}

/// Closed or open load.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadKind {
    /// A fixed number of users, each with one request outstanding at a time.
    #[default]
    Closed,
    /// Poisson arrivals at a rate, independent of how the server copes.
    Open,
}

names!(LoadKind {
    Closed => "closed",
    Open => "open",
});

/// A period of an open load with a different arrival rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Burst {
    /// When the burst starts, in milliseconds from the start of the run.
    pub start_ms: u64,
    /// How long it lasts, in milliseconds.
    pub duration_ms: u64,
    /// The arrival rate during the burst, in requests per second.
    pub rate_per_s: f64,
}

impl Default for Burst {
    fn default() -> Burst {
        Burst {
            start_ms: 0,
            duration_ms: 1_000,
            rate_per_s: 1_000.0,
        }
    }
}

/// The clients sending requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Load {
    /// `closed` or `open`.
    pub kind: LoadKind,
    /// Closed load: number of concurrent users.
    pub users: u32,
    /// Closed load: mean time a user waits between an answer and its next request, in ms.
    pub think_ms: f64,
    /// Closed load: distribution of the think time.
    pub think_dist: Dist,
    /// Closed load: users open their connections evenly spread over this time, in ms.
    pub ramp_ms: u64,
    /// Closed load: how long a user waits before retrying after a 503, in ms.
    pub retry_ms: u64,
    /// Open load: mean arrival rate, in requests per second.
    pub rate_per_s: f64,
    /// Open load: periods with a different arrival rate.
    pub bursts: Vec<Burst>,
    /// The client gives up on a request after this long, in milliseconds.
    pub timeout_ms: u64,
    /// Closed load: how long one attempt may wait for its answer, in milliseconds, as a
    /// load tool's read deadline. When set it replaces `timeout_ms` for each attempt: an
    /// attempt past it is abandoned (the server finishes it anyway) and the request is
    /// sent again on a new connection, up to `attempts` attempts, then counted failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempt_timeout_ms: Option<u64>,
    /// Closed load: attempts per request, the first included (1 = no retry).
    pub attempts: u32,
}

impl Default for Load {
    fn default() -> Load {
        Load {
            kind: LoadKind::Closed,
            users: 125,
            think_ms: 0.0,
            think_dist: Dist::Fixed,
            ramp_ms: 0,
            attempt_timeout_ms: None,
            attempts: 1,
            retry_ms: 100,
            rate_per_s: 100.0,
            bursts: Vec::new(),
            timeout_ms: 30_000,
        }
    }
}

/// How the endpoint's code waits for I/O (DESIGN §2.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// `db.Users.ToList()`: the thread is blocked for the whole I/O.
    Blocking,
    /// `await db.Users.ToListAsync()`: no thread during I/O.
    #[default]
    Async,
    /// `GetStringAsync(url).Result`: the thread blocks and a second thread must finish the task.
    SyncOverAsync,
    /// `await Task.Run(() => db.Users.ToList())`: another pool thread blocks instead.
    TaskRunWrap,
    /// Plain synchronous code, meant for CPU-only programs; any I/O step blocks.
    CpuBound,
}

names!(Style {
    Blocking => "blocking",
    Async => "async",
    SyncOverAsync => "sync_over_async",
    TaskRunWrap => "task_run_wrap",
    CpuBound => "cpu_bound",
});

/// How a `sync_over_async` endpoint waits for its task.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wait {
    /// `.Result` / `.Wait()`: the pool is told the thread is blocked (cooperative blocking).
    #[default]
    Result,
    /// `while (!t.IsCompleted) Thread.Sleep(poll_ms)`: the pool cannot see this wait.
    SleepPoll,
}

names!(Wait {
    Result => "result",
    SleepPoll => "sleep_poll",
});

/// How an I/O step's completion reaches the pool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompletesVia {
    /// A socket (database, HTTP): the completion is a work item in the pool's global queue.
    #[default]
    Socket,
    /// A timer (`Task.Delay`): due timers are fired by a timer-queue work item, which runs
    /// the first due timer inline and queues the rest to the global queue.
    Timer,
}

names!(CompletesVia {
    Socket => "socket",
    Timer => "timer",
});

fn is_socket(value: &CompletesVia) -> bool {
    *value == CompletesVia::Socket
}

/// Which .NET runtime's pool the run models, where they differ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Runtime {
    /// .NET 6: the timer-queue item waits in a time-sensitive queue, behind the global one.
    Net6,
    /// .NET 7–9: the timer-queue item goes to a high-priority queue, ahead of the global one.
    #[default]
    Net8,
    /// .NET 10: as .NET 8 here (its other change moves a blocking thread's local items,
    /// and the model has no local queues yet).
    Net10,
}

names!(Runtime {
    Net6 => "net6",
    Net8 => "net8",
    Net10 => "net10",
});

/// One step of an endpoint's program: either CPU work or an I/O call.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Step {
    /// CPU work, in milliseconds of one core.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_ms: Option<f64>,
    /// CPU step only: run it through `await Task.Run(...)` on another pool thread.
    #[serde(skip_serializing_if = "is_false")]
    pub task_run: bool,
    /// I/O latency (the mean for random distributions), in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub io_ms: Option<f64>,
    /// I/O step only: latency distribution.
    #[serde(skip_serializing_if = "is_fixed")]
    pub dist: Dist,
    /// I/O step only, `lognormal`: the shape (standard deviation of the underlying normal).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sigma: Option<f64>,
    /// I/O step only: the resource the call goes through (a key of `resources`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// I/O step only: the share (0–1) of calls whose result is already there when awaited
    /// (buffered or cached data). Such a call leaves no I/O in flight: its task is created
    /// complete and the thread goes straight on to the next step.
    #[serde(skip_serializing_if = "is_zero")]
    pub complete_sync: f64,
    /// I/O step only: how the completion reaches the pool (`socket`, or `timer` for a
    /// `Task.Delay`).
    #[serde(skip_serializing_if = "is_socket")]
    pub completes_via: CompletesVia,
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

fn is_fixed(value: &Dist) -> bool {
    *value == Dist::Fixed
}

/// Default shape of a log-normal latency.
pub const SIGMA_DEFAULT: f64 = 0.5;

impl Step {
    /// A CPU step.
    pub fn cpu(ms: f64) -> Step {
        Step {
            cpu_ms: Some(ms),
            ..Step::default()
        }
    }

    /// An I/O step.
    pub fn io(ms: f64, dist: Dist, resource: Option<&str>) -> Step {
        Step {
            io_ms: Some(ms),
            dist,
            resource: resource.map(str::to_owned),
            ..Step::default()
        }
    }
}

/// The endpoint every request calls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Endpoint {
    /// How the code waits for I/O.
    pub style: Style,
    /// `sync_over_async` only: how the wait is written.
    pub wait: Wait,
    /// `wait = sleep_poll` only: the sleep between checks, in milliseconds.
    pub poll_ms: u64,
    /// Global work items the server queues for each request before the action runs: 1 is
    /// the simplest server; Kestrel queues 2 (the socket engine's item, then its pipe
    /// scheduler's), and each waits its turn in the global queue.
    pub server_items: u32,
    /// The program, run in order.
    pub steps: Vec<Step>,
}

impl Default for Endpoint {
    fn default() -> Endpoint {
        Endpoint {
            style: Style::Async,
            wait: Wait::Result,
            poll_ms: 10,
            server_items: 1,
            steps: vec![
                Step::cpu(1.0),
                Step::io(500.0, Dist::Fixed, None),
                Step::cpu(1.0),
            ],
        }
    }
}

/// A resource with limited capacity and its own FIFO wait queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Resource {
    /// How many calls may use it at once.
    pub capacity: u32,
}

impl Default for Resource {
    fn default() -> Resource {
        Resource { capacity: 100 }
    }
}

/// Bounds on what the engine keeps, so that no input can exhaust memory or freeze the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Requests alive in the server at once; arrivals beyond it are rejected and counted.
    pub max_in_flight: u32,
    /// Trace events kept (the most recent); older ones are dropped and counted.
    pub trace_events: u32,
    /// Samples kept; later ones are dropped and counted.
    pub samples: u32,
    /// Events processed before the run stops early (counted in `limits_hit`).
    pub max_events: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_in_flight: 100_000,
            trace_events: 4_096,
            samples: 100_000,
            max_events: 200_000_000,
        }
    }
}

// `to_json` and `to_json_as` are in `write.rs`, beside the writer they call, so this file
// of plain records imports nothing of the writer or the schema built on it.
impl Scenario {
    /// The effective minimum thread count (defaults to the core count, as in .NET).
    pub fn min_threads(&self) -> u32 {
        self.pool.min_threads.unwrap_or(self.machine.cores)
    }
}
