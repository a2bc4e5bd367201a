//! The discrete-event core: the state of the simulated machine (the `Sim` struct) and how
//! a run is built from a scenario. The rest of the engine is in one file per concern, each
//! an `impl Sim` block over this state:
//!
//! * `types.rs`: the records the state is made of (threads, requests, work items, the
//!   endpoint's compiled steps) and the public enums a snapshot reports;
//! * `event_loop.rs`: the event queue, the clock and `step`;
//! * `metrics.rs`: the bookkeeping behind samples, the summary and the trace;
//! * `load.rs`: the clients: arrivals, timeouts, retries and answers;
//! * `queues.rs`: the pool's queues and handing work items to threads;
//! * `program.rs`: what a thread does with a work item (the endpoint's steps in their
//!   style, tasks, I/O);
//! * `injection.rs`: the pool's goal: the gate, hill climbing, cooperative blocking and
//!   retirement;
//! * `phase.rs`: where a request is in its handler, as the engine moves it;
//! * `cpu.rs`: the OS scheduler; `invariants.rs` and `footprint.rs`: checks and memory.

mod cpu;
mod event_loop;
mod footprint;
mod injection;
mod invariants;
mod load;
mod metrics;
mod phase;
mod program;
mod queues;
mod types;

use std::collections::{BinaryHeap, VecDeque};

use crate::hill_climbing::HillClimbing;
use crate::report::{Histogram, Injections, LimitsHit, Sample, TraceEvent, TraceHasher};
use crate::rng::{SimRng, Stream};
use crate::scenario::{CompletesVia, LoadKind, Scenario, Style, Wait, SIGMA_DEFAULT};
use crate::time::{ms_to_us, SimTime, US_PER_MS};
use crate::validate::FieldError;

pub use footprint::{Footprint, Held};
pub use phase::RequestPhase;
pub use types::{Doing, Finished, Outcome, ThreadState, WorkKind, RECENT_MAX};

pub(crate) use event_loop::{Event, Scheduled};
use metrics::Window;
pub(crate) use types::{Core, IoState, Job, Op, Request, ResourceState, Thread, WorkItem};

/// Longest latency or think time a distribution may draw (24 h), so that a wild draw can
/// neither overflow the clock nor push an event out of any sane range.
const DRAW_CAP_US: u64 = 86_400_000_000;

/// CPU cost of one wake-up of a `Thread.Sleep` polling loop (check the task, sleep again).
pub const POLL_CPU_US: u64 = 2;

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
}
