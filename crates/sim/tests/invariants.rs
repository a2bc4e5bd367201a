//! Invariants over many random scenarios and seeds, checked after every event. A failure
//! names the seed, so `random_scenario(seed)` rebuilds the case exactly.

mod common;

use sim::rng::{SimRng, Stream};
use sim::{LoadKind, Scenario, Sim, Style};

use common::random::{check_seed, random_scenario, RunStats};

/// Seeds of the default run; the soak (`soak.rs`, ignored) runs 10,000.
const SEEDS: u64 = 160;

#[test]
fn random_scenarios_keep_every_invariant() {
    let mut total = RunStats::default();
    for seed in 0..SEEDS {
        let stats = check_seed(seed).unwrap_or_else(|e| panic!("{e}"));
        total.events += stats.events;
        for (sum, n) in total.kinds.iter_mut().zip(stats.kinds) {
            *sum += n;
        }
    }
    let fast_paths = total.kinds[sim::TraceKind::IoCompletedSynchronously.code() as usize];
    assert!(
        fast_paths > 1_000,
        "the random scenarios hardly took the complete_sync fast path: {fast_paths}"
    );
    assert!(
        total.events > 100_000,
        "the random scenarios did too little: {} events",
        total.events
    );
}

#[test]
fn event_limit_stops_the_run_visibly() {
    // The default scenario runs 10 s with 125 users: far more than 100 events.
    let mut s = Scenario::default();
    s.limits.max_events = 100;
    let mut sim = Sim::new(s).expect("valid");
    let summary = sim.run_to_end();
    assert_eq!(summary.events, 100);
    assert!(summary.limits_hit.max_events);
    assert!(!sim.step());
}

#[test]
fn a_run_stopped_by_its_event_limit_books_no_cpu_past_the_stop() {
    // A CPU segment is booked whole when it starts; a run stopped mid-segment by
    // limits.max_events used to count the part after the stop in its last sample (the
    // soak's seed 266: 33,013 % CPU in a window 0.3 ms long).
    let mut s = Scenario::default();
    s.machine.cores = 1;
    s.machine.context_switch_us = 100_000;
    s.sample_window_ms = 1_000;
    s.load.ramp_ms = 1_000;
    let mut checked = 0;
    for max_events in [1, 5, 50, 500, 5_000] {
        s.limits.max_events = max_events;
        let mut sim = Sim::new(s.clone()).expect("valid");
        let summary = sim.run_to_end();
        assert!(summary.limits_hit.max_events);
        assert!(summary.cpu_useful_pct + summary.cpu_switching_pct <= 100.0 + 1e-9);
        // A run stopped at 0 s has no window at all.
        if let Some(last) = sim.samples().last() {
            let cpu = last.cpu_useful_pct + last.cpu_switching_pct;
            assert!(cpu <= 100.0 + 1e-9, "{max_events} events: {cpu} % CPU");
            checked += 1;
        }
    }
    assert!(checked >= 3, "only {checked} runs had a last window");
}

#[test]
fn in_flight_limit_rejects_and_counts() {
    let mut s = Scenario::default();
    s.load.kind = LoadKind::Open;
    s.load.rate_per_s = 1_000.0;
    s.endpoint.style = Style::Blocking;
    s.pool.max_threads = 4;
    s.limits.max_in_flight = 10;
    s.duration_ms = 2_000;
    let (_, summary) = common::run(s);
    assert!(summary.rejected > 0);
    assert_eq!(summary.limits_hit.in_flight, summary.rejected);
    assert!(summary.limits_hit.max_threads > 0);
}

