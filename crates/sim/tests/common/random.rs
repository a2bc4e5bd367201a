//! Random scenarios, and the run that checks one. Shared by `invariants.rs` (160 seeds on
//! every `cargo test`) and `soak.rs` (10,000 seeds, ignored; `scripts/test.sh` runs it in
//! an optimised build).
//!
//! `random_scenario(seed)` reaches every style, load kind, wait, runtime, distribution,
//! `completes_via`, switch and limit, and both ends of every range in `SCENARIO.md`
//! (`generator_reaches_every_edge` checks that over 10,000 seeds). Each scenario is kept
//! small: a short run, few users or arrivals, and where a field takes a value that would
//! make a run long (100,000 users, a million arrivals a second, a day's duration) the
//! fields around it keep the run short. `check_seed` runs one to its end (or to
//! `EVENTS_CAP` events) with the engine's invariants checked after every event.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use sim::rng::{SimRng, Stream};
use sim::{
    Burst, CompletesVia, Dist, LoadKind, Resource, Runtime, Scenario, Sim, Step, Style,
    ThreadState, TraceKind, Wait,
};

/// Most events the test harness runs of one scenario (its own cap, not the scenario's
/// `limits.max_events`): a run that would go on is checked up to here and counted as cut.
pub const EVENTS_CAP: u64 = 100_000;

/// Most work the checks may do on one scenario, counted after each event as the entries
/// they walk (threads, queued items, requests in flight, I/O calls, cores): a run whose
/// state grows large (a retry storm of 50,000 requests in the queue) is cut here, so no
/// seed takes more than about half a second.
pub const CHECK_WORK_CAP: u64 = 40_000_000;

/// Trace kinds, by code, for coverage counts: every kind the engine names.
pub const TRACE_KINDS: usize = TraceKind::ALL.len();

/// Draws for one scenario.
struct Gen(SimRng);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: u64) -> bool {
        self.next() % n == 0
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }

    /// A whole number in `low..=high`.
    fn int(&mut self, low: u64, high: u64) -> u64 {
        match (high - low).checked_add(1) {
            Some(span) => low + self.next() % span,
            None => self.next(),
        }
    }

    /// A whole number of the range `low..=high`: each end one time in ten, else one in
    /// `low..=typical` (a value that keeps runs short).
    fn edge(&mut self, low: u64, high: u64, typical: u64) -> u64 {
        match self.next() % 10 {
            0 => low,
            1 => high,
            _ => self.int(low, typical.clamp(low, high)),
        }
    }

    /// A number with up to three decimals in `low..=high`, as a person types it.
    fn milli(&mut self, low: f64, high: f64) -> f64 {
        let (lo, hi) = (
            (low * 1000.0).round() as u64,
            (high * 1000.0).round() as u64,
        );
        self.int(lo, hi) as f64 / 1000.0
    }

    /// A number of the range `low..=high`: each end one time in ten, now and then a value
    /// with all seventeen digits, else one in `low..=typical`.
    fn edge_f(&mut self, low: f64, high: f64, typical: f64) -> f64 {
        match self.next() % 20 {
            0 | 1 => low,
            2 | 3 => high,
            4 => low + (typical.min(high) - low) * self.0.unit_open0(),
            _ => self.milli(low, typical.min(high)),
        }
    }
}

/// A resource name: plain, or 1 or 64 characters, some of them outside ASCII.
fn resource_name(g: &mut Gen, i: usize) -> String {
    match g.next() % 6 {
        0 => char::from(b'a' + (i % 26) as u8).to_string(),
        1 => {
            let head: String = format!("r{i}-");
            let mut name: String = head;
            while name.chars().count() < 64 {
                name.push(g.pick(&['é', 'x', '数', '-', ' ', '🦀']));
            }
            name
        }
        2 => format!("база-{i}"),
        _ => format!("db{i}"),
    }
}

fn style(g: &mut Gen) -> Style {
    g.pick(&[
        Style::Blocking,
        Style::Async,
        Style::SyncOverAsync,
        Style::TaskRunWrap,
        Style::CpuBound,
    ])
}

fn dist(g: &mut Gen) -> Dist {
    g.pick(&[Dist::Fixed, Dist::Exponential, Dist::Lognormal])
}

