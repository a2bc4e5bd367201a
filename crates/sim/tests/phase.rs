//! `Sim::request_phase`: where a request is in its handler, as the engine moves it. Until the
//! engine reported it, the page worked the phase out again from the request's trace events
//! (`phase_of` in `src/curriculum/listings.rs`). That reading is kept here as the
//! reference, and after every event of many runs (each style and wait, fast paths,
//! `Task.Run`, resources, several I/O steps, a roomy and a crowded pool, each runtime) the
//! engine's phase of every request seen must equal it, except at the moments where the
//! engine knows what the trace does not show (`Known`), each of which has its own test.

use std::collections::{BTreeMap, BTreeSet};

use sim::RequestPhase::{self, AfterIo, BeforeIo, Done, FastPath, InIo, Queued, Resuming};
use sim::{
    CompletesVia, Dist, Resource, Runtime, Scenario, Sim, Step, Style, TraceEvent, TraceKind, Wait,
};

/// The page's old reading of one request's phase from its trace events, fed one event at a
/// time (the same rules, event for event, as `phase_of` had; `last` and `timed_out` are
/// this test's own notes, for `Known`).
#[derive(Clone, Copy, Debug, Default)]
struct TraceReading {
    phase: Option<RequestPhase>,
    /// The request's latest task has completed.
    task_done: bool,
    /// The queued work item is the rest of the method (an `await`'s continuation), not the
    /// inner completion a blocked `.Result` waits for.
    resumes_method: bool,
    /// A Task.Run body, not the request's own thread, makes the current call.
    offloaded: bool,
    /// The request's thread waits in a Thread.Sleep loop (seen waking up).
    polling: bool,
    /// The kind of the last event read.
    last: Option<TraceKind>,
    /// The client gave up on the request.
    timed_out: bool,
}

impl TraceReading {
    fn read(&mut self, e: &TraceEvent) {
        self.last = Some(e.kind);
        let phase = self.phase;
        self.phase = match e.kind {
            TraceKind::Arrival => Some(Queued),
            TraceKind::Rejected | TraceKind::Response => Some(Done),
            TraceKind::Dequeue => match phase {
                // A continuation whose arrival was dropped from the trace.
                None if e.task.is_some() => Some(AfterIo),
                None | Some(Queued) => Some(BeforeIo),
                Some(Resuming) if self.resumes_method => Some(AfterIo),
                // A Task.Run body or a `.Result`'s inner completion, on another thread.
                other => other,
            },
            TraceKind::TaskCreated => {
                self.task_done = false;
                self.polling = false;
                phase
            }
            TraceKind::TaskCompleted => {
                self.task_done = true;
                match phase {
                    // `.Result`'s inner completion ran: the blocked thread goes on (a
                    // polling thread only at its next wake-up).
                    Some(Resuming) if !self.resumes_method && !self.polling => Some(AfterIo),
                    other => other,
                }
            }
            TraceKind::PollWake => {
                self.polling = true;
                match phase {
                    Some(Resuming) if self.task_done => Some(AfterIo),
                    other => other,
                }
            }
            // A thread that blocks for the request (sync I/O, `.Result`, a Task.Run body),
            // except a poller dozing off again while its inner completion is queued.
            TraceKind::ThreadBlocked => match phase {
                Some(Resuming) => Some(Resuming),
                _ => Some(InIo),
            },
            TraceKind::TaskRunQueued => {
                self.offloaded = true;
                Some(InIo)
            }
            TraceKind::IoStarted | TraceKind::IoWaitResource => Some(InIo),
            TraceKind::IoCompleted => {
                if e.thread.is_some() && !self.offloaded {
                    // Synchronous I/O: the blocked thread itself goes on.
                    Some(AfterIo)
                } else {
                    // A continuation or inner completion is about to be queued (or, under
                    // a synchronization context, never will be).
                    phase
                }
            }
            TraceKind::IoCompletedSynchronously => Some(FastPath),
            TraceKind::ContinuationQueued => {
                self.resumes_method = self.task_done;
                self.offloaded = false;
                Some(Resuming)
            }
            // No queue: the method goes on at once, or (for a `.Result`'s inner
            // completion) its task completes next.
            TraceKind::ContinuationInline => {
                self.resumes_method = self.task_done;
                self.offloaded = false;
                Some(if self.task_done { AfterIo } else { Resuming })
            }
            TraceKind::Timeout => {
                self.timed_out = true;
                phase
            }
            TraceKind::Deadlock
            | TraceKind::ThreadIdle
            | TraceKind::ThreadReady
            | TraceKind::ThreadRunning
            | TraceKind::Preempted
            | TraceKind::ThreadInjected
            | TraceKind::ThreadRetired
            | TraceKind::GoalStarvation
            | TraceKind::GoalCooperative
            | TraceKind::GoalHillClimbingUp
            | TraceKind::GoalHillClimbingDown => phase,
        };
    }
}

