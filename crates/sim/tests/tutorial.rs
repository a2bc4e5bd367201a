//! The Microsoft "Debug ThreadPool Starvation" tutorial (learn.microsoft.com, .NET
//! diagnostics): 125 connections, an endpoint that awaits a 500 ms delay, 10 s of load. Measured there: `await` 227.9 req/s,
//! `.Result` 33.1 req/s, the `Thread.Sleep` polling wait 1.6 req/s.
//!
//! Core count: the scenarios use 8 cores, a common developer machine and the core count of
//! the cooperative-blocking schedule's worked example in `sim::pool` (16 threads at once,
//! then about 18 s to reach 125); the calibration test below uses the 16 of the
//! tutorial's counters. With fewer cores the pool starts smaller and grows
//! slower, so `.Result` does even worse; with more it does better (see the sweep below).
//!
//! Ramp: with a strict FIFO queue and all 125 users arriving at the same instant, every new
//! thread takes a *new request* before any continuation, so `.Result` completes almost
//! nothing for the whole 10 s. A load tool opens its connections over a moment,
//! so the scenarios spread the users' first requests over `ramp_ms = 2000`. That lets early
//! requests' continuations get threads before the later arrivals queue in front of them.
//! The ordering async ≫ `.Result` > sleep-poll holds for every ramp we tried (1–5 s), which
//! the last test checks.

mod common;

use sim::Summary;

fn run(name: &str) -> Summary {
    common::run(common::load(name)).1
}

#[test]
fn async_is_near_users_over_delay() {
    let s = run("tutorial-async.json");
    // 125 users / 0.5 s = 250 req/s at most; the 2 s ramp costs a little at the start.
    assert!(
        s.throughput_rps > 200.0 && s.throughput_rps <= 250.0,
        "async: {} req/s",
        s.throughput_rps
    );
    assert!(
        (s.latency_ms.mean - 500.0).abs() < 5.0,
        "{:?}",
        s.latency_ms
    );
    // One thread is enough: it is never blocked.
    assert!(s.threads.max <= 8, "{:?}", s.threads);
}

#[test]
fn result_is_several_times_lower_and_sleep_poll_lower_still() {
    let a = run("tutorial-async.json");
    let r = run("tutorial-result.json");
    let p = run("tutorial-sleep-wait.json");
    assert!(
        r.throughput_rps * 4.0 < a.throughput_rps,
        ".Result {} vs async {}",
        r.throughput_rps,
        a.throughput_rps
    );
    assert!(r.completed > 0, ".Result completes some requests");
    assert!(
        p.throughput_rps < r.throughput_rps,
        "sleep-poll {} vs .Result {}",
        p.throughput_rps,
        r.throughput_rps
    );
    // Starvation shows as many blocked threads and a queue, with an idle CPU.
    assert!(r.threads.max > 50, "{:?}", r.threads);
    assert!(r.cpu_useful_pct < 5.0);
    // Cooperative blocking grew the `.Result` pool much faster than the gate alone grew
    // the sleep-poll pool, which the pool cannot see.
    assert!(r.injections.cooperative > 50, "{:?}", r.injections);
    assert_eq!(p.injections.cooperative, 0, "{:?}", p.injections);
    assert!(
        (5..=20).contains(&p.injections.starvation),
        "starvation injection adds about 1–2 threads per second: {:?}",
        p.injections
    );
}

#[test]
fn ordering_holds_across_ramps_and_core_counts() {
    for cores in [4, 8, 16] {
        for ramp_ms in [1_000, 2_000, 5_000] {
            let mut x = Vec::new();
            for name in [
                "tutorial-async.json",
                "tutorial-result.json",
                "tutorial-sleep-wait.json",
            ] {
                let mut s = common::load(name);
                s.machine.cores = cores;
                s.load.ramp_ms = ramp_ms;
                x.push(common::run(s).1.throughput_rps);
            }
            let what = format!("cores {cores}, ramp {ramp_ms} ms: {x:?}");
            // With many cores and a slow ramp the pool keeps up better: the gap narrows to
            // about 2.4× at 16 cores and a 5 s ramp, but never closes.
            assert!(x[0] > 2.0 * x[1], "{what}");
            assert!(x[1] > x[2], "{what}");
        }
    }
}

#[test]
fn without_cooperative_blocking_result_is_worse() {
    let with = run("tutorial-result.json");
    let mut s = common::load("tutorial-result.json");
    s.pool.cooperative_blocking = false;
    let without = common::run(s).1;
    assert!(
        without.threads.max < with.threads.max / 2,
        "{:?} vs {:?}",
        without.threads,
        with.threads
    );
    assert!(without.completed < with.completed);
}