/// A random but valid scenario, small enough to run in milliseconds. The same seed gives
/// the same scenario on every machine.
pub fn random_scenario(seed: u64) -> Scenario {
    let g = &mut Gen(SimRng::new(seed, Stream::Arrivals));
    let mut s = Scenario {
        seed: match g.next() % 64 {
            0 => 0,
            1 => u64::MAX,
            _ => seed,
        },
        duration_ms: if g.one_in(30) {
            g.pick(&[1, 2, 7])
        } else {
            g.int(100, 2_500)
        },
        sample_window_ms: g.pick(&[1, 7, 50, 100, 100, 333, 3_600_000]),
        ..Scenario::default()
    };
    // A long run (an hour, or a day: the range's end) with a quiet load.
    let long = g.one_in(100);
    if long {
        s.duration_ms = g.pick(&[3_600_000, 86_400_000]);
        s.sample_window_ms = g.pick(&[1_000, 60_000, 3_600_000]);
    }

    let m = &mut s.machine;
    m.cores = g.edge(1, 1_024, 8) as u32;
    m.context_switch_us = g.pick(&[0, 0, 3, 50, 2_000, 100_000]);
    m.time_slice_ms = g.edge(1, 1_000, 100);
    m.stack_reserve_kb = g.edge(4, 16_777_216, 4_096);
    m.stack_commit_kb = g.edge(4, m.stack_reserve_kb, 256.min(m.stack_reserve_kb));

    let p = &mut s.pool;
    p.max_threads = g.edge(1, 32_767, 200) as u32;
    p.min_threads = match g.next() % 3 {
        0 => None,
        _ => Some(g.edge(1, p.max_threads.into(), 64) as u32),
    };
    if p.min_threads.is_none() && s.machine.cores > p.max_threads {
        // The minimum defaults to the cores; give one the maximum allows.
        p.min_threads = Some(g.int(1, p.max_threads.into()) as u32);
    }
    p.starvation_injection = !g.one_in(4);
    p.cooperative_blocking = !g.one_in(4);
    p.hill_climbing = !g.one_in(4);
    p.synchronization_context = g.one_in(5);
    p.idle_timeout_ms = g.edge(1, 86_400_000, 20_000);
    p.work_item_us = g.edge(0, 1_000_000, 100);
    p.gate_jitter_ms = g.edge(0, 100, 20);
    p.runtime = g.pick(&[Runtime::Net6, Runtime::Net8, Runtime::Net10]);
    p.queue_limit = match g.next() % 2 {
        0 => None,
        _ => Some(g.edge(0, 10_000_000, 100) as u32),
    };

    let l = &mut s.load;
    l.kind = g.pick(&[LoadKind::Closed, LoadKind::Open]);
    l.users = g.edge(1, 100_000, 300) as u32;
    l.think_ms = g.edge_f(0.0, 3_600_000.0, 100.0);
    l.think_dist = dist(g);
    l.ramp_ms = g.edge(0, 3_600_000, 1_000);
    l.retry_ms = g.edge(1, 3_600_000, 100);
    l.rate_per_s = g.edge_f(0.001, 1_000_000.0, 2_000.0);
    if g.one_in(3) {
        let n = g.pick(&[1, 1, 2, 3, 64]);
        l.bursts = (0..n)
            .map(|_| Burst {
                start_ms: g.edge(0, 86_400_000, 1_500),
                duration_ms: g.edge(1, 86_400_000, 500),
                rate_per_s: g.edge_f(0.0, 1_000_000.0, 3_000.0),
            })
            .collect();
    }
    l.timeout_ms = g.edge(1, 86_400_000, 30_000);
    if g.one_in(2) {
        l.attempt_timeout_ms = Some(g.edge(1, 86_400_000, 300));
    }
    l.attempts = g.edge(1, 10, 3) as u32;

    let e = &mut s.endpoint;
    e.style = style(g);
    e.wait = g.pick(&[Wait::Result, Wait::SleepPoll]);
    e.poll_ms = g.edge(1, 60_000, 10);
    e.server_items = g.int(1, 4) as u32;

    let resources = match g.next() % 8 {
        0..=3 => 0,
        4 | 5 => 1,
        6 => g.int(2, 3) as usize,
        _ => 64,
    };
    let mut names = Vec::new();
    let mut map = BTreeMap::new();
    for i in 0..resources {
        let name = resource_name(g, i);
        let capacity = g.edge(1, 1_000_000, 20) as u32;
        if map.insert(name.clone(), Resource { capacity }).is_none() {
            names.push(name);
        }
    }
    s.resources = map;

    let n_steps = if g.one_in(20) { 64 } else { g.int(1, 6) };
    s.endpoint.steps = (0..n_steps)
        .map(|_| {
            if g.one_in(2) {
                let mut step = Step::cpu(g.edge_f(0.0, 600_000.0, 20.0));
                step.task_run = g.one_in(4);
                step
            } else {
                let resource = if !names.is_empty() && g.one_in(2) {
                    Some(names[(g.next() % names.len() as u64) as usize].as_str())
                } else {
                    None
                };
                let mut step = Step::io(g.edge_f(0.0, 3_600_000.0, 400.0), dist(g), resource);
                if g.one_in(4) {
                    step.sigma = Some(g.edge_f(0.0, 4.0, 2.0));
                }
                step.complete_sync = g.pick(&[0.0, 0.0, 0.0, 0.5, 1.0, 0.05]);
                if g.one_in(3) {
                    step.completes_via = CompletesVia::Timer;
                }
                step
            }
        })
        .collect();

    let lim = &mut s.limits;
    lim.max_in_flight = g.edge(1, 1_000_000, 100) as u32;
    lim.trace_events = g.pick(&[0, 1, 16, 4_096, 4_096, 1_000_000]);
    lim.samples = g.pick(&[0, 1, 10, 100_000, 100_000, 1_000_000]);
    lim.max_events = match g.next() % 16 {
        0 => g.pick(&[1, 2, 100]),
        1 => g.int(1, 5_000),
        2 => 10_000_000_000,
        _ => lim.max_events,
    };

    keep_small(g, &mut s, long);
    if s.validate().is_err() {
        // The only refusal the choices above can hit: a closed loop of zero-cost requests.
        s.load.think_ms = 3.0;
    }
    s
}

