//! The discrete-event core: state of the simulated machine, the event queue, the clock and
//! the bookkeeping behind samples and the summary. The behaviour of threads lives in
//! `program.rs` (what a thread does next) and `cpu.rs` (the OS scheduler).

mod cpu;
mod footprint;
mod invariants;
mod program;

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use crate::hill_climbing::HillClimbing;
use crate::report::{
    us_to_ms, Histogram, Injections, LatencyMs, LimitsHit, LittlesLaw, QueueStats, Sample, Summary,
    ThreadStats, TraceEvent, TraceHasher, TraceKind,
};
use crate::rng::{Dist, SimRng, Stream};
use crate::scenario::{CompletesVia, LoadKind, Scenario, Style, Wait, SIGMA_DEFAULT};
use crate::time::{ms_to_us, SimTime, US_PER_MS, US_PER_S};
use crate::validate::FieldError;

pub use footprint::{Footprint, Held};

/// Longest latency or think time a distribution may draw (24 h), so that a wild draw can
/// neither overflow the clock nor push an event out of any sane range.
const DRAW_CAP_US: u64 = 86_400_000_000;

/// CPU cost of one wake-up of a `Thread.Sleep` polling loop (check the task, sleep again).
pub const POLL_CPU_US: u64 = 2;

/// A thread's state (DESIGN §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreadState {
    /// Parked in the pool with no work.
    Idle = 0,
    /// Runnable, waiting in the OS ready queue for a core.
    Ready = 1,
    /// On a core.
    Running = 2,
    /// Waiting: on synchronous I/O, on a task via `.Result`, or sleeping.
    Blocked = 3,
}

/// What a thread is doing, in more detail than its state (for drawing and the event log).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Doing {
    /// Parked, no work.
    Idle,
    /// Dequeuing and starting a work item.
    Dispatch,
    /// Running the endpoint's CPU work.
    Cpu,
    /// Blocked in synchronous I/O.
    BlockedIo,
    /// Blocked waiting for a resource's capacity (a connection from the pool).
    WaitingResource,
    /// Blocked in `.Result` / `.Wait()`.
    WaitResult,
    /// Asleep in a `Thread.Sleep` polling loop.
    SleepPoll,
    /// Awake in a polling loop, checking the task.
    Polling,
    /// Running the inner continuation that completes another thread's `.Result` task.
    InnerCompletion,
}

/// The kind of a work item in the pool's global queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// A new request from a client.
    NewRequest,
    /// The rest of an `async` method after its awaited task completed.
    Continuation,
    /// The continuation that completes the task a `.Result` is waiting for.
    InnerCompletion,
    /// The body of a `Task.Run`.
    TaskRunBody,
    /// A timer queue's firing (`slot` is the timer queue): it runs the first due timer's
    /// continuation inline and queues the rest. It waits in the pool's priority queue,
    /// never in the global one, and the stage does not draw it.
    TimerFiring,
}

/// A work item: what it is and which request (slot in the request table) it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WorkItem {
    pub kind: WorkKind,
    pub slot: u32,
}

/// The work a thread is executing; `Poll` and `TaskRunFinish` are the points a thread
/// resumes at after sleeping or after the body of a `Task.Run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Job {
    None,
    Request(u32),
    InnerCompletion(u32),
    TaskRunBody(u32),
    TaskRunFinish(u32),
    Poll(u32),
    /// Firing timer queue `u32`'s due timers.
    Timer(u32),
}

impl Job {
    /// What a thread does with a work item it takes.
    pub fn for_item(item: WorkItem) -> Job {
        match item.kind {
            WorkKind::NewRequest | WorkKind::Continuation => Job::Request(item.slot),
            WorkKind::InnerCompletion => Job::InnerCompletion(item.slot),
            WorkKind::TaskRunBody => Job::TaskRunBody(item.slot),
            WorkKind::TimerFiring => Job::Timer(item.slot),
        }
    }