/// Where the engine reports a phase its trace cannot show, as (engine, trace reading).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Known {
    /// A timer came due: the wait is over (Resuming), but the trace says nothing until the
    /// timer queue's firing runs (InIo).
    TimerDue,
    /// Answered after its client gave up (Done): the trace has no `Response` for a late
    /// answer.
    LateAnswer,
    /// Between the server's own work items (`endpoint.server_items`) the request waits in
    /// the queue again (Queued); the trace shows the dequeues only (BeforeIo).
    ServerItems,
    /// The task completed while a polling thread sleeps before its first wake-up
    /// (Resuming): until a wake-up the trace cannot tell a polling wait from `.Result`
    /// (AfterIo).
    PollNotWokenYet,
    /// A polling thread, awake, found the completed task at its check (AfterIo); the trace
    /// shows its wake-up before the task completed, and nothing after (Resuming).
    PollNoticed,
}

fn known(engine: RequestPhase, trace: &TraceReading) -> Option<Known> {
    let reading = trace.phase?;
    match (engine, reading) {
        (Resuming, InIo)
            if matches!(
                trace.last,
                Some(TraceKind::IoCompleted | TraceKind::TaskCompleted)
            ) =>
        {
            Some(Known::TimerDue)
        }
        (Done, _) if trace.timed_out => Some(Known::LateAnswer),
        (Queued, BeforeIo) => Some(Known::ServerItems),
        (Resuming, AfterIo) if !trace.polling => Some(Known::PollNotWokenYet),
        (AfterIo, Resuming) if trace.task_done && trace.polling => Some(Known::PollNoticed),
        _ => None,
    }
}

/// What comparing one run found.
#[derive(Debug, Default)]
struct Compared {
    /// (request, moment) pairs compared.
    moments: u64,
    /// Every phase the engine reported.
    phases: BTreeSet<RequestPhase>,
    /// The known differences met, with how often.
    known: BTreeMap<Known, u64>,
}

/// Runs `s` event by event and, after each event, compares the engine's phase of every
/// request not yet done with the trace's reading of it; panics at a difference that
/// `Known` does not explain.
fn compare(name: &str, mut s: Scenario) -> Compared {
    s.limits.trace_events = 1_000_000;
    let mut sim = Sim::new(s).expect("valid");
    let mut readings: BTreeMap<u64, TraceReading> = BTreeMap::new();
    let mut read = 0u64;
    let mut out = Compared::default();
    let mut events = 0u64;
    while sim.step() {
        events += 1;
        let trace = sim.trace();
        let new = (sim.trace_total() - read) as usize;
        assert!(new <= trace.len(), "{name}: the trace is kept whole");
        for e in trace.iter().skip(trace.len() - new) {
            if let Some(r) = e.request {
                readings.entry(r).or_default().read(e);
            }
        }
        read = sim.trace_total();
        readings.retain(|&id, reading| {
            let engine = sim
                .request_phase(id)
                .unwrap_or_else(|| panic!("{name}: request {id} has arrived"));
            out.moments += 1;
            out.phases.insert(engine);
            if Some(engine) != reading.phase {
                let Some(k) = known(engine, reading) else {
                    panic!(
                        "{name}, event {events} at {} µs: request {id} is {engine:?} in the \
                         engine, {:?} in its trace ({reading:?})",
                        sim.now().0,
                        reading.phase
                    );
                };
                *out.known.entry(k).or_default() += 1;
            }
            // Done is for good: nothing more to compare.
            !(engine == Done && reading.phase == Some(Done))
        });
    }
    // Nothing arrives after the end.
    assert_eq!(sim.request_phase(sim.summary().arrived), None, "{name}");
    out
}

fn io_program(complete_sync: f64) -> Vec<Step> {
    let mut io = Step::io(20.0, Dist::Fixed, None);
    io.complete_sync = complete_sync;
    vec![Step::cpu(0.3), io, Step::cpu(0.3)]
}

fn task_run_program() -> Vec<Step> {
    let mut body = Step::cpu(2.0);
    body.task_run = true;
    vec![Step::cpu(0.1), body, Step::cpu(0.1)]
}

