//! The gate's starvation rule as .NET 6–8 runs it (dotnet/runtime
//! `PortableThreadPool.GateThread.cs`): at a tick, if work waits, no cooperative-blocking
//! adjustment is pending, nothing finished or was picked up for strictly more than
//! 500 ms, and at least the goal's worth of threads are at work, the goal becomes the
//! threads at work + 1. With exact 500 ms ticks that is about one thread a second.

mod common;

use sim::{Sim, TraceKind};

/// The tutorial's `.Result` endpoint with only the gate to add threads: no cooperative
/// blocking (before .NET 6) and no hill climbing, so every injection is the gate's.
fn gate_only() -> sim::Scenario {
    let mut s = common::load("tutorial-result.json");
    s.pool.cooperative_blocking = false;
    s.pool.hill_climbing = false;
    s.duration_ms = 20_000;
    s
}

#[test]
fn the_gate_adds_about_one_thread_a_second() {
    let (_, summary) = common::run(gate_only());
    let per_second = f64::from(summary.injections.starvation) / 20.0;
    // Exact ticks: a new thread picks up work at once, which resets the clock, so the
    // next tick finds only 500 ms of silence (not more) and the one after acts: 1/s, with
    // the first tick at 0.5 s and the load's 2 s ramp taking a little off the start.
    assert!(
        (0.8..=1.05).contains(&per_second),
        "{per_second} threads/s: {:?}",
        summary.injections
    );
    assert_eq!(summary.injections.hill_climbing, 0);
    assert_eq!(summary.injections.cooperative, 0);
}

#[test]
fn the_gate_sets_the_goal_to_the_threads_at_work_plus_one() {
    let mut sim = Sim::new(gate_only()).expect("valid");
    let mut checked = 0;
    loop {
        let before = sim.snapshot();
        let processing = before.threads_total - before.threads_in(sim::ThreadState::Idle);
        let seen = sim.trace().len();
        if !sim.step() {
            break;
        }
        let starved = sim
            .trace()
            .iter()
            .skip(seen)
            .any(|e| e.kind == TraceKind::GoalStarvation);
        if starved {
            let after = sim.snapshot();
            assert!(
                processing >= before.counters.thread_goal,
                "acts only at or above the goal"
            );
            assert_eq!(after.counters.thread_goal, processing + 1);
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} injections seen");
}

#[test]
fn cooperative_blocking_suspends_the_gate() {
    // With cooperative blocking on, .Result's blocked threads have an adjustment pending
    // nearly all the time, and the gate stays out of the way. (Its quick injections keep
    // the gate's clock fresh too, so this run alone would not show the rule; the engine's
    // unit test `the_gate_waits_while_cooperative_blocking_has_an_adjustment_pending`
    // isolates it.)
    let mut s = gate_only();
    s.pool.cooperative_blocking = true;
    let (_, summary) = common::run(s);
    assert!(
        summary.injections.cooperative > 50,
        "{:?}",
        summary.injections
    );
    assert_eq!(summary.injections.starvation, 0, "{:?}", summary.injections);
}

#[test]
fn a_late_timer_lets_the_gate_add_up_to_two_threads_a_second() {
    // With a lateness above the time a new thread takes to pick up work (none here), the
    // tick after an injection already finds more than 500 ms of silence.
    let rate = |jitter_ms: u64| {
        let mut s = gate_only();
        s.pool.gate_jitter_ms = jitter_ms;
        f64::from(common::run(s).1.injections.starvation) / 20.0
    };
    let (exact, late) = (rate(0), rate(16));
    assert!(late > 1.5 * exact, "exact {exact}/s, 16 ms late {late}/s");
    assert!(late <= 2.0, "{late}/s");
    // The lateness draws from a stream of its own: the same seed gives the same run.
    let mut s = gate_only();
    s.pool.gate_jitter_ms = 16;
    assert_eq!(common::run(s.clone()).1, common::run(s).1);
}

#[test]
fn gate_jitter_is_checked_with_its_range() {
    let err = sim::parse_scenario(r#"{ "version": 1, "pool": { "gate_jitter_ms": 101 } }"#)
        .expect_err("above the range");
    assert_eq!(err[0].field, "pool.gate_jitter_ms");
    assert!(
        err[0].to_string().contains("0") && err[0].to_string().contains("100"),
        "{}",
        err[0]
    );
    let ok = sim::parse_scenario(r#"{ "version": 1, "pool": { "gate_jitter_ms": 15 } }"#)
        .expect("in range");
    assert_eq!(ok.pool.gate_jitter_ms, 15);
}