    pub fn slot(self) -> Option<u32> {
        match self {
            Job::None | Job::Timer(_) => None,
            Job::Request(s)
            | Job::InnerCompletion(s)
            | Job::TaskRunBody(s)
            | Job::TaskRunFinish(s)
            | Job::Poll(s) => Some(s),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Thread {
    pub id: u32,
    pub alive: bool,
    pub state: ThreadState,
    pub doing: Doing,
    pub job: Job,
    /// The thread must pay the cost of starting its work item before running it.
    pub dispatch_pending: bool,
    pub cpu_left_us: u64,
    pub core: Option<u32>,
    /// Bumped whenever the thread parks or sleeps, so stale timer events can be ignored.
    pub epoch: u32,
    /// When the thread last parked.
    pub idle_since: SimTime,
    /// A retirement check (`Event::IdleRetire`) is scheduled for this thread.
    pub retire_pending: bool,
    /// When the thread's current dispatch quantum began (.NET 6's 30 ms quantum).
    pub quantum_at: SimTime,
    /// The thread's local queue (`Task.Run` bodies it queued): the owner takes from the
    /// back (LIFO), other threads steal from the front, and only when the global queue is
    /// empty.
    pub local: VecDeque<WorkItem>,
}

/// Where a request's current I/O call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IoState {
    None,
    WaitingResource,
    InFlight { started_at_us: u64, done_at_us: u64 },
}

#[derive(Clone, Debug)]
pub(crate) struct Request {
    pub id: u64,
    pub live: bool,
    /// The closed-load user who sent it, or `u32::MAX` for open load.
    pub user: u32,
    pub arrived: SimTime,
    /// Index of the next step of the endpoint program.
    pub step: u16,
    pub timed_out: bool,
    pub task: Option<u64>,
    pub task_done: bool,
    /// The thread blocked in `.Result` (or polling) for this request's task.
    pub waiter: Option<u32>,
    /// The thread blocked in synchronous I/O for this request.
    pub io_thread: Option<u32>,
    pub io: IoState,
    pub deadlocked: bool,
    /// Which attempt of its user's request this is (1 = the first).
    pub attempt: u32,
    /// Server work items still to pass through the global queue before the action runs
    /// (`endpoint.server_items` − 1 at arrival).
    pub server_items_left: u32,
}

/// One step of the endpoint program, with units converted and the resource resolved.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Op {
    Cpu {
        us: u64,
        task_run: bool,
    },
    Io {
        mean_us: u64,
        dist: Dist,
        sigma: f64,
        resource: Option<u16>,
        /// Probability (0–1) that a call finds its result already there.
        complete_sync: f64,
        /// The completion comes through a timer queue (`Task.Delay`), not a socket.
        timer: bool,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct ResourceState {
    pub name: String,
    pub capacity: u32,
    pub in_use: u32,
    pub waiting: VecDeque<u32>,
}

#[derive(Clone, Debug)]
pub(crate) struct Core {
    pub thread: Option<u32>,
    pub last_thread: Option<u32>,
    /// Useful CPU time of the segment now running (excluding the switch-in cost).
    pub segment_run_us: u64,
    /// When the useful part of the current segment starts (after any switch-in cost).
    pub segment_useful_start_us: u64,
    pub slice_left_us: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// A closed-load user sends a request.
    UserSend { user: u32 },
    /// Open load: an arrival (`arrive`), or a rate change where the gap is drawn anew.
    OpenTick { arrive: bool },
    /// The segment of CPU work running on a core ends.
    SegmentEnd { core: u32 },
    /// A request's I/O call completes.
    IoDone { slot: u32, id: u64 },
    /// A sleeping poller wakes up.
    PollWake { thread: u32, epoch: u32 },
    /// The pool's gate thread runs.
    Gate,
    /// Cooperative blocking may add its next thread.
    CooperativeInject,
    /// An idle thread's idle timeout may have expired: it retires if it has been parked
    /// for the whole timeout, or the check moves to when it will have been.
    IdleRetire { thread: u32 },
}

#[derive(Clone, Copy, Debug)]
struct Scheduled {
    time_us: u64,
    seq: u64,
    event: Event,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Scheduled) -> bool {
        self.time_us == other.time_us && self.seq == other.seq
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Scheduled) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    /// Reversed so that `BinaryHeap` (a max-heap) pops the earliest event first; ties go to
    /// the event scheduled first.
    fn cmp(&self, other: &Scheduled) -> Ordering {
        (other.time_us, other.seq).cmp(&(self.time_us, self.seq))
    }
}

/// Counters for the sample window now open.
#[derive(Clone, Debug, Default)]
struct Window {
    completed: u32,
    failed: u32,
    rejected: u32,
    context_switches: u64,
    work_items: u32,
    injected: u32,
    retired: u32,
    hill_climbing_raised: u32,
    hill_climbing_lowered: u32,
    latency: Histogram,
}

/// How many recently finished requests a snapshot carries.
pub const RECENT_MAX: usize = 12;

/// How a request left the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Answered while its client still waited.
    Answered,
    /// Answered after its client had timed out: work nobody reads.
    Late,
    /// Refused at arrival (HTTP 503): the queue or the request table was full.
    Rejected,
}

/// A request that left the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Finished {
    /// The request.
    pub request: u64,
    /// How it left.
    pub outcome: Outcome,
    /// When, in µs.
    pub at_us: u64,
}

/// The simulation. Cloning it gives an exact copy that continues identically.
#[derive(Clone, Debug)]
pub struct Sim {
    pub(crate) scenario: Scenario,
    pub(crate) ops: Vec<Op>,
    pub(crate) style: Style,
    pub(crate) wait: Wait,

    // Clock and event queue.
    pub(crate) now: SimTime,
    end: SimTime,
    queue: BinaryHeap<Scheduled>,
    next_seq: u64,
    /// Client timeouts in deadline order (the timeout is the same for every request).
    timeouts: VecDeque<(u64, u32, u64)>,
    events: u64,
    finished: bool,

    // Randomness.
    rng_arrivals: SimRng,
    rng_io: SimRng,
    rng_think: SimRng,
    /// Fast-path decisions of I/O calls; touched only by steps with `complete_sync` > 0.
    rng_sync: SimRng,

    // Machine.
    pub(crate) cores: Vec<Core>,
    free_cores: Vec<u32>,
    pub(crate) ready: VecDeque<u32>,
    pub(crate) threads: Vec<Thread>,
    free_thread_slots: Vec<u32>,
    /// Idle threads; the most recently parked is woken first, as .NET's LIFO semaphore does.
    pub(crate) idle: Vec<u32>,
    pub(crate) state_counts: [u32; 4],
    pub(crate) threads_alive: u32,
    next_thread_id: u32,

