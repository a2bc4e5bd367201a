//! Agreement with queueing theory (Little's law; Erlang C; the closed-system bounds of
//! Lazowska et al., *Quantitative System Performance*, 1984, ch. 5): M/M/c against Erlang C, Little's law, and
//! closed-system throughput against the asymptotic bounds.

mod common;

use sim::{Dist, LoadKind, Scenario, Step, Style};

/// Erlang C: the probability that an arrival has to wait, for `c` servers and offered
/// load `a = λ/μ`. Computed with the stable recurrence for Erlang B.
fn erlang_c(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    let rho = a / f64::from(c);
    b / (1.0 - rho + rho * b)
}

/// Mean response time of M/M/c, in seconds.
fn mmc_response_s(lambda: f64, mu: f64, c: u32) -> f64 {
    let a = lambda / mu;
    erlang_c(c, a) / (f64::from(c) * mu - lambda) + 1.0 / mu
}

/// An M/M/c server: Poisson arrivals, `c` threads that block for an exponential I/O with
/// mean `1/μ`, no CPU cost, plenty of cores, free switches, no injection.
fn mmc_scenario(lambda: f64, service_ms: f64, c: u32, requests: u64, seed: u64) -> Scenario {
    let mut s = Scenario {
        seed,
        duration_ms: (requests as f64 / lambda * 1000.0) as u64,
        sample_window_ms: 60_000,
        ..Scenario::default()
    };
    s.machine.cores = 64;
    s.machine.context_switch_us = 0;
    s.pool.min_threads = Some(c);
    s.pool.max_threads = c;
    s.pool.starvation_injection = false;
    s.pool.cooperative_blocking = false;
    s.pool.work_item_us = 0;
    s.load.kind = LoadKind::Open;
    s.load.rate_per_s = lambda;
    s.load.timeout_ms = 86_400_000;
    s.endpoint.style = Style::Blocking;
    s.endpoint.steps = vec![Step::io(service_ms, Dist::Exponential, None)];
    s.limits.trace_events = 0;
    s
}

#[test]
fn mmc_mean_response_matches_erlang_c() {
    // (λ per s, mean service ms, c): loads from light to heavy, one to sixteen servers.
    let cases = [
        (70.0, 10.0, 1),
        (32.0, 100.0, 4),
        (200.0, 20.0, 8),
        (272.0, 50.0, 16),
        (45.0, 100.0, 5),
    ];
    for (i, &(lambda, service_ms, c)) in cases.iter().enumerate() {
        let seed = 100 + i as u64;
        let (_, summary) = common::run(mmc_scenario(lambda, service_ms, c, 150_000, seed));
        let expected_ms = 1000.0 * mmc_response_s(lambda, 1000.0 / service_ms, c);
        let measured_ms = summary.latency_ms.mean;
        let err = (measured_ms - expected_ms).abs() / expected_ms;
        assert!(
            err < 0.05,
            "seed {seed}: M/M/{c} λ={lambda} S={service_ms} ms: measured {measured_ms:.3} ms, Erlang C {expected_ms:.3} ms ({:.1} %)",
            err * 100.0
        );
        assert!(
            summary.littles_law.error_pct < 2.0,
            "seed {seed}: Little's law off by {:.2} %: {:?}",
            summary.littles_law.error_pct,
            summary.littles_law
        );
        // The measured throughput is the arrival rate (the queue is stable).
        let x_err = (summary.throughput_rps - lambda).abs() / lambda;
        assert!(
            x_err < 0.02,
            "seed {seed}: throughput {}",
            summary.throughput_rps
        );
    }
}