/// The tutorial as it was measured (its counter output shows 16 processors): the
/// bombardier client (a 2 s read deadline per attempt, up to 5 attempts), 125
/// connections opened at once, 10 s. Published: about 2,280, 331 and 16 completions in
/// those 10 s (227.9, 33.1 and 1.6 requests a second). The model's figures are written
/// to `target/calibration.txt`, which the test command prints, next to the published
/// ones, with Kestrel's two global work items per request (`endpoint.server_items = 2`)
/// and, for comparison, one. Only the ordering is asserted: `.Result` stays about five
/// times too high, and the mechanisms left out (below) are not tuned away.
#[test]
fn calibration_against_the_tutorial_is_printed() {
    // The endpoint awaits `Task.Delay(500)`: its completion comes through a timer queue.
    let measured = |name: &str, ramp_ms: u64, runtime: sim::Runtime, server_items: u32| {
        let mut s = common::load(name);
        s.endpoint.server_items = server_items;
        s.machine.cores = 16;
        s.pool.runtime = runtime;
        s.load.ramp_ms = ramp_ms;
        s.load.attempt_timeout_ms = Some(2_000);
        s.load.attempts = 5;
        for step in &mut s.endpoint.steps {
            if step.io_ms.is_some() {
                step.completes_via = sim::CompletesVia::Timer;
            }
        }
        common::run(s).1
    };
    let rows = [
        ("await", "tutorial-async.json", 2_280.0),
        (".Result", "tutorial-result.json", 331.0),
        ("sleep-poll", "tutorial-sleep-wait.json", 16.0),
    ];
    let mut text = String::from(
        "CALIBRATION Microsoft's starvation tutorial: 16 cores, 125 connections, bombardier client (2 s per attempt, 5 attempts), 10 s\n\
         CALIBRATION endpoint     runtime  ramp  server items  published  model  model/published  threads  abandoned\n",
    );
    let mut at_once = Vec::new();
    // All connections at once, as bombardier opens them, on .NET 6 as measured and on
    // .NET 8 for comparison; then with the presets' 2 s ramp.
    for (runtime, ramp_ms, server_items) in [
        (sim::Runtime::Net6, 0, 2),
        (sim::Runtime::Net6, 0, 1),
        (sim::Runtime::Net8, 0, 2),
        (sim::Runtime::Net10, 0, 2),
        (sim::Runtime::Net6, 2_000, 2),
    ] {
        for (label, file, published) in rows {
            let s = measured(file, ramp_ms, runtime, server_items);
            if ramp_ms == 0 && runtime == sim::Runtime::Net6 && server_items == 2 {
                at_once.push(s.completed);
            }
            text.push_str(&format!(
                "CALIBRATION {label:<12} {:<7} {:>4} {server_items:>13} {published:>10.0} {:>6} {:>16.2} {:>8} {:>10}\n",
                runtime.name(),
                format!("{} s", ramp_ms / 1_000),
                s.completed,
                s.completed as f64 / published,
                s.threads.max,
                s.attempts_abandoned
            ));
        }
    }
    text.push_str(
        "CALIBRATION the delay completes through timer queues (the first due timer of a firing runs inline, \
         the rest queue globally), and .Result gets through about five times too often. Local queues and \
         Kestrel's second work item per request change it little: cooperative blocking gives the model \
         128 threads within about 8 s, and from then on every user has a thread. Not modelled, and \
         candidates for the gap: .NET 6 on Windows (socket completions on a separate I/O pool, Kestrel's \
         IOQueue), a TLS handshake for every retried attempt, a Debug build's CPU cost, and a pool that \
         starts one requested worker at a time\n",
    );
    // Ben Adams, dotnet/runtime#35777 (a .NET 5 preview: no cooperative blocking; the
    // minimum taken as 16): `await` held about 17 threads at 60 s, `.Wait()` had grown to
    // 79 at 61 s, about one a second. His load is not published; here the tutorial's
    // endpoints under 250 back-to-back users stand in for it.
    let adams = |file: &str| {
        let mut s = common::load(file);
        s.machine.cores = 16;
        s.pool.min_threads = Some(16);
        s.pool.cooperative_blocking = false;
        s.load.users = 250;
        s.duration_ms = 61_000;
        s.load.timeout_ms = 120_000;
        let (sim, summary) = common::run(s);
        let last = sim.samples().last().map_or(0, |x| x.threads);
        (last, summary.injections)
    };
    let (await_threads, _) = adams("tutorial-async.json");
    let (wait_threads, wait_injections) = adams("tutorial-result.json");
    text.push_str(&format!(
        "CALIBRATION Ben Adams #35777 (no cooperative blocking, min 16), threads at 61 s: await {await_threads} (published 17), .Wait() {wait_threads} (published 79; gate {} + hill climbing {})\n",
        wait_injections.starvation,
        wait_injections.hill_climbing.saturating_sub(wait_injections.hill_climbing_lowered)
    ));
    text.push_str(
        "CALIBRATION missing for await's threads: the model hands an item to an idle thread or creates one only when none is idle; \
         the runtime requests a worker for each enqueue (up to the goal), so a steady flow keeps about goal-many threads alive\n",
    );
    assert!(
        await_threads <= 20,
        "await keeps the minimum and the wave: {await_threads}"
    );
    assert!(
        (50..=110).contains(&wait_threads),
        ".Wait() grows about 1/s: {wait_threads}"
    );
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    std::fs::create_dir_all(&out).expect("target/");
    std::fs::write(out.join("calibration.txt"), &text).expect("calibration.txt");
    print!("{text}");
    assert!(
        at_once[0] > at_once[1] && at_once[1] > at_once[2],
        "{at_once:?}"
    );
}