    // Pool.
    pub(crate) work: VecDeque<WorkItem>,
    /// The pool's priority queue, holding timer-queue firings: the high-priority queue of
    /// .NET 7+ (served before the global one) or .NET 6's time-sensitive queue (served
    /// after it, and on every other dequeue).
    pub(crate) priority: VecDeque<WorkItem>,
    /// .NET 6: whether the next dequeue looks at the time-sensitive queue first.
    time_sensitive_turn: bool,
    /// Work items in all threads' local queues.
    pub(crate) local_len: u32,
    /// Where the next steal starts looking (the runtime starts at a random thread; the
    /// model goes round, which needs no random draw).
    steal_next: u32,
    /// Per timer queue (one per core, as the runtime has): the due timers waiting for the
    /// queue's firing, as (request slot, what runs when it fires), and whether a firing is
    /// queued.
    pub(crate) timers_due: Vec<VecDeque<(u32, WorkKind)>>,
    pub(crate) timer_firing_queued: Vec<bool>,
    pub(crate) incoming_len: u32,
    pub(crate) goal: u32,
    min_threads: u32,
    last_dequeue: SimTime,
    pub(crate) blocked_in_wait: u32,
    cooperative_pending: bool,
    busy_at_last_gate_us: u64,
    /// Work items finished by pool threads (hill climbing's throughput measure).
    pub(crate) items_done: u64,
    /// .NET's hill-climbing controller, when the scenario turns hill climbing on.
    pub(crate) hill: Option<HillClimbing>,
    /// When the current hill-climbing sample started, with `items_done` and the busy CPU
    /// time then.
    pub(crate) hill_sample_at: SimTime,
    pub(crate) hill_items_at: u64,
    pub(crate) hill_busy_at_us: u64,
    /// How long the current sample must run before the controller is asked again (what
    /// its last answer said).
    pub(crate) hill_interval_us: u64,
    /// The gate thread's last CPU reading (%), which hill climbing checks against 95 %.
    pub(crate) cpu_reading_pct: Option<u64>,
    /// The gate timer's lateness draws, when `pool.gate_jitter_ms` asks for any.
    gate_rng: Option<SimRng>,
    /// When the gate last ran (its CPU reading covers the time since).
    gate_at: SimTime,

    // Requests, tasks, I/O.
    pub(crate) requests: Vec<Request>,
    free_request_slots: Vec<u32>,
    pub(crate) requests_live: u32,
    next_request_id: u64,
    next_task_id: u64,
    pub(crate) tasks_pending: u32,
    pub(crate) io_in_flight: u32,
    pub(crate) resources: Vec<ResourceState>,

    // Counters.
    pub(crate) arrived: u64,
    pub(crate) completed: u64,
    pub(crate) failed: u64,
    pub(crate) rejected: u64,
    pub(crate) in_flight: u64,
    late_responses: u64,
    /// Attempts abandoned at their deadline and sent again (`load.attempt_timeout_ms`).
    attempts_abandoned: u64,
    /// For each closed-load user, the attempt its next request is (1 unless it retries).
    user_attempt: Vec<u32>,
    pub(crate) deadlocked: u64,
    pub(crate) context_switches: u64,
    /// The last requests that left the server (answered, answered after the client gave
    /// up, or rejected), newest last, at most `RECENT_MAX`: the stage draws them leaving.
    pub(crate) recent: VecDeque<Finished>,
    work_items: u64,
    injections: Injections,
    limits_hit: LimitsHit,
    threads_max: u32,
    queue_max: u32,
    latency: Histogram,

    // Time integrals (count × µs), exact in integers.
    area_threads: u128,
    area_queue: u128,
    area_in_system: u128,
    useful_us: u64,
    switching_us: u64,

    // Samples.
    window_us: u64,
    window_end: SimTime,
    window: Window,
    /// CPU time per upcoming window: index 0 is the window now open. A CPU segment is
    /// booked when it starts, and may reach into the next windows.
    cpu_ledger: VecDeque<(u64, u64)>,
    pub(crate) samples: Vec<Sample>,

    // Trace.
    trace: VecDeque<TraceEvent>,
    trace_cap: usize,
    trace_total: u64,
    hasher: TraceHasher,

    /// Threads that can make progress after the current event, handled in order.
    wake_list: VecDeque<u32>,
}

fn compile_ops(scenario: &Scenario) -> Vec<Op> {
    let names: Vec<&String> = scenario.resources.keys().collect();
    scenario
        .endpoint
        .steps
        .iter()
        .map(|step| match step.io_ms {
            Some(io_ms) => Op::Io {
                mean_us: ms_to_us(io_ms),
                dist: step.dist,
                sigma: step.sigma.unwrap_or(SIGMA_DEFAULT),
                resource: step
                    .resource
                    .as_ref()
                    .and_then(|r| names.iter().position(|n| *n == r))
                    .map(|i| i as u16),
                complete_sync: step.complete_sync,
                timer: step.completes_via == CompletesVia::Timer,
            },
            None => Op::Cpu {
                us: ms_to_us(step.cpu_ms.unwrap_or(0.0)),
                task_run: step.task_run,
            },
        })
        .collect()
}

