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
//!
//! Wall-clock time is read here, in the harness, never in the engine.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use common::random::{check_seed, kind_name, RunStats, CHECK_WORK_CAP, EVENTS_CAP, TRACE_KINDS};

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
