//! Each style's signature behaviour (DESIGN §2.2), read from the trace and the summary.

mod common;

use std::collections::BTreeMap;

use sim::{Dist, LoadKind, Scenario, Sim, Step, Style, TraceEvent, TraceKind, Wait};

/// A modest closed load against a roomy pool, with the whole trace kept.
fn scenario(style: Style) -> Scenario {
    let mut s = Scenario {
        duration_ms: 5_000,
        ..Scenario::default()
    };
    s.machine.cores = 4;
    s.pool.min_threads = Some(64);
    s.pool.max_threads = 1_000;
    s.load.users = 40;
    s.load.think_ms = 50.0;
    s.load.ramp_ms = 200;
    s.endpoint.style = style;
    s.endpoint.steps = vec![
        Step::cpu(0.2),
        Step::io(100.0, Dist::Fixed, None),
        Step::cpu(0.2),
    ];
    s.limits.trace_events = 1_000_000;
    s
}

fn trace(sim: &Sim) -> Vec<TraceEvent> {
    assert_eq!(sim.summary().trace_dropped, 0, "the whole trace is needed");
    sim.trace().iter().copied().collect()
}

/// For each request, the threads that dequeued one of its work items, in order.
fn threads_per_request(events: &[TraceEvent]) -> BTreeMap<u64, Vec<u32>> {
    let mut map: BTreeMap<u64, Vec<u32>> = BTreeMap::new();
    for e in events {
        if e.kind == TraceKind::Dequeue {
            if let (Some(r), Some(t)) = (e.request, e.thread) {
                map.entry(r).or_default().push(t);
            }
        }
    }
    map
}

fn answered(events: &[TraceEvent]) -> Vec<u64> {
    events
        .iter()
        .filter(|e| e.kind == TraceKind::Response)
        .filter_map(|e| e.request)
        .collect()
}

#[test]
fn blocking_holds_a_thread_through_io_with_an_idle_cpu() {
    let (sim, summary) = common::run(scenario(Style::Blocking));
    let events = trace(&sim);
    // I/O is started by the request's own thread, which stays blocked through it.
    let starts: Vec<_> = events
        .iter()
        .filter(|e| e.kind == TraceKind::IoStarted)
        .collect();
    assert!(!starts.is_empty());
    assert!(starts
        .iter()
        .all(|e| e.thread.is_some() && e.task.is_none()));
    // One work item per request, one thread per request.
    let per = threads_per_request(&events);
    for r in answered(&events) {
        assert_eq!(per[&r].len(), 1, "request {r}");
    }
    // Threads sit blocked while the CPU is almost idle: the first lesson.
    let mid = &sim.samples()[20..45];
    assert!(mid.iter().all(|s| s.threads_blocked >= 20), "{mid:?}");
    // About 270 req/s × 0.4 ms of CPU on 4 cores: under 3 % busy.
    assert!(mid.iter().all(|s| s.cpu_useful_pct < 5.0));
    assert!(summary.cpu_useful_pct < 5.0, "{}", summary.cpu_useful_pct);
}

#[test]
fn async_holds_no_thread_during_io_and_may_resume_elsewhere() {
    let (sim, summary) = common::run(scenario(Style::Async));
    let events = trace(&sim);
    let starts: Vec<_> = events
        .iter()
        .filter(|e| e.kind == TraceKind::IoStarted)
        .collect();
    assert!(starts
        .iter()
        .all(|e| e.thread.is_none() && e.task.is_some()));
    assert!(sim.samples().iter().all(|s| s.threads_blocked == 0));
    let per = threads_per_request(&events);
    let answered = answered(&events);
    // Two work items per request: the request and its continuation.
    assert!(answered.iter().all(|r| per[r].len() == 2));
    // The continuation is queued and may run on another thread.
    let moved = answered.iter().filter(|r| per[r][0] != per[r][1]).count();
    assert!(moved > 0, "no request resumed on another thread");
    // Tasks exist while I/O is out.
    assert!(sim.samples()[10..40].iter().all(|s| s.tasks_pending > 0));
    assert!(summary.completed > 1_000);
}

