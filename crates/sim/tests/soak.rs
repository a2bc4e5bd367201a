//! Reliability over long and many runs, ignored by `cargo test` and run by
//! `scripts/test.sh` in an optimised build:
//!
//! ```text
//! cargo test -p sim --profile bench --test soak -- --ignored --nocapture --test-threads=1
//! ```
//!
//! * `soak_10000_random_scenarios`: 10,000 random scenarios (`common::random`, the
//!   generator the 160-seed invariant test uses), the engine's invariants checked after
//!   every event. Prints a `SOAK` line; a failure names its seed and the command that
//!   reruns only that seed (`SOAK_SEED=N`). `SOAK_SCENARIOS=N` runs the first N seeds,
//!   `SOAK_THREADS=N` sets the worker threads (default: the cores).
//! * `one_simulated_hour_holds_steady_memory`: the heaviest presets for one simulated hour
//!   through a `Timeline`, as the page holds a run, with the engine's `footprint` read
//!   every simulated minute. Prints a `MEMORY` line per preset.
//!
//! Wall-clock time is read here, in the harness, never in the engine.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use common::random::{check_seed, kind_name, RunStats, CHECK_WORK_CAP, EVENTS_CAP, TRACE_KINDS};
use sim::{parse_scenario, Footprint, Sim, SimTime, Timeline};

const SOAK_SCENARIOS: u64 = 10_000;

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn rerun_command(seed: u64) -> String {
    format!(
        "SOAK_SEED={seed} cargo test -p sim --profile bench --test soak -- --ignored --nocapture soak_10000"
    )
}

#[derive(Default)]
struct Totals {
    scenarios: u64,
    events: u64,
    cut: u64,
    event_limit: u64,
    kinds: [u64; TRACE_KINDS],
    /// (wall-clock µs, seed, events) of the slowest runs.
    slowest: Vec<(u64, u64, u64)>,
}

impl Totals {
    fn add(&mut self, seed: u64, stats: &RunStats, micros: u64) {
        self.scenarios += 1;
        self.events += stats.events;
        self.cut += u64::from(stats.cut);
        self.event_limit += u64::from(stats.event_limit);
        for (sum, n) in self.kinds.iter_mut().zip(stats.kinds) {
            *sum += n;
        }
        self.slowest.push((micros, seed, stats.events));
        self.slowest.sort_unstable_by(|a, b| b.cmp(a));
        self.slowest.truncate(5);
    }
}