/// A closed system: N users with think time Z, blocking style, `threads` fixed threads,
/// `cores` cores, CPU then I/O per request, no switch cost.
fn closed_scenario(
    users: u32,
    think_ms: f64,
    cpu_ms: f64,
    io_ms: f64,
    cores: u32,
    threads: u32,
) -> Scenario {
    let mut s = Scenario {
        duration_ms: 120_000,
        sample_window_ms: 10_000,
        ..Scenario::default()
    };
    s.machine.cores = cores;
    s.machine.context_switch_us = 0;
    s.pool.min_threads = Some(threads);
    s.pool.max_threads = threads;
    s.pool.starvation_injection = false;
    s.pool.cooperative_blocking = false;
    s.pool.work_item_us = 0;
    s.load.kind = LoadKind::Closed;
    s.load.users = users;
    s.load.think_ms = think_ms;
    s.load.think_dist = Dist::Exponential;
    s.load.timeout_ms = 86_400_000;
    s.endpoint.style = Style::Blocking;
    s.endpoint.steps = vec![Step::cpu(cpu_ms), Step::io(io_ms, Dist::Exponential, None)];
    s.limits.trace_events = 0;
    s
}

#[test]
fn closed_system_respects_the_asymptotic_bounds() {
    // (N, Z ms, CPU ms, I/O ms, cores, threads, which bound should be nearly reached)
    let cases = [
        (10, 100.0, 5.0, 20.0, 4, 100, "think"),
        (200, 0.0, 5.0, 20.0, 4, 100, "cpu"),
        (200, 0.0, 1.0, 50.0, 8, 20, "threads"),
        (40, 10.0, 2.0, 10.0, 2, 40, "none"),
    ];
    for (users, think_ms, cpu_ms, io_ms, cores, threads, binding) in cases {
        let s = closed_scenario(users, think_ms, cpu_ms, io_ms, cores, threads);
        let (_, summary) = common::run(s);
        let demand_s = (cpu_ms + io_ms) / 1000.0;
        let think_s = think_ms / 1000.0;
        let x_users = f64::from(users) / (demand_s + think_s);
        let x_cpu = f64::from(cores) / (cpu_ms / 1000.0);
        // A thread is held for the whole request, so threads act as servers of time D.
        let x_threads = f64::from(threads) / demand_s;
        let bound = x_users.min(x_cpu).min(x_threads);
        let x = summary.throughput_rps;
        let what = format!(
            "N={users} Z={think_ms} cpu={cpu_ms} io={io_ms} P={cores} T={threads}: X={x:.1}, bounds users {x_users:.1} cpu {x_cpu:.1} threads {x_threads:.1}"
        );
        assert!(x <= bound * 1.02, "above the bound: {what}");
        // R ≥ max(D, N·D_max − Z), with D_max the demand per server of the busiest centre.
        let r_s = summary.latency_ms.mean / 1000.0;
        let d_max = (cpu_ms / 1000.0 / f64::from(cores)).max(demand_s / f64::from(threads));
        let r_bound = demand_s.max(f64::from(users) * d_max - think_s);
        assert!(
            r_s >= r_bound * 0.98,
            "response {r_s:.4} s below bound {r_bound:.4}: {what}"
        );
        // Response time law: R = N/X − Z.
        let r_law = f64::from(users) / x - think_s;
        assert!(
            (r_law - r_s).abs() / r_s < 0.03,
            "response time law: N/X − Z = {r_law:.4}, measured {r_s:.4}: {what}"
        );
        let reached = x / bound;
        match binding {
            "think" | "cpu" | "threads" => {
                assert!(reached > 0.9, "bound not approached ({reached:.3}): {what}")
            }
            _ => assert!(reached > 0.5, "throughput implausibly low: {what}"),
        }
        assert!(summary.littles_law.error_pct < 2.0, "Little's law: {what}");
    }
}

#[test]
fn async_server_is_not_limited_by_threads() {
    // Async: X ≤ min(N/(S+Z), P/S_cpu); I/O is an infinite-server delay.
    let mut s = closed_scenario(400, 0.0, 0.5, 100.0, 4, 4);
    s.endpoint.style = Style::Async;
    s.endpoint.steps = vec![Step::cpu(0.5), Step::io(100.0, Dist::Fixed, None)];
    let (_, summary) = common::run(s);
    let x_users: f64 = 400.0 / 0.1005;
    let x_cpu = 4.0 / 0.0005;
    let bound = x_users.min(x_cpu);
    let x = summary.throughput_rps;
    assert!(x <= bound * 1.01 && x > 0.9 * bound, "X={x}, bound {bound}");
}