impl Sim {
    /// Builds a simulation, or returns every problem with the scenario.
    pub fn new(scenario: Scenario) -> Result<Sim, Vec<FieldError>> {
        scenario.validate()?;
        let cores = scenario.machine.cores;
        let seed = scenario.seed;
        let min_threads = scenario.min_threads();
        // The controller draws its sample intervals from a stream of its own, so turning
        // hill climbing on or off moves no other draw.
        let hill = scenario.pool.hill_climbing.then(|| {
            HillClimbing::new(
                min_threads,
                scenario.pool.max_threads,
                SimRng::new(seed, Stream::HillClimbing),
            )
        });
        let window_us = scenario.sample_window_ms.saturating_mul(US_PER_MS).max(1);
        let mut sim = Sim {
            ops: compile_ops(&scenario),
            style: scenario.endpoint.style,
            wait: scenario.endpoint.wait,
            now: SimTime::ZERO,
            end: SimTime::from_ms(scenario.duration_ms),
            queue: BinaryHeap::new(),
            next_seq: 0,
            timeouts: VecDeque::new(),
            events: 0,
            finished: false,
            rng_arrivals: SimRng::new(seed, Stream::Arrivals),
            rng_io: SimRng::new(seed, Stream::Io),
            rng_think: SimRng::new(seed, Stream::Think),
            rng_sync: SimRng::new(seed, Stream::CompleteSync),
            cores: (0..cores)
                .map(|_| Core {
                    thread: None,
                    last_thread: None,
                    segment_run_us: 0,
                    segment_useful_start_us: 0,
                    slice_left_us: 0,
                })
                .collect(),
            // Reversed so that popping hands out core 0 first.
            free_cores: (0..cores).rev().collect(),
            ready: VecDeque::new(),
            threads: Vec::new(),
            free_thread_slots: Vec::new(),
            idle: Vec::new(),
            state_counts: [0; 4],
            threads_alive: 0,
            next_thread_id: 0,
            work: VecDeque::new(),
            priority: VecDeque::new(),
            local_len: 0,
            steal_next: 0,
            time_sensitive_turn: false,
            timers_due: vec![VecDeque::new(); cores as usize],
            timer_firing_queued: vec![false; cores as usize],
            incoming_len: 0,
            goal: min_threads,
            min_threads,
            last_dequeue: SimTime::ZERO,
            blocked_in_wait: 0,
            cooperative_pending: false,
            busy_at_last_gate_us: 0,
            items_done: 0,
            hill,
            hill_sample_at: SimTime::ZERO,
            hill_items_at: 0,
            hill_busy_at_us: 0,
            hill_interval_us: 0,
            cpu_reading_pct: None,
            gate_at: SimTime::ZERO,
            gate_rng: (scenario.pool.gate_jitter_ms > 0)
                .then(|| SimRng::new(seed, Stream::GateJitter)),
            requests: Vec::new(),
            free_request_slots: Vec::new(),
            requests_live: 0,
            next_request_id: 0,
            next_task_id: 0,
            tasks_pending: 0,
            io_in_flight: 0,
            recent: VecDeque::with_capacity(RECENT_MAX),
            resources: scenario
                .resources
                .iter()
                .map(|(name, r)| ResourceState {
                    name: name.clone(),
                    capacity: r.capacity,
                    in_use: 0,
                    waiting: VecDeque::new(),
                })
                .collect(),
            arrived: 0,
            completed: 0,
            failed: 0,
            rejected: 0,
            in_flight: 0,
            late_responses: 0,
            attempts_abandoned: 0,
            user_attempt: Vec::new(),
            deadlocked: 0,
            context_switches: 0,
            work_items: 0,
            injections: Injections::default(),
            limits_hit: LimitsHit::default(),
            threads_max: 0,
            queue_max: 0,
            latency: Histogram::default(),
            area_threads: 0,
            area_queue: 0,
            area_in_system: 0,
            useful_us: 0,
            switching_us: 0,
            window_us,
            window_end: SimTime(window_us),
            window: Window::default(),
            cpu_ledger: VecDeque::new(),
            samples: Vec::new(),
            trace: VecDeque::new(),
            trace_cap: scenario.limits.trace_events as usize,
            trace_total: 0,
            hasher: TraceHasher::default(),
            wake_list: VecDeque::new(),
            scenario,
        };
        sim.schedule_initial();
        Ok(sim)
    }

    fn schedule_initial(&mut self) {
        match self.scenario.load.kind {
            LoadKind::Closed => {
                let users = u64::from(self.scenario.load.users);
                let ramp_us = self.scenario.load.ramp_ms.saturating_mul(US_PER_MS);
                for user in 0..self.scenario.load.users {
                    // Users open their connections evenly spread over the ramp.
                    let offset_us =
                        (u128::from(ramp_us) * u128::from(user) / u128::from(users)) as u64;
                    self.schedule(SimTime(offset_us), Event::UserSend { user });
                }
            }
            LoadKind::Open => self.schedule_open_arrival(),
        }
        if self.scenario.pool.starvation_injection {
            let first = self.gate_delay_us();
            self.schedule(SimTime(first), Event::Gate);
        }
        if let Some(hill) = &self.hill {
            self.hill_interval_us = hill.sample_interval_us();
        }
    }

    /// The scenario this simulation runs.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The time the run ends.
    pub fn end_time(&self) -> SimTime {
        self.end
    }

    /// Events processed so far; `Timeline::seek` counts in these.
    pub fn events_processed(&self) -> u64 {
        self.events
    }

    /// Whether the run has reached its end (or its event limit).
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Samples of the windows closed so far.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    /// The most recent trace events (at most `limits.trace_events`).
    pub fn trace(&self) -> &VecDeque<TraceEvent> {
        &self.trace
    }

    /// Trace events emitted so far, including those dropped from the buffer.
    pub fn trace_total(&self) -> u64 {
        self.trace_total
    }

    /// FNV-1a hash of every trace event so far (dropped ones included).
    pub fn trace_hash(&self) -> u64 {
        self.hasher.value()
    }

    /// An estimate of the memory this simulation holds, in bytes (what a copy costs).
    pub fn approx_bytes(&self) -> usize {
        use std::mem::size_of;
        size_of::<Sim>()
            + self.requests.capacity() * size_of::<Request>()
            + self.threads.capacity() * size_of::<Thread>()
            + self.queue.capacity() * size_of::<Scheduled>()
            + self.timeouts.capacity() * size_of::<(u64, u32, u64)>()
            + self.work.capacity() * size_of::<WorkItem>()
            + self.trace.capacity() * size_of::<TraceEvent>()
            + self.samples.capacity() * size_of::<Sample>()
            + (self.ready.capacity() + self.idle.capacity() + self.free_request_slots.capacity())
                * size_of::<u32>()
            + self.cpu_ledger.capacity() * size_of::<(u64, u64)>()
            + 2 * 2_000 * size_of::<u32>()
            + self.cores.len() * size_of::<Core>()
    }