/// Keeps the run short where the fields drawn would make it long: bounds the arrivals of
/// an open load, and the events of a large crowd or a long run.
fn keep_small(g: &mut Gen, s: &mut Scenario, long: bool) {
    let l = &mut s.load;
    if long {
        // A few users who think for minutes, or a trickle of arrivals.
        l.users = l.users.min(3);
        l.think_ms = l.think_ms.max(60_000.0);
        l.rate_per_s = l.rate_per_s.min(0.01);
        l.retry_ms = l.retry_ms.max(60_000);
        for b in &mut l.bursts {
            b.rate_per_s = b.rate_per_s.min(0.01);
        }
        return;
    }
    match l.kind {
        LoadKind::Open => {
            // At most a few thousand arrivals at the highest rate the run can see.
            let peak = l
                .bursts
                .iter()
                .map(|b| b.rate_per_s)
                .fold(l.rate_per_s, f64::max);
            let most_ms = (3_000.0 / peak * 1_000.0).ceil().max(1.0) as u64;
            s.duration_ms = s.duration_ms.min(most_ms);
        }
        LoadKind::Closed if l.users > 2_000 => {
            // A crowd: all of it sends, few get in, and the run ends before most retry.
            s.limits.max_in_flight = s.limits.max_in_flight.min(g.int(1, 300) as u32);
            s.duration_ms = s.duration_ms.min(g.int(1, 100));
            l.retry_ms = l.retry_ms.max(s.duration_ms);
            l.think_ms = l.think_ms.max(s.duration_ms as f64);
            l.attempt_timeout_ms = l.attempt_timeout_ms.map(|ms| ms.max(s.duration_ms));
        }
        LoadKind::Closed => {}
    }
}

/// What one checked run did.
#[derive(Clone, Debug, Default)]
pub struct RunStats {
    /// Events processed.
    pub events: u64,
    /// The harness stopped it at `EVENTS_CAP` or `CHECK_WORK_CAP`.
    pub cut: bool,
    /// The scenario's own `limits.max_events` stopped it.
    pub event_limit: bool,
    /// Trace events seen, by kind (those the trace buffer still held after each event).
    pub kinds: [u64; TRACE_KINDS],
}