#[test]
#[ignore = "the soak: run by scripts/test.sh in an optimised build"]
fn soak_10000_random_scenarios() {
    if let Some(seed) = env_u64("SOAK_SEED") {
        let scenario = common::random::random_scenario(seed);
        eprintln!("seed {seed}'s scenario:\n{}", scenario.to_json());
        let start = Instant::now();
        match check_seed(seed) {
            Ok(stats) => println!(
                "SOAK seed {seed} passed: {} events in {:.2} s{}",
                stats.events,
                start.elapsed().as_secs_f64(),
                if stats.cut {
                    " (cut at the soak's caps)".to_owned()
                } else {
                    String::new()
                }
            ),
            Err(e) => panic!("{e}"),
        }
        return;
    }
    let count = env_u64("SOAK_SCENARIOS").unwrap_or(SOAK_SCENARIOS);
    let threads = env_u64("SOAK_THREADS")
        .map(|n| n.max(1) as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let next = AtomicU64::new(0);
    let totals = Mutex::new(Totals::default());
    let failures = Mutex::new(Vec::<(u64, String)>::new());
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let seed = next.fetch_add(1, Ordering::Relaxed);
                if seed >= count {
                    break;
                }
                let began = Instant::now();
                match check_seed(seed) {
                    Ok(stats) => {
                        let micros = began.elapsed().as_micros() as u64;
                        totals.lock().unwrap().add(seed, &stats, micros);
                    }
                    Err(e) => failures.lock().unwrap().push((seed, e)),
                }
            });
        }
    });
    let seconds = start.elapsed().as_secs_f64();
    let totals = totals.into_inner().unwrap();
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    let run = totals.scenarios + failures.len() as u64;
    println!(
        "SOAK {run} random scenarios, {} events, invariants checked after each: {} failed, \
         {:.1} s on {threads} threads, {:.0} scenarios/s, {:.2} M events/s; {} stopped by \
         their own limits.max_events, {} cut at the soak's caps ({EVENTS_CAP} events or {} M entries checked)",
        totals.events,
        failures.len(),
        seconds,
        run as f64 / seconds,
        totals.events as f64 / seconds / 1e6,
        totals.event_limit,
        totals.cut,
        CHECK_WORK_CAP / 1_000_000,
    );
    let slowest: Vec<String> = totals
        .slowest
        .iter()
        .map(|(micros, seed, events)| {
            format!(
                "seed {seed} {:.2} s ({events} events)",
                *micros as f64 / 1e6
            )
        })
        .collect();
    println!("  slowest: {}", slowest.join(", "));
    let mut kinds: Vec<(u64, usize)> = totals
        .kinds
        .iter()
        .enumerate()
        .map(|(code, n)| (*n, code))
        .collect();
    kinds.sort_unstable();
    let rarest: Vec<String> = kinds
        .iter()
        .take(6)
        .map(|(n, code)| format!("{} {n}", kind_name(*code)))
        .collect();
    println!(
        "  trace kinds seen (in the kept traces), the rarest: {}",
        rarest.join(", ")
    );
    if let Some((seed, e)) = failures.first() {
        for (seed, e) in failures.iter().skip(1).take(9) {
            eprintln!("also failed: seed {seed}: {e}");
        }
        panic!(
            "{e}\n{} of {run} scenarios failed; the first is seed {seed}. Rerun it alone with:\n  {}",
            failures.len(),
            rerun_command(*seed)
        );
    }
    if count == SOAK_SCENARIOS {
        let unseen: Vec<String> = kinds
            .iter()
            .filter(|(n, _)| *n == 0)
            .map(|(_, code)| kind_name(*code))
            .collect();
        assert!(
            unseen.is_empty(),
            "no scenario produced these trace events: {unseen:?}"
        );
    }
}

/// The heaviest presets as `src/curriculum/presets.rs` has them (a test there checks these copies).
const HEAVY: [(&str, &str); 2] = [
    ("heavy-async", include_str!("data/heavy-async.json")),
    ("heavy-blocking", include_str!("data/heavy-blocking.json")),
];

/// Parts of the footprint meant to grow with the run's length: one sample per window,
/// up to `limits.samples`.
const GROWING: [&str; 1] = ["samples"];

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// The largest value of `f` over `minutes` (1-based, inclusive), with the minute it was at.
fn peak(
    readings: &[Footprint],
    minutes: std::ops::RangeInclusive<usize>,
    f: impl Fn(&Footprint) -> usize,
) -> (usize, usize) {
    minutes
        .map(|m| (f(&readings[m - 1]), m))
        .fold((0, 0), |best, x| if x.0 > best.0 { x } else { best })
}