    pub(crate) fn schedule(&mut self, time: SimTime, event: Event) {
        // Events after the end can never run; not storing them keeps the heap small.
        if time > self.end {
            return;
        }
        debug_assert!(time >= self.now, "scheduling into the past");
        let seq = self.next_seq;
        self.next_seq += 1;
        self.queue.push(Scheduled {
            time_us: time.0,
            seq,
            event,
        });
    }

    pub(crate) fn emit(
        &mut self,
        kind: TraceKind,
        thread: Option<u32>,
        request: Option<u64>,
        task: Option<u64>,
    ) {
        let event = TraceEvent {
            index: self.trace_total,
            time_us: self.now.0,
            kind,
            thread,
            request,
            task,
        };
        self.trace_total += 1;
        self.hasher.add(&event);
        if self.trace_cap == 0 {
            return;
        }
        if self.trace.len() >= self.trace_cap {
            self.trace.pop_front();
        }
        self.trace.push_back(event);
    }

    /// Processes the next event. Returns false when the run is over.
    pub fn step(&mut self) -> bool {
        // The invariants that cost O(1) to check hold after every event, in every debug
        // build and test; `check_invariants` recounts the rest for the invariant tests.
        #[cfg(debug_assertions)]
        if let Err(broken) = self.cheap_invariants() {
            panic!("engine invariant broken: {broken}");
        }
        if self.finished {
            return false;
        }
        loop {
            if self.events >= self.scenario.limits.max_events {
                self.limits_hit.max_events = true;
                self.finish();
                return false;
            }
            let heap_time = self.queue.peek().map(|s| s.time_us);
            let timeout_time = self
                .timeouts
                .front()
                .map(|t| t.0)
                .filter(|&t| t <= self.end.0);
            let take_timeout = match (heap_time, timeout_time) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(h), Some(t)) => t < h,
            };
            if take_timeout {
                let Some((deadline, slot, id)) = self.timeouts.pop_front() else {
                    continue;
                };
                if !self.request_waits_for_answer(slot, id) {
                    continue;
                }
                self.advance_to(SimTime(deadline));
                self.on_timeout(slot);
                break;
            }
            let Some(next) = self.queue.pop() else {
                self.finish();
                return false;
            };
            self.advance_to(SimTime(next.time_us));
            self.handle(next.event);
            break;
        }
        self.events += 1;
        self.drain_wake_list();
        self.dispatch_cores();
        true
    }

    /// Processes every event up to and including `time`, then moves the clock to `time`
    /// (or to the end of the run, whichever is first).
    pub fn run_until(&mut self, time: SimTime) {
        while !self.finished && self.next_event_time().is_some_and(|t| t <= time.0) {
            self.step();
        }
        if !self.finished {
            if time >= self.end {
                self.finish();
            } else {
                self.advance_to(time);
            }
        }
    }

    /// Like [`Sim::run_until`], but processes at most `max_events` events, so a caller
    /// drawing frames can bound the work per frame whatever the scenario. Returns true when
    /// the clock reached `time` (or the run ended), false when the budget ran out first.
    pub fn run_until_bounded(&mut self, time: SimTime, max_events: u64) -> bool {
        let mut budget = max_events;
        while !self.finished && self.next_event_time().is_some_and(|t| t <= time.0) {
            if budget == 0 {
                return false;
            }
            budget -= 1;
            self.step();
        }
        self.run_until(time);
        true
    }

    /// Runs to the end and returns the summary.
    pub fn run_to_end(&mut self) -> Summary {
        while self.step() {}
        self.summary()
    }

    /// The time of the next event, if any is left before the end.
    pub fn next_event_time(&self) -> Option<u64> {
        let heap = self.queue.peek().map(|s| s.time_us);
        let timeout = self
            .timeouts
            .front()
            .map(|t| t.0)
            .filter(|&t| t <= self.end.0);
        match (heap, timeout) {
            (Some(h), Some(t)) => Some(h.min(t)),
            (h, t) => h.or(t),
        }
    }

    fn finish(&mut self) {
        if self.finished {
            return;
        }
        let end = if self.limits_hit.max_events {
            self.now
        } else {
            self.end
        };
        self.advance_to(end);
        if self.limits_hit.max_events {
            // Stopped mid-run: CPU booked past the stop (a segment is booked whole when it
            // starts) belongs to no window. Left in, it made the last sample's CPU share
            // exceed 100 % (found by the soak, seeds 26 and 266).
            let (useful, switching) = self.cpu_booked_until(self.window_end.0);
            if let Some(entry) = self.cpu_ledger.front_mut() {
                entry.0 = entry.0.saturating_sub(useful);
                entry.1 = entry.1.saturating_sub(switching);
            }
        }
        // A last, partial window still gets its sample.
        let window_start = self.window_end.0.saturating_sub(self.window_us);
        if self.now.0 > window_start {
            self.close_window(self.now.0 - window_start);
        }
        self.finished = true;
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::UserSend { user } => self.arrive(user),
            Event::OpenTick { arrive } => {
                if arrive {
                    self.arrive(u32::MAX);
                }
                self.schedule_open_arrival();
            }
            Event::SegmentEnd { core } => self.on_segment_end(core),
            Event::IoDone { slot, id } => self.on_io_done(slot, id),
            Event::PollWake { thread, epoch } => self.on_poll_wake(thread, epoch),
            Event::Gate => self.on_gate(),
            Event::CooperativeInject => self.on_cooperative_inject(),
            Event::IdleRetire { thread } => self.on_idle_retire(thread),
        }
    }

    /// Moves the clock forward, integrating time-weighted statistics and closing every
    /// sample window the move passes.
    fn advance_to(&mut self, time: SimTime) {
        while time >= self.window_end && self.window_end <= self.end {
            let boundary = self.window_end;
            self.integrate(boundary);
            self.close_window(self.window_us);
            self.window_end = self.window_end.plus_us(self.window_us);
        }
        self.integrate(time);
    }

    fn integrate(&mut self, time: SimTime) {
        if time <= self.now {
            return;
        }
        let dt = u128::from(time.since(self.now));
        self.area_threads += u128::from(self.threads_alive) * dt;
        self.area_queue += self.work.len() as u128 * dt;
        self.area_in_system += u128::from(self.in_flight) * dt;
        self.now = time;
    }

    /// Books CPU time `[start, start + len)` as useful or switching, into the run totals
    /// (clipped at the end of the run) and into the windows it overlaps.
    pub(crate) fn book_cpu(&mut self, start_us: u64, len_us: u64, switching: bool) {
        if len_us == 0 {
            return;
        }
        let end_us = start_us.saturating_add(len_us).min(self.end.0);
        if end_us <= start_us {
            return;
        }
        if switching {
            self.switching_us += end_us - start_us;
        } else {
            self.useful_us += end_us - start_us;
        }
        let window_start = self.window_end.0.saturating_sub(self.window_us);
        let mut from = start_us;
        while from < end_us {
            let index = ((from - window_start) / self.window_us) as usize;
            let window_stop = window_start + (index as u64 + 1) * self.window_us;
            let to = end_us.min(window_stop);
            while self.cpu_ledger.len() <= index {
                self.cpu_ledger.push_back((0, 0));
            }
            if let Some(entry) = self.cpu_ledger.get_mut(index) {
                if switching {
                    entry.1 += to - from;
                } else {
                    entry.0 += to - from;
                }
            }
            from = to;
        }
    }

    fn close_window(&mut self, length_us: u64) {
        let (useful, switching) = self.cpu_ledger.pop_front().unwrap_or((0, 0));
        let w = std::mem::take(&mut self.window);
        if self.samples.len() >= self.scenario.limits.samples as usize {
            self.limits_hit.samples_dropped += 1;
            self.window.latency = w.latency;
            self.window.latency.clear();
            return;
        }
        let length_us = length_us.max(1);
        let core_us = (length_us * u64::from(self.scenario.machine.cores)) as f64;
        let per_s = US_PER_S as f64 / length_us as f64;
        let sample = Sample {
            time_ms: self.now.0 / US_PER_MS,
            threads: self.threads_alive,
            thread_goal: self.goal,
            threads_idle: self.state_counts[ThreadState::Idle as usize],
            threads_ready: self.state_counts[ThreadState::Ready as usize],
            threads_running: self.state_counts[ThreadState::Running as usize],
            threads_blocked: self.state_counts[ThreadState::Blocked as usize],
            queue_len: self.work.len() as u32,
            in_flight: self.in_flight as u32,
            tasks_pending: self.tasks_pending,
            io_in_flight: self.io_in_flight,
            completed: w.completed,
            throughput_rps: f64::from(w.completed) * per_s,
            latency_ms_p50: us_to_ms(w.latency.percentile_us(50)),
            latency_ms_p95: us_to_ms(w.latency.percentile_us(95)),
            latency_ms_p99: us_to_ms(w.latency.percentile_us(99)),
            failed: w.failed,
            rejected: w.rejected,
            cpu_useful_pct: 100.0 * useful as f64 / core_us,
            cpu_switching_pct: 100.0 * switching as f64 / core_us,
            context_switches_per_s: w.context_switches as f64 * per_s,
            memory_reserved_mb: self.memory_mb(self.scenario.machine.stack_reserve_kb),
            memory_committed_mb: self.memory_mb(self.scenario.machine.stack_commit_kb),
            work_items: w.work_items,
            injected: w.injected,
            retired: w.retired,
            hill_climbing_raised: w.hill_climbing_raised,
            hill_climbing_lowered: w.hill_climbing_lowered,
        };
        self.samples.push(sample);
        // Reuse the histogram's allocation for the next window.
        let mut latency = w.latency;
        latency.clear();
        self.window.latency = latency;
    }

    fn memory_mb(&self, per_thread_kb: u64) -> f64 {
        (u64::from(self.threads_alive) * per_thread_kb) as f64 / 1024.0
    }

    /// The summary of the run so far (DESIGN §2.4).
    pub fn summary(&self) -> Summary {
        let elapsed_us = self.now.0.max(1);
        let elapsed_s = elapsed_us as f64 / US_PER_S as f64;
        let core_us = elapsed_us as f64 * f64::from(self.scenario.machine.cores);
        let throughput_rps = self.completed as f64 / elapsed_s;
        let mean_latency_s = self.latency.mean_us() / US_PER_S as f64;
        let l_measured = self.area_in_system as f64 / elapsed_us as f64;
        let lambda_w = throughput_rps * mean_latency_s;
        let error_pct = if l_measured > 0.0 {
            100.0 * (l_measured - lambda_w).abs() / l_measured
        } else {
            0.0
        };
        let m = &self.scenario.machine;
        let (cpu_useful_us, cpu_switching_us) = self.cpu_used_us();
        Summary {
            sim_time_ms: self.now.as_ms_f64(),
            arrived: self.arrived,
            completed: self.completed,
            failed: self.failed,
            rejected: self.rejected,
            in_flight: self.in_flight,
            late_responses: self.late_responses,
            attempts_abandoned: self.attempts_abandoned,
            deadlocked: self.deadlocked,
            throughput_rps,
            latency_ms: LatencyMs {
                mean: self.latency.mean_us() / US_PER_MS as f64,
                p50: us_to_ms(self.latency.percentile_us(50)),
                p95: us_to_ms(self.latency.percentile_us(95)),
                p99: us_to_ms(self.latency.percentile_us(99)),
                max: us_to_ms(self.latency.max_us()),
            },
            threads: ThreadStats {
                max: self.threads_max,
                mean: self.area_threads as f64 / elapsed_us as f64,
                r#final: self.threads_alive,
            },
            queue_len: QueueStats {
                max: self.queue_max,
                mean: self.area_queue as f64 / elapsed_us as f64,
            },
            cpu_useful_pct: 100.0 * cpu_useful_us as f64 / core_us,
            cpu_switching_pct: 100.0 * cpu_switching_us as f64 / core_us,
            context_switches: self.context_switches,
            memory_reserved_mb_max: (u64::from(self.threads_max) * m.stack_reserve_kb) as f64
                / 1024.0,
            memory_committed_mb_max: (u64::from(self.threads_max) * m.stack_commit_kb) as f64
                / 1024.0,
            work_items: self.work_items,
            injections: self.injections.clone(),
            littles_law: LittlesLaw {
                l_measured,
                lambda_w,
                error_pct,
            },
            events: self.events,
            trace_dropped: self.trace_total - self.trace.len() as u64,
            trace_hash: format!("{:016x}", self.trace_hash()),
            limits_hit: self.limits_hit.clone(),
        }
    }

    /// CPU time booked for segments that have not happened yet (a segment is booked
    /// whole when it starts): (useful, switching) in µs after `now`.
    fn cpu_booked_ahead_us(&self) -> (u64, u64) {
        self.cpu_booked_until(self.end.0)
    }

    /// CPU time booked for segments that have not happened yet, from `now` to `until`:
    /// (useful, switching) in µs.
    fn cpu_booked_until(&self, until: u64) -> (u64, u64) {
        let now = self.now.0;
        let until = until.min(self.end.0);
        let mut useful = 0;
        let mut switching = 0;
        for c in self.cores.iter().filter(|c| c.thread.is_some()) {
            let start = c.segment_useful_start_us.min(until);
            let stop = start.saturating_add(c.segment_run_us).min(until);
            switching += start.saturating_sub(now);
            useful += stop.saturating_sub(start.max(now));
        }
        (useful, switching)
    }

    /// CPU time used up to now (useful, switching), exactly.
    fn cpu_used_us(&self) -> (u64, u64) {
        let (useful_ahead, switching_ahead) = self.cpu_booked_ahead_us();
        (
            self.useful_us.saturating_sub(useful_ahead),
            self.switching_us.saturating_sub(switching_ahead),
        )
    }

    /// CPU time used so far (useful + switching), for the gate's utilisation measure.
    fn busy_us(&self) -> u64 {
        let (useful, switching) = self.cpu_used_us();
        useful + switching
    }

    // ---- Load -------------------------------------------------------------------------

    fn arrival_rate_at(&self, time_us: u64) -> f64 {
        for b in &self.scenario.load.bursts {
            let start = b.start_ms.saturating_mul(US_PER_MS);
            let stop = start.saturating_add(b.duration_ms.saturating_mul(US_PER_MS));
            if time_us >= start && time_us < stop {
                return b.rate_per_s;
            }
        }
        self.scenario.load.rate_per_s
    }

    /// The first burst start or stop after `time_us`, where the arrival rate may change.
    fn next_rate_change(&self, time_us: u64) -> Option<u64> {
        self.scenario
            .load
            .bursts
            .iter()
            .flat_map(|b| {
                let start = b.start_ms.saturating_mul(US_PER_MS);
                [
                    start,
                    start.saturating_add(b.duration_ms.saturating_mul(US_PER_MS)),
                ]
            })
            .filter(|&t| t > time_us)
            .min()
    }

    /// Schedules the next open-load arrival. Poisson arrivals are memoryless, so when the
    /// rate changes before the drawn arrival, drawing again from the change is exact.
    fn schedule_open_arrival(&mut self) {
        let now = self.now.0;
        let rate = self.arrival_rate_at(now);
        let change = self.next_rate_change(now);
        let candidate = if rate > 0.0 {
            let mean_us = US_PER_S as f64 / rate;
            let gap = self.rng_arrivals.exponential(mean_us);
            let gap_us = if gap.is_finite() && gap < DRAW_CAP_US as f64 {
                (gap + 0.5) as u64
            } else {
                DRAW_CAP_US
            };
            Some(now.saturating_add(gap_us))
        } else {
            None
        };
        match (candidate, change) {
            (Some(t), Some(c)) if c < t => {
                self.schedule(SimTime(c), Event::OpenTick { arrive: false })
            }
            (Some(t), _) => self.schedule(SimTime(t), Event::OpenTick { arrive: true }),
            (None, Some(c)) => self.schedule(SimTime(c), Event::OpenTick { arrive: false }),
            (None, None) => {}
        }
    }

    fn think_us(&mut self) -> u64 {
        let load = &self.scenario.load;
        let (dist, mean_us) = (load.think_dist, ms_to_us(load.think_ms));
        self.rng_think.sample_us(dist, mean_us, 0.0, DRAW_CAP_US)
    }

    fn user_next(&mut self, user: u32, delay_us: u64) {
        if user != u32::MAX {
            self.schedule(self.now.plus_us(delay_us), Event::UserSend { user });
        }
    }

    fn arrive(&mut self, user: u32) {
        self.arrived += 1;
        let would_queue = !self.can_take_at_once();
        let queue_full = self
            .scenario
            .pool
            .queue_limit
            .is_some_and(|limit| would_queue && self.incoming_len >= limit);
        let table_full = self.requests_live >= self.scenario.limits.max_in_flight;
        if queue_full || table_full {
            if table_full {
                self.limits_hit.in_flight += 1;
            }
            self.rejected += 1;
            self.window.rejected += 1;
            let id = self.next_request_id;
            self.next_request_id += 1;
            self.emit(TraceKind::Rejected, None, Some(id), None);
            self.note_finished(id, Outcome::Rejected);
            let retry_us = self.scenario.load.retry_ms.saturating_mul(US_PER_MS);
            self.user_next(user, retry_us);
            return;
        }
        let id = self.next_request_id;
        self.next_request_id += 1;
        let request = Request {
            id,
            live: true,
            user,
            arrived: self.now,
            step: 0,
            timed_out: false,
            task: None,
            task_done: false,
            waiter: None,
            io_thread: None,
            io: IoState::None,
            deadlocked: false,
            attempt: self.user_attempt.get(user as usize).copied().unwrap_or(1),
            server_items_left: self.scenario.endpoint.server_items.saturating_sub(1),
        };
        let slot = match self.free_request_slots.pop() {
            Some(slot) => {
                self.requests[slot as usize] = request;
                slot
            }
            None => {
                self.requests.push(request);
                (self.requests.len() - 1) as u32
            }
        };
        self.requests_live += 1;
        self.in_flight += 1;
        self.emit(TraceKind::Arrival, None, Some(id), None);
        // Each attempt's deadline: the load tool's per-attempt one when set, else the
        // client's timeout. (All requests share one, so the deadlines stay in order.)
        let load = &self.scenario.load;
        let wait_ms = load.attempt_timeout_ms.unwrap_or(load.timeout_ms);
        let deadline = self.now.plus_us(wait_ms.saturating_mul(US_PER_MS));
        if deadline <= self.end {
            self.timeouts.push_back((deadline.0, slot, id));
        }
        self.enqueue(WorkItem {
            kind: WorkKind::NewRequest,
            slot,
        });
    }

    /// Whether the client is still waiting for this request.
    fn request_waits_for_answer(&self, slot: u32, id: u64) -> bool {
        self.requests
            .get(slot as usize)
            .is_some_and(|r| r.live && r.id == id && !r.timed_out)
    }

    fn on_timeout(&mut self, slot: u32) {
        let Some(r) = self.requests.get_mut(slot as usize) else {
            return;
        };
        r.timed_out = true;
        let (id, user, task, attempt) = (r.id, r.user, r.task, r.attempt);
        // A load tool with a deadline per attempt drops the connection and sends the
        // request again at once on a new one, while attempts remain; the server is not
        // told and finishes the abandoned attempt anyway (a late response).
        let load = &self.scenario.load;
        if load.attempt_timeout_ms.is_some() && attempt < load.attempts && user != u32::MAX {
            self.attempts_abandoned += 1;
            self.in_flight -= 1;
            self.emit(TraceKind::Timeout, None, Some(id), task);
            self.set_user_attempt(user, attempt + 1);
            self.user_next(user, 0);
            return;
        }
        self.set_user_attempt(user, 1);
        self.failed += 1;
        self.window.failed += 1;
        self.in_flight -= 1;
        self.emit(TraceKind::Timeout, None, Some(id), task);
        // The server is not told: it goes on working on the request, as Kestrel does when
        // the endpoint ignores `RequestAborted`.
        let think = self.think_us();
        self.user_next(user, think);
    }

    /// Which attempt `user`'s next request is.
    fn set_user_attempt(&mut self, user: u32, attempt: u32) {
        if user == u32::MAX {
            return;
        }
        let i = user as usize;
        if self.user_attempt.len() <= i {
            // Users are numbered from 0 up to `load.users`; the table grows to the highest.
            self.user_attempt.resize(i + 1, 1);
        }
        self.user_attempt[i] = attempt;
    }

    /// Keeps the last `RECENT_MAX` requests that left the server, for the stage.
    fn note_finished(&mut self, request: u64, outcome: Outcome) {
        if self.recent.len() == RECENT_MAX {
            self.recent.pop_front();
        }
        self.recent.push_back(Finished {
            request,
            outcome,
            at_us: self.now.0,
        });
    }

    /// The server finished a request's program.
    pub(crate) fn respond(&mut self, slot: u32, thread_id: u32) {
        let Some(r) = self.requests.get_mut(slot as usize) else {
            return;
        };
        r.live = false;
        let (id, user, timed_out, arrived) = (r.id, r.user, r.timed_out, r.arrived);
        self.requests_live -= 1;
        self.free_request_slots.push(slot);
        if timed_out {
            self.late_responses += 1;
            self.note_finished(id, Outcome::Late);
            return;
        }
        self.set_user_attempt(user, 1);
        let latency_us = self.now.since(arrived);
        self.completed += 1;
        self.in_flight -= 1;
        self.latency.record(latency_us);
        self.window.completed += 1;
        self.window.latency.record(latency_us);
        self.emit(TraceKind::Response, Some(thread_id), Some(id), None);
        self.note_finished(id, Outcome::Answered);
        let think = self.think_us();
        self.user_next(user, think);
    }

    /// How long until the gate's next tick: its 500 ms period, plus the timer's lateness
    /// when the scenario asks for one.
    pub(crate) fn gate_delay_us(&mut self) -> u64 {
        let jitter_us = self.scenario.pool.gate_jitter_ms.saturating_mul(US_PER_MS);
        let late_us = match &mut self.gate_rng {
            Some(rng) if jitter_us > 0 => rng.below_or_at(jitter_us),
            _ => 0,
        };
        crate::pool::GATE_PERIOD_US + late_us
    }

    /// Counts a hill-climbing move of `threads` threads up (`raised`) or down.
    pub(crate) fn note_climb(&mut self, raised: bool, threads: u32) {
        if raised {
            self.injections.hill_climbing += threads;
            self.window.hill_climbing_raised += threads;
        } else {
            self.injections.hill_climbing_lowered += threads;
            self.window.hill_climbing_lowered += threads;
        }
    }

    pub(crate) fn note_queue_len(&mut self) {
        self.queue_max = self.queue_max.max(self.work.len() as u32);
    }
}
