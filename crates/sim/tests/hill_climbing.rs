//! Hill climbing (`pool.hill_climbing`, .NET's controller in `sim::hill_climbing`) driving
//! the engine: under a load where threads keep completing work but most of them sit
//! blocked, the pool climbs; where more threads cannot help (async, a saturated CPU, a
//! fixed pool) it keeps only its wave, a square wave of one thread around where it is.

mod common;

use sim::{parse_scenario, Dist, Scenario, Sim, Step, Style, TraceKind};

/// The app's "blocking" preset load: 4 cores (so a minimum of 4 threads), 40 closed-loop
/// users back to back, each request 1 ms CPU + 200 ms synchronous database I/O + 1 ms CPU,
/// 20 s.
fn preset_load(style: Style, hill_climbing: bool) -> Scenario {
    let mut s = Scenario {
        seed: 42,
        duration_ms: 20_000,
        ..Scenario::default()
    };
    s.machine.cores = 4;
    s.pool.hill_climbing = hill_climbing;
    s.load.users = 40;
    s.load.think_ms = 0.0;
    s.load.ramp_ms = 200;
    s.load.timeout_ms = 10_000;
    s.endpoint.style = style;
    s.endpoint.steps = vec![
        Step::cpu(1.0),
        Step::io(200.0, Dist::Exponential, None),
        Step::cpu(1.0),
    ];
    s
}

fn kinds(sim: &Sim, kind: TraceKind) -> usize {
    sim.trace().iter().filter(|e| e.kind == kind).count()
}