/// Runs `json` for one simulated hour through a `Timeline` (as the page holds a run),
/// reading the footprint every simulated minute; checks that what the engine holds stays
/// flat and returns the `MEMORY` line.
fn one_hour(name: &str, json: &str) -> String {
    const MINUTES: usize = 60;
    let mut s = parse_scenario(json).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    s.duration_ms = MINUTES as u64 * 60_000;
    // An hour of 10,000 users is about 280 million events, above the default limit of
    // 200 million; the range allows ten billion.
    s.limits.max_events = 10_000_000_000;
    let (window_ms, samples_max, trace_max) = (
        s.sample_window_ms,
        s.limits.samples as usize,
        s.limits.trace_events as usize,
    );
    let users = s.load.users;
    let start = Instant::now();
    let mut timeline = Timeline::new(Sim::new(s).expect("valid"));
    let mut readings: Vec<Footprint> = Vec::with_capacity(MINUTES);
    for minute in 1..=MINUTES as u64 {
        timeline.advance_to(SimTime::from_ms(minute * 60_000));
        readings.push(timeline.footprint());
        let sim = timeline.sim();
        assert_eq!(
            sim.samples().len() as u64,
            (minute * 60_000 / window_ms).min(samples_max as u64),
            "{name}: one sample per window, up to limits.samples"
        );
        assert!(
            sim.trace().len() <= trace_max,
            "{name}: trace above its cap"
        );
    }
    let seconds = start.elapsed().as_secs_f64();
    let sim = timeline.sim();
    assert!(sim.is_finished(), "{name}: the hour did not finish");
    let summary = sim.summary();
    assert!(
        !summary.limits_hit.max_events,
        "{name}: stopped by the event limit"
    );

    // The engine's own working set: every collection but the samples, and without the
    // timeline's checkpoints.
    let engine = |f: &Footprint| {
        let mut without: Vec<&str> = GROWING.to_vec();
        without.push("checkpoints");
        f.bytes_without(&without)
    };
    let (early, early_at) = peak(&readings, 1..=MINUTES / 4, engine);
    let (late, late_at) = peak(&readings, MINUTES / 2..=MINUTES, engine);
    let (top, top_at) = peak(&readings, 1..=MINUTES, engine);
    // Each collection on its own too, so a small one that leaks is not hidden by a big one.
    let mut grew = Vec::new();
    for part in &readings[0].parts {
        if GROWING.contains(&part.name) || part.name == "checkpoints" {
            continue;
        }
        let bytes = |f: &Footprint| f.part(part.name).map_or(0, |p| p.bytes);
        let (first, _) = peak(&readings, 1..=MINUTES / 4, bytes);
        let (last, at) = peak(&readings, MINUTES / 2..=MINUTES, bytes);
        if last > first + first / 10 && last > 64 * 1024 {
            grew.push(format!(
                "{} {} -> {} (minute {at})",
                part.name,
                mb(first),
                mb(last)
            ));
        }
    }
    assert!(
        grew.is_empty() && late * 10 <= early * 11,
        "{name}: the engine's memory grows with time: first quarter {}, last half {}; {}",
        mb(early),
        mb(late),
        grew.join(", ")
    );
    let samples = readings[MINUTES - 1].part("samples").expect("samples");
    let samples_bound = samples_max * std::mem::size_of::<sim::Sample>();
    assert!(samples.len <= samples_max);
    let checkpoints = |f: &Footprint| f.part("checkpoints").map_or(0, |p| p.bytes);
    let (cp_early, _) = peak(&readings, 1..=MINUTES / 4, checkpoints);
    let (cp_late, _) = peak(&readings, MINUTES / 2..=MINUTES, checkpoints);
    let cp_count = readings
        .iter()
        .map(|f| f.part("checkpoints").map_or(0, |p| p.len))
        .max()
        .unwrap_or(0);
    assert!(
        cp_count <= sim::timeline::CHECKPOINTS_MAX_DEFAULT,
        "{name}: {cp_count} checkpoints"
    );
    // The timeline thins its checkpoints to fit a budget it estimates with
    // `Sim::approx_bytes`: their bytes swing between half and all of it as it thins and
    // fills again, so they are checked against the budget, not against their own past.
    let cp_top = cp_early.max(cp_late);
    let cp_bound = sim::timeline::CHECKPOINT_BUDGET_BYTES_DEFAULT / 4 * 5;
    assert!(
        cp_top <= cp_bound,
        "{name}: the timeline's checkpoints hold {}, above its budget's {}",
        mb(cp_top),
        mb(cp_bound)
    );
    format!(
        "MEMORY one simulated hour of {name} ({users} users, {:.0} M events, {seconds:.0} s): \
         engine peak {} at {top_at} min; {} at most over minutes 1-15 (at {early_at}), {} \
         over minutes 30-60 (at {late_at}): flat. Samples {} ({}, growing by design, bounded \
         by limits.samples: {} at most); timeline checkpoints at most {cp_count}, {} over \
         minutes 1-15, {} over minutes 30-60 (bounded by its budget: {} with slack).",
        summary.events as f64 / 1e6,
        mb(top),
        mb(early),
        mb(late),
        samples.len,
        mb(samples.bytes),
        mb(samples_bound),
        mb(cp_early),
        mb(cp_late),
        mb(cp_bound),
    )
}

#[test]
#[ignore = "an hour of the heaviest presets: run by scripts/test.sh in an optimised build"]
fn one_simulated_hour_holds_steady_memory() {
    for (name, json) in HEAVY {
        let line = one_hour(name, json);
        println!("{line}");
    }
}