/// The programs the listings stand for, and some they meet on the page: one I/O call
/// (slow, or complete half the time), two calls, CPU in `Task.Run`, a call through a
/// small connection pool, CPU only.
fn programs() -> Vec<(&'static str, Vec<Step>)> {
    vec![
        ("io", io_program(0.0)),
        ("io-half-sync", io_program(0.5)),
        (
            "two-io",
            vec![
                Step::cpu(0.2),
                Step::io(5.0, Dist::Fixed, None),
                Step::cpu(0.2),
                Step::io(5.0, Dist::Exponential, None),
                Step::cpu(0.2),
            ],
        ),
        ("task-run", task_run_program()),
        (
            "resource",
            vec![
                Step::cpu(0.3),
                Step::io(10.0, Dist::Lognormal, Some("db")),
                Step::cpu(0.3),
            ],
        ),
        ("cpu", vec![Step::cpu(2.0)]),
    ]
}

/// Each style, and `sync_over_async` with each wait. A polling thread wakes every 1 ms,
/// before any of the programs' waits ends (see `Known::PollNotWokenYet`).
const STYLES: [(Style, Wait); 6] = [
    (Style::Blocking, Wait::Result),
    (Style::Async, Wait::Result),
    (Style::SyncOverAsync, Wait::Result),
    (Style::SyncOverAsync, Wait::SleepPoll),
    (Style::TaskRunWrap, Wait::Result),
    (Style::CpuBound, Wait::Result),
];

/// How many users against how big a pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Load {
    /// A few users against a roomy pool: nothing waits for a thread.
    Roomy,
    /// Twice as many users as threads on two cores: work waits, and every request ends.
    Busy,
    /// A crowd against a small pool on two cores: work waits in the queue while the pool
    /// grows by its own rules (a blocking style starves).
    Crowded,
}

fn scenario(style: Style, wait: Wait, steps: Vec<Step>, load: Load) -> Scenario {
    let mut s = Scenario {
        duration_ms: 600,
        ..Scenario::default()
    };
    s.endpoint.style = style;
    s.endpoint.wait = wait;
    s.endpoint.poll_ms = 1;
    s.endpoint.steps = steps;
    s.resources.insert("db".into(), Resource { capacity: 2 });
    let (duration_ms, cores, threads, users, think_ms, ramp_ms) = match load {
        Load::Roomy => (600, 4, 16, 4, 10.0, 20),
        Load::Busy => (1_000, 2, 4, 8, 5.0, 0),
        Load::Crowded => (1_500, 2, 2, 24, 5.0, 0),
    };
    s.duration_ms = duration_ms;
    s.machine.cores = cores;
    s.pool.min_threads = Some(threads);
    s.load.users = users;
    s.load.think_ms = think_ms;
    s.load.ramp_ms = ramp_ms;
    s
}

#[test]
fn the_engine_reports_what_the_trace_shows_at_every_event() {
    let mut phases = BTreeSet::new();
    let mut moments = 0;
    for (program, steps) in programs() {
        for (style, wait) in STYLES {
            for (load, runtime) in [
                (Load::Roomy, Runtime::Net8),
                (Load::Busy, Runtime::Net8),
                (Load::Crowded, Runtime::Net6),
                (Load::Crowded, Runtime::Net8),
                (Load::Crowded, Runtime::Net10),
            ] {
                let name = format!("{program} {style:?} {wait:?} {load:?} {runtime:?}");
                let mut s = scenario(style, wait, steps.clone(), load);
                s.pool.runtime = runtime;
                let out = compare(&name, s);
                // Only a polling thread's wait may differ: the trace does not show its
                // check, nor that it polls before its first wake-up (a call drawn from an
                // exponential or log-normal latency may end within the 1 ms).
                for k in out.known.keys() {
                    assert!(
                        matches!(k, Known::PollNoticed | Known::PollNotWokenYet)
                            && wait == Wait::SleepPoll,
                        "{name}: {k:?}"
                    );
                }
                phases.extend(out.phases);
                moments += out.moments;
            }
        }
    }
    assert_eq!(
        phases.into_iter().collect::<Vec<_>>(),
        RequestPhase::ALL,
        "every phase is met"
    );
    assert!(moments > 100_000, "{moments} moments compared");
}