#[test]
fn the_default_is_on() {
    assert!(Scenario::default().pool.hill_climbing);
    let s = parse_scenario(r#"{ "version": 1 }"#).expect("valid");
    assert!(s.pool.hill_climbing);
}

#[test]
fn blocking_load_trickles_up_with_hill_climbing_and_stays_at_the_minimum_without() {
    let (off_sim, off) = common::run(preset_load(Style::Blocking, false));
    assert_eq!(off.threads.max, 4, "{:?}", off.threads);
    assert!(off_sim.samples().iter().all(|s| s.thread_goal == 4));
    // The gate never fires either: threads keep dequeuing.
    assert_eq!(off.injections.starvation, 0, "{:?}", off.injections);
    assert_eq!(off.injections.hill_climbing, 0);
    assert_eq!(kinds(&off_sim, TraceKind::GoalHillClimbingUp), 0);

    let mut whole_trace = preset_load(Style::Blocking, true);
    whole_trace.limits.trace_events = 1_000_000;
    let (on_sim, on) = common::run(whole_trace);
    assert_eq!(on.trace_dropped, 0);
    let samples = on_sim.samples();
    let threads_at = |ms: u64| {
        samples
            .iter()
            .find(|s| s.time_ms == ms)
            .map(|s| s.threads)
            .expect("a sample at that time")
    };
    // Growing over the run: no fewer threads at 10 s than at 2 s, more at 20 s than at
    // 10 s. (The controller's first samples are a square wave of ±1 around the minimum;
    // it moves once its 32-sample analysis sees throughput follow the wave.)
    let (t2, t10, t20) = (threads_at(2_000), threads_at(10_000), threads_at(20_000));
    assert!(t2 <= t10 && t10 < t20, "threads {t2} → {t10} → {t20}");
    assert!(t20 >= 10, "only {t20} threads after 20 s");
    // Within the runtime's limit: a sample moves the goal by at most 4 threads per second
    // of sample time, plus the wave, so no second adds more than a handful of threads;
    // and it stays well short of the 40 threads the load could use.
    for second in samples.chunks(10) {
        let raised: u32 = second.iter().map(|s| s.hill_climbing_raised).sum();
        let lowered: u32 = second.iter().map(|s| s.hill_climbing_lowered).sum();
        assert!(
            raised.saturating_sub(lowered) <= 6,
            "{raised} up, {lowered} down in one second"
        );
    }
    assert!(on.threads.max < 40, "{:?}", on.threads);
    // It is hill climbing, not the gate, and it shows in the summary and the trace.
    assert_eq!(on.injections.starvation, 0, "{:?}", on.injections);
    assert_eq!(on.injections.cooperative, 0, "{:?}", on.injections);
    assert!(on.injections.hill_climbing >= 6, "{:?}", on.injections);
    let raised: u32 = samples.iter().map(|s| s.hill_climbing_raised).sum();
    let lowered: u32 = samples.iter().map(|s| s.hill_climbing_lowered).sum();
    assert_eq!(raised, on.injections.hill_climbing);
    assert_eq!(lowered, on.injections.hill_climbing_lowered);
    // One trace event per move; a move can carry more than one thread.
    let ups = kinds(&on_sim, TraceKind::GoalHillClimbingUp) as u32;
    let downs = kinds(&on_sim, TraceKind::GoalHillClimbingDown) as u32;
    assert!(ups > 0 && ups <= on.injections.hill_climbing);
    assert!(downs > 0 && downs <= on.injections.hill_climbing_lowered);
    // The goal ends where the threads added minus the threads taken off put it.
    let last = samples.last().expect("samples");
    assert_eq!(
        last.thread_goal,
        4 + on.injections.hill_climbing - on.injections.hill_climbing_lowered
    );
    // And the extra threads pay: more requests answered, shorter waits.
    assert!(
        on.completed as f64 > 1.5 * off.completed as f64,
        "on {} vs off {}",
        on.completed,
        off.completed
    );
    assert!(on.latency_ms.mean < off.latency_ms.mean);
}

#[test]
fn async_at_the_same_load_keeps_a_few_threads() {
    let (sim, s) = common::run(preset_load(Style::Async, true));
    assert!(s.threads.max <= 6, "{:?}", s.threads);
    // The wave goes up and down; it does not climb.
    let net = s.injections.hill_climbing - s.injections.hill_climbing_lowered;
    assert!(net <= 2, "{:?}", s.injections);
    assert!(
        s.injections.hill_climbing >= 2,
        "the wave: {:?}",
        s.injections
    );
    // The goal waves between the minimum and a few threads above it (the wave's size
    // grows with the throughput's noise: 0.5 + setting × noise × 6 threads), and its
    // bottom stays at the minimum: every second of the run touches 4.
    let goals: Vec<u32> = sim.samples().iter().map(|x| x.thread_goal).collect();
    assert!(goals.iter().all(|&g| g <= 8), "{goals:?}");
    assert!(
        goals.chunks(10).all(|second| second.contains(&4)),
        "{goals:?}"
    );
    // Async answers about users / (I/O + CPU) per second with them.
    assert!(s.throughput_rps > 150.0, "{}", s.throughput_rps);
}

#[test]
fn a_saturated_cpu_does_not_grow_the_pool() {
    // CPU-bound: 40 users, 5 ms of CPU each, 4 cores: the CPU is at 100 %.
    let mut s = preset_load(Style::CpuBound, true);
    s.endpoint.steps = vec![Step::cpu(5.0)];
    let (sim, summary) = common::run(s);
    assert!(summary.cpu_useful_pct > 99.0, "{}", summary.cpu_useful_pct);
    // Above 95 % CPU the controller refuses every move up; only its wave of one thread
    // remains, so the goal never passes the minimum plus one.
    assert!(summary.threads.max <= 5, "{:?}", summary.threads);
    assert!(sim.samples().iter().all(|x| x.thread_goal <= 5));
    assert!(kinds(&sim, TraceKind::GoalHillClimbingUp) as u32 <= summary.injections.hill_climbing);
    // The same with async code whose CPU work saturates the cores: requests queue for a
    // thread, but more threads would only queue for a core.
    let mut s = preset_load(Style::Async, true);
    s.load.users = 400;
    s.endpoint.steps = vec![
        Step::cpu(4.0),
        Step::io(200.0, Dist::Exponential, None),
        Step::cpu(4.0),
    ];
    let (sim, summary) = common::run(s);
    assert!(summary.cpu_useful_pct > 95.0, "{}", summary.cpu_useful_pct);
    assert!(summary.threads.max <= 5, "{:?}", summary.threads);
    assert!(sim.samples().iter().all(|x| x.thread_goal <= 5));
}

#[test]
fn a_fixed_pool_stays_fixed() {
    // min = max: hill climbing can neither raise above the maximum nor lower below the
    // minimum (the queueing-theory tests rely on this).
    let mut s = preset_load(Style::Blocking, true);
    s.pool.min_threads = Some(8);
    s.pool.max_threads = 8;
    let (sim, summary) = common::run(s);
    assert_eq!(summary.threads.max, 8);
    assert_eq!(summary.injections.hill_climbing, 0);
    assert_eq!(summary.injections.hill_climbing_lowered, 0);
    assert!(sim.samples().iter().all(|x| x.thread_goal == 8));
}

#[test]
fn same_seed_same_hash_and_the_switch_changes_it() {
    let hash = |on: bool| {
        let (sim, summary) = common::run(preset_load(Style::Blocking, on));
        assert_eq!(format!("{:016x}", sim.trace_hash()), summary.trace_hash);
        sim.trace_hash()
    };
    assert_eq!(hash(true), hash(true));
    assert_ne!(hash(true), hash(false));
    // A clone taken mid-run continues identically.
    let mut a = Sim::new(preset_load(Style::Blocking, true)).expect("valid");
    a.run_until(sim::SimTime::from_ms(7_300));
    let mut b = a.clone();
    let (sa, sb) = (a.run_to_end(), b.run_to_end());
    assert_eq!(sa, sb);
    assert_eq!(sa.trace_hash, format!("{:016x}", hash(true)));
}

#[test]
fn invariants_hold_while_the_goal_moves_both_ways() {
    // Threads above a lowered goal park with work still queued: the engine's invariants
    // allow exactly that, and nothing else.
    for style in [Style::Blocking, Style::TaskRunWrap, Style::SyncOverAsync] {
        let mut s = preset_load(style, true);
        s.duration_ms = 8_000;
        s.pool.idle_timeout_ms = 700;
        let mut sim = Sim::new(s).expect("valid");
        while sim.step() {
            if let Err(e) = sim.check_invariants() {
                panic!("{style:?}: {e}");
            }
        }
        let summary = sim.summary();
        assert!(summary.injections.hill_climbing_lowered > 0, "{style:?}");
    }
}

#[test]
fn a_wrong_type_names_the_field() {
    let err = parse_scenario(r#"{ "version": 1, "pool": { "hill_climbing": "yes" } }"#)
        .expect_err("a string is not a bool");
    let text: Vec<String> = err.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        vec!["pool.hill_climbing = \"yes\": must be true or false".to_owned()]
    );
    assert_eq!(err[0].field, "pool.hill_climbing");
    let off =
        parse_scenario(r#"{ "version": 1, "pool": { "hill_climbing": false } }"#).expect("valid");
    assert!(!off.pool.hill_climbing);
}

#[test]
fn the_trace_codes_are_new() {
    assert_eq!(TraceKind::PollWake.code(), 22);
    assert_eq!(TraceKind::GoalHillClimbingUp.code(), 23);
    assert_eq!(TraceKind::GoalHillClimbingDown.code(), 24);
}

#[test]
fn a_thread_above_a_lowered_goal_leaves_the_queue_alone() {
    // When hill climbing's wave lowers the goal, a thread that finishes its item parks;
    // the item at the head of the queue must stay there for another thread. (It was once
    // taken and dropped, which lost requests: Little's law then read L = 34.0 against
    // λW = 25.5 on this scenario.)
    let (_, s) = common::run(common::load("cpu-bound.json"));
    assert!(
        s.injections.hill_climbing_lowered > 0,
        "the goal went down: {:?}",
        s.injections
    );
    let (l, lw) = (s.littles_law.l_measured, s.littles_law.lambda_w);
    assert!((l - lw).abs() / l < 0.02, "L = {l}, λW = {lw}");
}
