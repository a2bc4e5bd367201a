//! Events per second of the engine, natively on one core: a 1,000-user blocking run and a
//! 10,000-user async run. `cargo bench -p sim --bench events` ends with a `HEADLINE` line.
//!
//! Where the time goes (perf, on the development machine): popping the event heap is the
//! largest share (about 35–40 %: thousands of pending events, one cache miss per level),
//! then hashing trace events (10–25 %, FNV-1a is one multiply per byte, which is why events
//! are hashed in a compact LEB128 encoding), then the thread interpreter and the scheduler
//! (about 15 %), and the `libm` logarithm/exponential behind random latencies (about 5 %).

use std::time::Instant;

use divan::Bencher;
use sim::{Dist, Scenario, Sim, Step, Style};

/// 1,000 users against a blocking server whose pool already has 1,000 threads (the "one
/// thread per request" server), 8 cores, a 50 ms database call between two CPU steps.
fn blocking_1000_users() -> Scenario {
    let mut s = Scenario {
        duration_ms: 10_000,
        ..Scenario::default()
    };
    s.machine.cores = 8;
    s.pool.min_threads = Some(1_000);
    s.pool.max_threads = 1_000;
    s.load.users = 1_000;
    s.load.ramp_ms = 100;
    s.endpoint.style = Style::Blocking;
    s.endpoint.steps = vec![
        Step::cpu(0.1),
        Step::io(50.0, Dist::Exponential, None),
        Step::cpu(0.1),
    ];
    s
}

/// 10,000 users against an async server, 8 cores, a 100 ms call between two CPU steps.
fn async_10000_users() -> Scenario {
    let mut s = Scenario {
        duration_ms: 5_000,
        ..Scenario::default()
    };
    s.machine.cores = 8;
    s.pool.max_threads = 1_000;
    s.load.users = 10_000;
    s.load.ramp_ms = 100;
    s.endpoint.style = Style::Async;
    s.endpoint.steps = vec![
        Step::cpu(0.05),
        Step::io(100.0, Dist::Lognormal, None),
        Step::cpu(0.05),
    ];
    s
}

fn run(scenario: &Scenario) -> u64 {
    let mut sim = Sim::new(scenario.clone()).expect("valid bench scenario");
    sim.run_to_end().events
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn blocking_1000(bencher: Bencher) {
    let s = blocking_1000_users();
    bencher.bench_local(|| run(&s));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn async_10000(bencher: Bencher) {
    let s = async_10000_users();
    bencher.bench_local(|| run(&s));
}

/// Best of three runs, in events per second.
fn events_per_second(scenario: &Scenario) -> (u64, f64) {
    let mut best = 0.0f64;
    let mut events = 0;
    for _ in 0..3 {
        let start = Instant::now();
        events = run(scenario);
        let rate = events as f64 / start.elapsed().as_secs_f64();
        best = best.max(rate);
    }
    (events, best)
}

fn main() {
    divan::main();
    let (blocking_events, blocking_rate) = events_per_second(&blocking_1000_users());
    let (async_events, async_rate) = events_per_second(&async_10000_users());
    println!(
        "HEADLINE engine events/s (one core, best of 3): blocking 1,000 users {:.2} M/s ({} events); async 10,000 users {:.2} M/s ({} events)",
        blocking_rate / 1e6,
        blocking_events,
        async_rate / 1e6,
        async_events
    );
}
