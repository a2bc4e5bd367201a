//! Determinism: the same scenario and seed give the same trace, on every run and on every
//! target (the app's wasm-bindgen test checks the hashes in `golden/trace_hash.txt` too);
//! clones continue identically; rewinding is exact.

mod common;

use sim::{Sim, SimTime, Timeline};

fn hash_of(name: &str) -> u64 {
    let (sim, _) = common::run(common::load(name));
    sim.trace_hash()
}

#[test]
fn same_seed_same_trace_hash() {
    for name in ["tutorial-async.json", "blocking.json", "open-burst.json"] {
        assert_eq!(hash_of(name), hash_of(name), "{name}");
    }
}

#[test]
fn different_seed_different_trace() {
    let a = common::load("open-burst.json");
    let mut b = a.clone();
    b.seed += 1;
    let (sa, _) = common::run(a);
    let (sb, _) = common::run(b);
    assert_ne!(sa.trace_hash(), sb.trace_hash());
}

#[test]
fn golden_trace_hashes() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/trace_hash.txt");
    let text = std::fs::read_to_string(&path).expect("golden/trace_hash.txt");
    let mut checked = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (name, hex) = line.split_once(' ').expect("`<file> <hash>` per line");
        assert_eq!(hex.len(), 16, "{line}");
        let expected = u64::from_str_radix(hex, 16).expect("hex");
        let actual = hash_of(name);
        assert_eq!(
            actual, expected,
            "{name}: trace hash {actual:016x}, golden {hex}; if the model changed on purpose, update tests/golden/trace_hash.txt"
        );
        checked += 1;
    }
    assert!(checked >= 2);
}

#[test]
fn the_hash_covers_events_dropped_from_the_buffer() {
    let mut small = common::load("blocking.json");
    small.limits.trace_events = 8;
    let big = common::load("blocking.json");
    let (a, sa) = common::run(small);
    let (b, _) = common::run(big);
    assert_eq!(a.trace_hash(), b.trace_hash());
    assert_eq!(a.trace().len(), 8);
    assert!(sa.trace_dropped > 0);
    // The buffer keeps the most recent events.
    assert_eq!(a.trace().back(), b.trace().back());
    // With nothing dropped, hashing the kept events gives the engine's hash.
    let mut full = common::load("blocking.json");
    full.limits.trace_events = 1_000_000;
    let (f, sf) = common::run(full);
    assert_eq!(sf.trace_dropped, 0);
    assert_eq!(sim::trace_hash(f.trace().iter()), f.trace_hash());
}

#[test]
fn a_clone_continues_identically() {
    let mut sim = Sim::new(common::load("task-run-wrap.json")).expect("valid");
    sim.run_until(SimTime::from_ms(3_000));
    let mut copy = sim.clone();
    let a = sim.run_to_end();
    let b = copy.run_to_end();
    assert_eq!(a, b);
    assert_eq!(sim.samples(), copy.samples());
}

#[test]
fn run_until_in_pieces_equals_one_run() {
    let scenario = common::load("sync-over-async.json");
    let (whole, whole_summary) = common::run(scenario.clone());
    let mut pieces = Sim::new(scenario).expect("valid");
    for ms in (0..=10_000).step_by(37) {
        pieces.run_until(SimTime::from_ms(ms));
    }
    let summary = pieces.run_to_end();
    assert_eq!(summary, whole_summary);
    assert_eq!(pieces.samples(), whole.samples());
}