#[test]
#[ignore]
fn debug_seed() {
    let seed: u64 = std::env::var("SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut s = random_scenario(seed);
    s.limits.trace_events = 4096;
    eprintln!("{}", s.to_json());
    let mut sim = Sim::new(s).expect("valid");
    while sim.step() {
        if let Err(e) = sim.check_invariants() {
            for ev in sim
                .trace()
                .iter()
                .rev()
                .take(30)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
            {
                eprintln!("{ev:?}");
            }
            panic!("{e}");
        }
    }
}

#[test]
fn random_seeks_are_exact() {
    for seed in 200..212u64 {
        let mut scenario = random_scenario(seed);
        // Each seek replays from a fresh run: keep the runs short.
        scenario.limits.max_events = scenario.limits.max_events.min(20_000);
        let mut timeline =
            sim::Timeline::with_limits(Sim::new(scenario.clone()).expect("valid"), 97, 6);
        let mut rng = SimRng::new(seed, Stream::Think);
        while timeline.step() {}
        let total = timeline.sim().events_processed();
        for _ in 0..4 {
            let n = rng.next_u64() % (total + 1);
            timeline.seek(n);
            let mut fresh = Sim::new(scenario.clone()).expect("valid");
            for _ in 0..n {
                fresh.step();
            }
            assert_eq!(
                timeline.sim().trace_hash(),
                fresh.trace_hash(),
                "seed {seed}, seek({n})"
            );
            assert_eq!(
                timeline.sim().summary(),
                fresh.summary(),
                "seed {seed}, seek({n})"
            );
            assert_eq!(
                timeline.sim().samples(),
                fresh.samples(),
                "seed {seed}, seek({n})"
            );
        }
    }
}

/// The generator reaches both ends of every range `SCENARIO.md` gives and every value of
/// every choice, over the soak's 10,000 seeds (generated only, not run: this takes well
/// under a second).
#[test]
fn generator_reaches_every_edge() {
    use std::collections::{BTreeMap, BTreeSet};

    // (field, low, high), from SCENARIO.md / validate.rs.
    const RANGES: &[(&str, f64, f64)] = &[
        ("seed", 0.0, u64::MAX as f64),
        ("duration_ms", 1.0, 86_400_000.0),
        ("sample_window_ms", 1.0, 3_600_000.0),
        ("machine.cores", 1.0, 1_024.0),
        ("machine.context_switch_us", 0.0, 100_000.0),
        ("machine.time_slice_ms", 1.0, 1_000.0),
        ("machine.stack_reserve_kb", 4.0, 16_777_216.0),
        ("machine.stack_commit_kb", 4.0, 16_777_216.0),
        ("pool.min_threads", 1.0, 32_767.0),
        ("pool.max_threads", 1.0, 32_767.0),
        ("pool.idle_timeout_ms", 1.0, 86_400_000.0),
        ("pool.gate_jitter_ms", 0.0, 100.0),
        ("pool.work_item_us", 0.0, 1_000_000.0),
        ("pool.queue_limit", 0.0, 10_000_000.0),
        ("load.users", 1.0, 100_000.0),
        ("load.think_ms", 0.0, 3_600_000.0),
        ("load.ramp_ms", 0.0, 3_600_000.0),
        ("load.retry_ms", 1.0, 3_600_000.0),
        ("load.rate_per_s", 0.001, 1_000_000.0),
        ("load.bursts (count)", 0.0, 64.0),
        ("load.bursts[].start_ms", 0.0, 86_400_000.0),
        ("load.bursts[].duration_ms", 1.0, 86_400_000.0),
        ("load.bursts[].rate_per_s", 0.0, 1_000_000.0),
        ("load.timeout_ms", 1.0, 86_400_000.0),
        ("load.attempt_timeout_ms", 1.0, 86_400_000.0),
        ("load.attempts", 1.0, 10.0),
        ("endpoint.poll_ms", 1.0, 60_000.0),
        ("endpoint.server_items", 1.0, 4.0),
        ("endpoint.steps (count)", 1.0, 64.0),
        ("endpoint.steps[].cpu_ms", 0.0, 600_000.0),
        ("endpoint.steps[].io_ms", 0.0, 3_600_000.0),
        ("endpoint.steps[].sigma", 0.0, 4.0),
        ("endpoint.steps[].complete_sync", 0.0, 1.0),
        ("resources (count)", 0.0, 64.0),
        ("resources (name characters)", 1.0, 64.0),
        ("resources.*.capacity", 1.0, 1_000_000.0),
        ("limits.max_in_flight", 1.0, 1_000_000.0),
        ("limits.trace_events", 0.0, 1_000_000.0),
        ("limits.samples", 0.0, 1_000_000.0),
        ("limits.max_events", 1.0, 10_000_000_000.0),
    ];
    let mut seen: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    let mut choices: BTreeSet<String> = BTreeSet::new();
    let mut see = |field: &'static str, v: f64| {
        let e = seen
            .entry(field)
            .or_insert((f64::INFINITY, f64::NEG_INFINITY));
        *e = (e.0.min(v), e.1.max(v));
    };
    for seed in 0..10_000u64 {
        let s = random_scenario(seed);
        assert!(s.validate().is_ok(), "seed {seed}: {:?}", s.validate());
        see("seed", s.seed as f64);
        see("duration_ms", s.duration_ms as f64);
        see("sample_window_ms", s.sample_window_ms as f64);
        let m = &s.machine;
        see("machine.cores", m.cores.into());
        see("machine.context_switch_us", m.context_switch_us as f64);
        see("machine.time_slice_ms", m.time_slice_ms as f64);
        see("machine.stack_reserve_kb", m.stack_reserve_kb as f64);
        see("machine.stack_commit_kb", m.stack_commit_kb as f64);
        let p = &s.pool;
        if let Some(min) = p.min_threads {
            see("pool.min_threads", min.into());
        }
        see("pool.max_threads", p.max_threads.into());
        see("pool.idle_timeout_ms", p.idle_timeout_ms as f64);
        see("pool.gate_jitter_ms", p.gate_jitter_ms as f64);
        see("pool.work_item_us", p.work_item_us as f64);
        if let Some(limit) = p.queue_limit {
            see("pool.queue_limit", limit.into());
        }
        let l = &s.load;
        see("load.users", l.users.into());
        see("load.think_ms", l.think_ms);
        see("load.ramp_ms", l.ramp_ms as f64);
        see("load.retry_ms", l.retry_ms as f64);
        see("load.rate_per_s", l.rate_per_s);
        see("load.bursts (count)", l.bursts.len() as f64);
        for b in &l.bursts {
            see("load.bursts[].start_ms", b.start_ms as f64);
            see("load.bursts[].duration_ms", b.duration_ms as f64);
            see("load.bursts[].rate_per_s", b.rate_per_s);
        }
        see("load.timeout_ms", l.timeout_ms as f64);
        if let Some(ms) = l.attempt_timeout_ms {
            see("load.attempt_timeout_ms", ms as f64);
        }
        see("load.attempts", l.attempts.into());
        let e = &s.endpoint;
        see("endpoint.poll_ms", e.poll_ms as f64);
        see("endpoint.server_items", e.server_items.into());
        see("endpoint.steps (count)", e.steps.len() as f64);
        for step in &e.steps {
            if let Some(ms) = step.cpu_ms {
                see("endpoint.steps[].cpu_ms", ms);
                choices.insert(format!("task_run={}", step.task_run));
            }
            if let Some(ms) = step.io_ms {
                see("endpoint.steps[].io_ms", ms);
                see("endpoint.steps[].complete_sync", step.complete_sync);
                if let Some(sigma) = step.sigma {
                    see("endpoint.steps[].sigma", sigma);
                }
                choices.insert(format!("dist={:?}", step.dist));
                choices.insert(format!("completes_via={:?}", step.completes_via));
                choices.insert(format!("resource={}", step.resource.is_some()));
                choices.insert(format!(
                    "completes_via={:?} runtime={:?}",
                    step.completes_via, p.runtime
                ));
            }
        }
        see("resources (count)", s.resources.len() as f64);
        for (name, r) in &s.resources {
            see("resources (name characters)", name.chars().count() as f64);
            see("resources.*.capacity", r.capacity.into());
        }
        let lim = &s.limits;
        see("limits.max_in_flight", lim.max_in_flight.into());
        see("limits.trace_events", lim.trace_events.into());
        see("limits.samples", lim.samples.into());
        see("limits.max_events", lim.max_events as f64);
        for choice in [
            format!("style={:?}", e.style),
            format!("style={:?} wait={:?}", e.style, e.wait),
            format!("kind={:?}", l.kind),
            format!("think_dist={:?}", l.think_dist),
            format!("runtime={:?}", p.runtime),
            format!("starvation_injection={}", p.starvation_injection),
            format!("cooperative_blocking={}", p.cooperative_blocking),
            format!("hill_climbing={}", p.hill_climbing),
            format!("synchronization_context={}", p.synchronization_context),
            format!(
                "style={:?} synchronization_context={}",
                e.style, p.synchronization_context
            ),
            format!("min_threads set={}", p.min_threads.is_some()),
            format!("queue_limit set={}", p.queue_limit.is_some()),
            format!("attempt_timeout_ms set={}", l.attempt_timeout_ms.is_some()),
        ] {
            choices.insert(choice);
        }
    }
    let mut missing = Vec::new();
    for (field, low, high) in RANGES {
        match seen.get(field) {
            Some((lo, hi)) if lo == low && hi == high => {}
            got => missing.push(format!("{field}: want {low}..={high}, got {got:?}")),
        }
    }
    let styles = [
        "Blocking",
        "Async",
        "SyncOverAsync",
        "TaskRunWrap",
        "CpuBound",
    ];
    let mut wanted: Vec<String> = Vec::new();
    for style in styles {
        wanted.push(format!("style={style}"));
        for wait in ["Result", "SleepPoll"] {
            wanted.push(format!("style={style} wait={wait}"));
        }
        for on in [false, true] {
            wanted.push(format!("style={style} synchronization_context={on}"));
        }
    }
    for dist in ["Fixed", "Exponential", "Lognormal"] {
        wanted.push(format!("dist={dist}"));
        wanted.push(format!("think_dist={dist}"));
    }
    for runtime in ["Net6", "Net8", "Net10"] {
        wanted.push(format!("runtime={runtime}"));
        for via in ["Socket", "Timer"] {
            wanted.push(format!("completes_via={via} runtime={runtime}"));
        }
    }
    for kind in ["Closed", "Open"] {
        wanted.push(format!("kind={kind}"));
    }
    for switch in [
        "task_run",
        "resource",
        "starvation_injection",
        "cooperative_blocking",
        "hill_climbing",
        "synchronization_context",
        "min_threads set",
        "queue_limit set",
        "attempt_timeout_ms set",
    ] {
        for on in [false, true] {
            wanted.push(format!("{switch}={on}"));
        }
    }
    missing.extend(wanted.into_iter().filter(|w| !choices.contains(w)));
    assert!(
        missing.is_empty(),
        "the generator never reaches:\n{}",
        missing.join("\n")
    );
}