/// Runs `random_scenario(seed)` to its end (or `EVENTS_CAP` events, or `CHECK_WORK_CAP`
/// work), checking the engine's
/// invariants after every event, then the summary and the samples. An error names the
/// seed; a panic in the engine is caught and named the same way.
pub fn check_seed(seed: u64) -> Result<RunStats, String> {
    let scenario = random_scenario(seed);
    match catch_unwind(AssertUnwindSafe(|| check_run(scenario))) {
        Ok(result) => result.map_err(|e| format!("seed {seed}: {e}")),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            Err(format!("seed {seed}: the engine panicked: {message}"))
        }
    }
}

fn check_run(scenario: Scenario) -> Result<RunStats, String> {
    if let Err(e) = scenario.validate() {
        return Err(format!("the generator made an invalid scenario: {e:?}"));
    }
    let mut sim = Sim::new(scenario).map_err(|e| format!("refused: {e:?}"))?;
    let cores = sim.scenario().machine.cores;
    let max_threads = sim.scenario().pool.max_threads;
    let mut stats = RunStats::default();
    let mut last = sim.now();
    let mut last_completed = 0;
    let mut trace_seen = sim.trace_total();
    let mut work = 0u64;
    while sim.step() {
        sim.check_invariants()?;
        if sim.now() < last {
            return Err(format!(
                "the clock went back from {} to {}",
                last,
                sim.now()
            ));
        }
        last = sim.now();
        let snap = sim.snapshot();
        if snap.counters.completed < last_completed {
            return Err("the completed count fell".to_owned());
        }
        last_completed = snap.counters.completed;
        let running = snap.threads_in(ThreadState::Running);
        if running > cores {
            return Err(format!("{running} threads running on {cores} cores"));
        }
        let new = (sim.trace_total() - trace_seen) as usize;
        trace_seen = sim.trace_total();
        for event in sim.trace().iter().rev().take(new) {
            stats.kinds[event.kind.code() as usize] += 1;
        }
        work += 1
            + u64::from(snap.threads_total)
            + u64::from(snap.pool_queue_total)
            + u64::from(snap.local_queue_total)
            + u64::from(snap.io_total)
            + snap.counters.in_flight
            + snap.cores.len() as u64 / 4;
        if sim.events_processed() >= EVENTS_CAP || work >= CHECK_WORK_CAP {
            stats.cut = true;
            break;
        }
    }
    sim.check_invariants()
        .map_err(|e| format!("at the end: {e}"))?;
    let summary = sim.summary();
    stats.events = summary.events;
    stats.event_limit = summary.limits_hit.max_events;
    if summary.arrived
        != summary.completed
            + summary.failed
            + summary.rejected
            + summary.in_flight
            + summary.attempts_abandoned
    {
        return Err(format!(
            "requests not conserved in the summary: {summary:?}"
        ));
    }
    if summary.threads.max > max_threads {
        return Err(format!(
            "{} threads at most, above the maximum {max_threads}",
            summary.threads.max
        ));
    }
    if summary.cpu_useful_pct + summary.cpu_switching_pct > 100.0 + 1e-9 {
        return Err(format!(
            "the run used {} % CPU",
            summary.cpu_useful_pct + summary.cpu_switching_pct
        ));
    }
    let samples_max = sim.scenario().limits.samples as usize;
    if sim.samples().len() > samples_max {
        return Err(format!(
            "{} samples kept, limit {samples_max}",
            sim.samples().len()
        ));
    }
    let trace_max = sim.scenario().limits.trace_events as usize;
    if sim.trace().len() > trace_max {
        return Err(format!(
            "{} trace events kept, limit {trace_max}",
            sim.trace().len()
        ));
    }
    for sample in sim.samples() {
        if sample.threads_running > cores {
            return Err(format!("window at {} ms: threads running", sample.time_ms));
        }
        let cpu = sample.cpu_useful_pct + sample.cpu_switching_pct;
        if cpu > 100.0 + 1e-6 {
            return Err(format!("window at {} ms uses {cpu} % CPU", sample.time_ms));
        }
    }
    Ok(stats)
}

/// The name of a trace kind's code, for the soak's coverage line.
pub fn kind_name(code: usize) -> String {
    TraceKind::ALL
        .iter()
        .find(|k| k.code() as usize == code)
        .map_or_else(|| format!("#{code}"), |k| k.name().to_owned())
}