#[test]
fn a_deadlocked_request_stays_in_its_wait() {
    let mut s = scenario(
        Style::SyncOverAsync,
        Wait::Result,
        io_program(0.0),
        Load::Roomy,
    );
    s.pool.synchronization_context = true;
    let out = compare("sync context", s.clone());
    assert!(out.known.is_empty(), "{:?}", out.known);
    let mut sim = Sim::new(s).expect("valid");
    let summary = sim.run_to_end();
    assert!(summary.deadlocked > 0);
    let deadlocked = sim
        .trace()
        .iter()
        .find(|e| e.kind == TraceKind::Deadlock)
        .and_then(|e| e.request)
        .expect("a deadlock");
    assert_eq!(sim.request_phase(deadlocked), Some(InIo));
}

#[test]
fn a_timer_that_came_due_is_resuming_before_its_firing_runs() {
    for (style, wait) in [
        (Style::Async, Wait::Result),
        (Style::SyncOverAsync, Wait::Result),
    ] {
        for load in [Load::Roomy, Load::Busy] {
            let mut steps = io_program(0.0);
            steps[1].completes_via = CompletesVia::Timer;
            // The firing waits for a thread, or at least for the thread's dispatch cost:
            // meanwhile the engine says the wait is over, which the trace cannot.
            let out = compare("timer", scenario(style, wait, steps, load));
            let kinds: Vec<&Known> = out.known.keys().collect();
            assert_eq!(kinds, [&Known::TimerDue], "{style:?} {load:?}");
        }
    }
}

#[test]
fn a_late_answer_is_done() {
    let mut s = scenario(Style::Blocking, Wait::Result, io_program(0.0), Load::Busy);
    s.load.timeout_ms = 30;
    let out = compare("late", s.clone());
    assert_eq!(
        out.known.keys().collect::<Vec<_>>(),
        [&Known::LateAnswer],
        "{:?}",
        out.known
    );
    let mut sim = Sim::new(s).expect("valid");
    while sim.step() {
        let late = sim
            .snapshot()
            .recent
            .iter()
            .find(|f| f.outcome == sim::Outcome::Late)
            .copied();
        if let Some(late) = late {
            assert_eq!(sim.request_phase(late.request), Some(Done));
            return;
        }
    }
    panic!("no late answer");
}

#[test]
fn between_the_servers_own_work_items_a_request_is_queued() {
    let mut s = scenario(Style::Async, Wait::Result, io_program(0.0), Load::Busy);
    s.endpoint.server_items = 3;
    let out = compare("server items", s);
    assert_eq!(
        out.known.keys().collect::<Vec<_>>(),
        [&Known::ServerItems],
        "{:?}",
        out.known
    );
}

#[test]
fn a_polling_thread_goes_on_at_its_wake_up_not_before() {
    // The task completes (3 ms) before the first wake-up (10 ms): the engine says
    // Resuming until the thread wakes and sees it; the trace could not tell.
    let mut steps = io_program(0.0);
    steps[1].io_ms = Some(3.0);
    let mut s = scenario(Style::SyncOverAsync, Wait::SleepPoll, steps, Load::Roomy);
    s.endpoint.poll_ms = 10;
    let out = compare("poll", s.clone());
    assert_eq!(
        out.known.keys().collect::<Vec<_>>(),
        [&Known::PollNotWokenYet],
        "{:?}",
        out.known
    );
    // Request 0: Resuming from the event its task completes in to its next wake-up.
    let mut sim = Sim::new(s).expect("valid");
    let mut completed = false;
    loop {
        let before = sim.trace_total();
        assert!(sim.step(), "request 0 wakes before the end");
        let new = (sim.trace_total() - before) as usize;
        let trace = sim.trace();
        let mine = |kind| {
            trace
                .iter()
                .skip(trace.len() - new)
                .any(|e| e.kind == kind && e.request == Some(0))
        };
        completed |= mine(TraceKind::TaskCompleted);
        let woke = completed && mine(TraceKind::PollWake);
        if completed {
            let expected = if woke { AfterIo } else { Resuming };
            assert_eq!(sim.request_phase(0), Some(expected));
        }
        if woke {
            return;
        }
    }
}

#[test]
fn a_request_has_no_phase_before_it_arrives_and_is_done_after() {
    let s = scenario(Style::Async, Wait::Result, io_program(0.0), Load::Roomy);
    let mut sim = Sim::new(s).expect("valid");
    assert_eq!(sim.request_phase(0), None);
    let summary = sim.run_to_end();
    assert_eq!(sim.request_phase(0), Some(Done));
    assert_eq!(sim.request_phase(summary.arrived), None);
}