#[test]
fn timeline_seek_is_exact() {
    let scenario = common::load("blocking.json");
    let mut timeline = Timeline::with_limits(Sim::new(scenario.clone()).expect("valid"), 200, 8);
    timeline.seek(3_000);
    assert_eq!(timeline.sim().events_processed(), 3_000);
    assert!(timeline.checkpoints() <= 8, "checkpoints stay bounded");
    for n in [2_999, 1_234, 1, 0, 2_500, 2_501] {
        timeline.seek(n);
        let mut fresh = Sim::new(scenario.clone()).expect("valid");
        for _ in 0..n {
            fresh.step();
        }
        assert_eq!(timeline.sim().events_processed(), n);
        assert_eq!(timeline.sim().trace_hash(), fresh.trace_hash(), "seek({n})");
        assert_eq!(timeline.sim().snapshot(), fresh.snapshot(), "seek({n})");
        assert_eq!(timeline.sim().summary(), fresh.summary(), "seek({n})");
        assert_eq!(timeline.sim().samples(), fresh.samples(), "seek({n})");
    }
    // Step back is seek(n - 1).
    timeline.seek(500);
    timeline.step_back();
    assert_eq!(timeline.sim().events_processed(), 499);
    // Seeking to a time processes every event up to it.
    timeline.seek_time(SimTime::from_ms(1_500));
    assert_eq!(timeline.sim().now(), SimTime::from_ms(1_500));
    let mut fresh = Sim::new(scenario.clone()).expect("valid");
    fresh.run_until(SimTime::from_ms(1_500));
    assert_eq!(timeline.sim().summary(), fresh.summary());
    // After moving the clock between events, seeking to the same event count is exact too.
    let n = timeline.sim().events_processed();
    timeline.seek(n);
    let mut fresh = Sim::new(scenario).expect("valid");
    for _ in 0..n {
        fresh.step();
    }
    assert_eq!(timeline.sim().summary(), fresh.summary());
}

#[test]
fn bounded_runs_stop_at_their_budget_and_agree() {
    let scenario = common::load("async.json");
    let (_, whole) = common::run(scenario.clone());
    let mut sim = Sim::new(scenario).expect("valid");
    let mut frames = 0;
    let target = SimTime::from_ms(10_000);
    while !sim.run_until_bounded(target, 1_000) {
        frames += 1;
    }
    assert!(frames > 10, "the budget bounded the work per call");
    assert_eq!(sim.summary(), whole);
}

#[test]
fn mid_run_cpu_use_agrees_with_the_closed_windows() {
    for name in [
        "cpu-bound.json",
        "blocking.json",
        "sync-over-async-sleep-poll.json",
    ] {
        let mut sim = Sim::new(common::load(name)).expect("valid");
        for ms in [1_000u64, 2_550, 3_000] {
            sim.run_until(SimTime::from_ms(ms));
            let summary = sim.summary();
            let windows = (ms / 100) as usize;
            let samples = &sim.samples()[..windows];
            let useful = samples.iter().map(|s| s.cpu_useful_pct).sum::<f64>() / windows as f64;
            let switching =
                samples.iter().map(|s| s.cpu_switching_pct).sum::<f64>() / windows as f64;
            // The summary covers the part of the open window too, so compare at boundaries
            // exactly and elsewhere loosely.
            let tolerance = if ms % 100 == 0 { 1e-9 } else { 2.0 };
            assert!(
                (summary.cpu_useful_pct - useful).abs() < tolerance,
                "{name} at {ms} ms: summary {} vs windows {useful}",
                summary.cpu_useful_pct
            );
            assert!(
                (summary.cpu_switching_pct - switching).abs() < tolerance,
                "{name} at {ms} ms"
            );
            assert!(summary.cpu_useful_pct + summary.cpu_switching_pct <= 100.0 + 1e-9);
        }
    }
}

#[test]
fn rewind_history_respects_a_memory_budget() {
    let mut s = common::load("async.json");
    s.load.users = 5_000;
    s.duration_ms = 3_000;
    let sim = Sim::new(s.clone()).expect("valid");
    let mut timeline = Timeline::with_limits(sim, 1_000, 64);
    timeline.set_budget_bytes(4 * timeline.sim().approx_bytes().max(1_000_000));
    while timeline.step() {}
    assert!(
        timeline.checkpoints() <= 8,
        "{} checkpoints",
        timeline.checkpoints()
    );
    let end = timeline.sim().events_processed();
    let end_summary = timeline.sim().summary();
    // Still exact after thinning, including the samples cut back on restore.
    let n = end / 3;
    timeline.seek(n);
    let mut fresh = Sim::new(s).expect("valid");
    for _ in 0..n {
        fresh.step();
    }
    assert_eq!(timeline.sim().summary(), fresh.summary());
    assert_eq!(timeline.sim().samples(), fresh.samples());
    assert_eq!(timeline.sim().snapshot(), fresh.snapshot());
    timeline.seek(end);
    assert_eq!(timeline.sim().summary(), end_summary);
}