#[test]
fn sync_over_async_needs_two_threads_per_request() {
    let (sim, summary) = common::run(scenario(Style::SyncOverAsync));
    let events = trace(&sim);
    let per = threads_per_request(&events);
    let answered = answered(&events);
    assert!(answered.len() > 500);
    for r in &answered {
        let threads = &per[r];
        assert_eq!(threads.len(), 2, "request {r}: {threads:?}");
        // The request's thread is blocked in `.Result`, so its inner completion must run on
        // a second thread.
        assert_ne!(threads[0], threads[1], "request {r}");
    }
    // Under load: about one blocked thread per request in flight, plus the pool's extra
    // threads for the completions.
    let mid = &sim.samples()[20..45];
    for s in mid {
        assert!(
            s.threads_blocked >= s.tasks_pending.saturating_sub(2),
            "{s:?}"
        );
    }
    assert_eq!(
        summary.work_items,
        2 * summary.completed + extra_items(&summary)
    );
}

/// Work items of requests that were in progress at the end (dequeued but not answered).
fn extra_items(summary: &sim::Summary) -> u64 {
    summary.work_items - 2 * summary.completed
}

#[test]
fn sync_over_async_starves_where_async_does_not() {
    // Small pool, many users arriving at once: `.Result` starves, `await` does not.
    let make = |style| {
        let mut s = scenario(style);
        s.pool.min_threads = None;
        s.load.users = 200;
        s.load.ramp_ms = 0;
        s.load.think_ms = 0.0;
        s.limits.trace_events = 0;
        s
    };
    let a = common::run(make(Style::Async)).1;
    let r = common::run(make(Style::SyncOverAsync)).1;
    assert!(
        a.throughput_rps > 10.0 * r.throughput_rps.max(1.0),
        "{} vs {}",
        a.throughput_rps,
        r.throughput_rps
    );
    assert!(r.threads.max > a.threads.max * 5);
}

#[test]
fn task_run_wrap_blocks_the_thread_that_queued_the_body() {
    let (sim, summary) = common::run(scenario(Style::TaskRunWrap));
    let events = trace(&sim);
    let per = threads_per_request(&events);
    let answered = answered(&events);
    assert!(answered.len() > 500);
    // Two work items per request: the request and the Task.Run body; the await after the
    // body resumes inline, on the thread that ran it.
    for r in &answered {
        assert_eq!(per[r].len(), 2, "request {r}");
    }
    // The body waits in the local queue of the thread that queued it, which takes it back
    // (newest first) as soon as the request's method returns at the await: the I/O blocks
    // the request's own thread (all but the rare body a thread woken by a rise of the
    // goal steals first).
    let mut same_thread = 0;
    let mut io_calls = 0;
    for e in events.iter().filter(|e| e.kind == TraceKind::IoStarted) {
        let r = e.request.expect("I/O names its request");
        let io_thread = e.thread.expect("the I/O blocks a thread");
        assert_eq!(Some(&io_thread), per.get(&r).and_then(|t| t.get(1)));
        io_calls += 1;
        same_thread += usize::from(per[&r][0] == io_thread);
    }
    assert!(
        same_thread * 100 >= io_calls * 99,
        "{same_thread} of {io_calls}"
    );
    for r in &answered {
        let inline = events
            .iter()
            .any(|e| e.request == Some(*r) && e.kind == TraceKind::ContinuationInline);
        assert!(inline, "request {r} resumed inline");
    }
    assert!(!events
        .iter()
        .any(|e| e.kind == TraceKind::ContinuationQueued));
    // Blocked threads as with plain blocking code, plus one more work item per request.
    let blocking = common::run(scenario(Style::Blocking)).1;
    assert!(summary.work_items > blocking.work_items.min(summary.completed) * 3 / 2);
    assert!(sim.samples()[20..45]
        .iter()
        .all(|s| s.threads_blocked >= 20));
}

#[test]
fn synchronization_context_deadlocks_and_core_does_not() {
    let make = |context: bool| {
        let mut s = scenario(Style::SyncOverAsync);
        s.pool.synchronization_context = context;
        s.load.timeout_ms = 1_000;
        s
    };
    let (sim, dead) = common::run(make(true));
    assert_eq!(dead.completed, 0, "a deadlocked `.Result` never completes");
    assert!(dead.deadlocked > 0);
    assert!(dead.failed > 0, "clients time out");
    assert_eq!(dead.late_responses, 0);
    // The threads stay blocked for good.
    let last = sim.samples().last().expect("samples");
    assert!(u64::from(last.threads_blocked) >= dead.deadlocked);
    assert!(sim.trace().iter().any(|e| e.kind == TraceKind::Deadlock));
    // ASP.NET Core has no such context: the same code completes.
    let core = common::run(make(false)).1;
    assert!(core.completed > 500);
    assert_eq!(core.deadlocked, 0);
}

#[test]
fn sleep_poll_is_invisible_to_cooperative_blocking() {
    let make = |wait| {
        let mut s = scenario(Style::SyncOverAsync);
        s.endpoint.wait = wait;
        s.pool.min_threads = None;
        s.load.users = 100;
        s.load.ramp_ms = 0;
        s.limits.trace_events = 0;
        s
    };
    let result = common::run(make(Wait::Result)).1;
    let poll = common::run(make(Wait::SleepPoll)).1;
    assert!(result.injections.cooperative > 0);
    assert_eq!(poll.injections.cooperative, 0);
    assert!(poll.injections.starvation > 0);
    // Polling wakes the thread (and costs switches) while it waits.
    assert!(poll.context_switches > result.context_switches);
}

#[test]
fn cpu_bound_work_gains_nothing_from_async_and_task_run_costs_more() {
    let make = |style, task_run| {
        let mut s = Scenario {
            duration_ms: 5_000,
            ..Scenario::default()
        };
        s.machine.cores = 4;
        s.load.users = 50;
        s.load.think_ms = 20.0;
        s.endpoint.style = style;
        let mut step = Step::cpu(5.0);
        step.task_run = task_run;
        s.endpoint.steps = vec![step];
        s.limits.trace_events = 0;
        s
    };
    let sync = common::run(make(Style::CpuBound, false)).1;
    let asy = common::run(make(Style::Async, false)).1;
    let wrapped = common::run(make(Style::Async, true)).1;
    let ratio = asy.throughput_rps / sync.throughput_rps;
    assert!((0.98..=1.02).contains(&ratio), "async/sync = {ratio}");
    // Four cores, 5 ms each: at most 800 req/s, and the CPU is the bottleneck.
    assert!(sync.throughput_rps > 750.0 && sync.throughput_rps <= 800.0);
    assert!(sync.cpu_useful_pct > 95.0);
    // Task.Run: more work items and no more throughput.
    assert!(wrapped.work_items >= 2 * wrapped.completed);
    assert!(wrapped.throughput_rps <= sync.throughput_rps * 1.001);
}

#[test]
fn a_connection_pool_caps_async_throughput() {
    let (_, s) = common::run(common::load("db-bottleneck.json"));
    // 10 connections, 20 ms mean per query: at most 500 queries per second.
    assert!(
        s.throughput_rps <= 500.0 * 1.03 && s.throughput_rps > 450.0,
        "{}",
        s.throughput_rps
    );
    // Users queue for connections: latency ≈ N / X (response time law, Z = 0).
    let r_law_ms = 300.0 / s.throughput_rps * 1000.0;
    assert!((s.latency_ms.mean - r_law_ms).abs() / r_law_ms < 0.05);
}

#[test]
fn context_switches_cost_cpu_when_threads_share_cores() {
    let mut s = scenario(Style::Blocking);
    s.machine.cores = 1;
    s.machine.context_switch_us = 50;
    s.endpoint.steps = vec![Step::cpu(2.0), Step::io(10.0, Dist::Fixed, None)];
    let (_, summary) = common::run(s);
    assert!(summary.context_switches > 1_000);
    assert!(
        summary.cpu_switching_pct > 0.5,
        "{}",
        summary.cpu_switching_pct
    );
    let expected = summary.context_switches as f64 * 50.0 / (5_000_000.0) * 100.0;
    assert!(
        (summary.cpu_switching_pct - expected).abs() < 0.1,
        "{} vs {expected}",
        summary.cpu_switching_pct
    );
}

#[test]
fn open_load_burst_and_queue_limit() {
    let (sim, burst) = common::run(common::load("open-burst.json"));
    // 200/s for 9 s plus 2000/s for 1 s: about 3,800 arrivals.
    assert!((3_500..4_100).contains(&burst.arrived), "{}", burst.arrived);
    let in_burst: u32 = sim.samples()[30..40]
        .iter()
        .map(|s| s.rejected + s.completed + s.failed)
        .sum();
    assert!(in_burst > 0);
    let mut limited = common::load("open-burst.json");
    limited.pool.queue_limit = Some(20);
    let (_, limited) = common::run(limited);
    assert!(limited.rejected > 100, "{}", limited.rejected);
    // The limit turns queueing into quick 503s: those it serves wait less.
    assert!(
        limited.latency_ms.p99 < burst.latency_ms.p99,
        "p99 {} with the limit, {} without",
        limited.latency_ms.p99,
        burst.latency_ms.p99
    );
}

#[test]
fn idle_threads_retire_after_the_idle_timeout() {
    let mut s = Scenario {
        duration_ms: 40_000,
        ..Scenario::default()
    };
    s.machine.cores = 8;
    s.load.kind = LoadKind::Open;
    s.load.rate_per_s = 0.001;
    s.load.bursts = vec![sim::Burst {
        start_ms: 0,
        duration_ms: 1_000,
        rate_per_s: 60.0,
    }];
    s.endpoint.style = Style::SyncOverAsync;
    s.endpoint.steps = vec![Step::io(200.0, Dist::Fixed, None)];
    let (sim, summary) = common::run(s);
    assert!(summary.threads.max > 10);
    assert!(summary.injections.threads_retired > 0);
    assert_eq!(summary.threads.r#final, 8, "back to the minimum");
    // Nobody retires before 20 s of idleness.
    let early: u32 = sim.samples()[..200].iter().map(|s| s.retired).sum();
    assert_eq!(early, 0);
}

#[test]
fn cooperative_blocking_injects_p_threads_at_once() {
    let mut s = scenario(Style::SyncOverAsync);
    s.machine.cores = 8;
    s.pool.min_threads = None;
    s.load.users = 200;
    s.load.ramp_ms = 0;
    s.duration_ms = 3_000;
    let (sim, _) = common::run(s);
    let first = &sim.samples()[0];
    // 8 minimum + 8 at once; in the first 100 ms at most a few more at 25 ms spacing.
    assert!((16..=20).contains(&first.threads), "{first:?}");
}

#[test]
fn timeouts_fail_requests_and_users_go_on() {
    let mut s = scenario(Style::Blocking);
    s.pool.min_threads = None;
    s.pool.starvation_injection = false;
    s.load.timeout_ms = 300;
    s.load.think_ms = 0.0;
    let (_, summary) = common::run(s);
    assert!(summary.failed > 0);
    assert!(summary.completed > 0);
    assert!(
        summary.late_responses > 0,
        "the server finishes abandoned requests"
    );
}

#[test]
fn blocking_against_async_under_the_same_load() {
    // The shipped pair differ only in style: 200 users, a 50 ms database call.
    let blocking = common::run(common::load("blocking.json")).1;
    let asynchronous = common::run(common::load("async.json")).1;
    assert!(
        asynchronous.throughput_rps >= 5.0 * blocking.throughput_rps,
        "async {} vs blocking {}",
        asynchronous.throughput_rps,
        blocking.throughput_rps
    );
    assert!(asynchronous.latency_ms.p99 < blocking.latency_ms.p99);
    // Where the blocking server is not starved of threads (a pool as large as the load),
    // the two come close: the gain is in threads and memory, not raw speed.
    let mut roomy = common::load("blocking.json");
    roomy.pool.min_threads = Some(200);
    let roomy = common::run(roomy).1;
    let ratio = asynchronous.throughput_rps / roomy.throughput_rps;
    assert!((0.9..1.1).contains(&ratio), "ratio {ratio}");
    assert!(roomy.memory_reserved_mb_max > 10.0 * asynchronous.memory_reserved_mb_max);
}

#[test]
fn snapshot_counts_which_io_calls_hold_a_thread() {
    let run = |style: &str| {
        let json = format!(
            r#"{{ "version": 1, "seed": 3, "duration_ms": 3000, "machine": {{ "cores": 4 }},
                "load": {{ "kind": "closed", "users": 40, "think_ms": 0, "ramp_ms": 200 }},
                "endpoint": {{ "style": "{style}",
                  "steps": [ {{ "cpu_ms": 1 }}, {{ "io_ms": 200, "dist": "fixed", "resource": "db" }} ] }},
                "resources": {{ "db": {{ "capacity": 8 }} }} }}"#
        );
        let mut sim = sim::Sim::new(sim::parse_scenario(&json).unwrap()).unwrap();
        sim.run_until(sim::SimTime(2_000_000));
        sim.snapshot()
    };
    let blocking = run("blocking");
    assert!(blocking.io_total > 0);
    assert_eq!(
        blocking.io_holding_thread, blocking.io_total,
        "every synchronous call holds its thread"
    );
    let asynchronous = run("async");
    assert!(asynchronous.io_total > 8, "more calls than connections");
    assert_eq!(
        asynchronous.io_holding_thread, 0,
        "an awaited call holds no thread"
    );
    assert_eq!(
        asynchronous.io_waiting_for_resource,
        asynchronous.io_total - 8,
        "all but 8 wait for a connection"
    );
}
