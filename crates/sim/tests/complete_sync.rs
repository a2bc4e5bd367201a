//! The "completes synchronously" fast path (`complete_sync` on an I/O step): a call whose
//! result is already there leaves no I/O in flight, so `await` keeps its thread, `.Result`
//! does not wait and a synchronous read does not block.

mod common;

use std::collections::BTreeMap;

use expect_test::expect;
use sim::{parse_scenario, Dist, Scenario, Sim, Step, Style, TraceEvent, TraceKind, Wait};

/// A modest closed load with the whole trace kept; the I/O step completes synchronously
/// with probability `complete_sync`.
fn scenario(style: Style, complete_sync: f64) -> Scenario {
    let mut s = Scenario {
        duration_ms: 3_000,
        ..Scenario::default()
    };
    s.machine.cores = 4;
    s.pool.min_threads = Some(32);
    s.load.users = 20;
    s.load.think_ms = 20.0;
    s.load.ramp_ms = 100;
    s.endpoint.style = style;
    let mut io = Step::io(50.0, Dist::Fixed, None);
    io.complete_sync = complete_sync;
    s.endpoint.steps = vec![Step::cpu(0.2), io, Step::cpu(0.2)];
    s.limits.trace_events = 1_000_000;
    s
}

/// Runs to the end, checking the engine's invariants and that a fully synchronous I/O
/// step never shows an I/O in flight.
fn run(s: Scenario) -> (Sim, Vec<TraceEvent>) {
    let all_sync = s
        .endpoint
        .steps
        .iter()
        .all(|st| st.io_ms.is_none() || st.complete_sync >= 1.0);
    let mut sim = Sim::new(s).expect("valid");
    while sim.step() {
        sim.check_invariants().unwrap_or_else(|e| panic!("{e}"));
        if all_sync {
            assert_eq!(sim.snapshot().io_total, 0, "an I/O call went in flight");
        }
    }
    assert_eq!(sim.summary().trace_dropped, 0, "the whole trace is needed");
    let events = sim.trace().iter().copied().collect();
    (sim, events)
}

fn count(events: &[TraceEvent], kind: TraceKind) -> usize {
    events.iter().filter(|e| e.kind == kind).count()
}

/// For each answered request, the distinct threads that did any of its work.
fn threads_of_answered(events: &[TraceEvent]) -> BTreeMap<u64, Vec<u32>> {
    let mut map: BTreeMap<u64, Vec<u32>> = BTreeMap::new();
    for e in events {
        if let (Some(r), Some(t)) = (e.request, e.thread) {
            let list = map.entry(r).or_default();
            if !list.contains(&t) {
                list.push(t);
            }
        }
    }
    let answered: Vec<u64> = events
        .iter()
        .filter(|e| e.kind == TraceKind::Response)
        .filter_map(|e| e.request)
        .collect();
    map.retain(|r, _| answered.contains(r));
    map
}

#[test]
fn async_call_already_complete_keeps_its_thread_and_queues_nothing() {
    let (sim, events) = run(scenario(Style::Async, 1.0));
    let summary = sim.summary();
    assert!(summary.completed > 500, "{}", summary.completed);
    assert_eq!(count(&events, TraceKind::ContinuationQueued), 0);
    assert_eq!(count(&events, TraceKind::IoStarted), 0);
    assert_eq!(count(&events, TraceKind::IoCompleted), 0);
    assert_eq!(count(&events, TraceKind::ThreadBlocked), 0);
    // The task is created and completed at the same instant, by the thread that awaited it.
    assert_eq!(
        count(&events, TraceKind::TaskCreated),
        count(&events, TraceKind::TaskCompleted)
    );
    let fast: Vec<&TraceEvent> = events
        .iter()
        .filter(|e| e.kind == TraceKind::IoCompletedSynchronously)
        .collect();
    assert_eq!(fast.len(), count(&events, TraceKind::TaskCreated));
    for e in &fast {
        assert!(e.thread.is_some() && e.request.is_some() && e.task.is_some());
        let done = events
            .iter()
            .find(|d| d.kind == TraceKind::TaskCompleted && d.task == e.task)
            .expect("its task completes");
        assert_eq!((done.time_us, done.thread), (e.time_us, e.thread));
    }
    // One work item per request: it is served from start to answer on one thread.
    let per_request = threads_of_answered(&events);
    assert_eq!(per_request.len() as u64, summary.completed);
    for (request, threads) in &per_request {
        assert_eq!(
            threads.len(),
            1,
            "request {request} used threads {threads:?}"
        );
    }
    assert_eq!(summary.work_items, summary.arrived - summary.rejected);
    // With no I/O wait, latency is the CPU work (plus the odd wait for a core).
    assert!(summary.latency_ms.mean < 5.0, "{}", summary.latency_ms.mean);
}

#[test]
fn half_the_calls_take_the_fast_path_and_the_count_is_fixed_by_the_seed() {
    let (_, events) = run(scenario(Style::Async, 0.5));
    let fast = count(&events, TraceKind::IoCompletedSynchronously);
    let slow = count(&events, TraceKind::IoStarted);
    let share = fast as f64 / (fast + slow) as f64;
    assert!((0.4..=0.6).contains(&share), "fast {fast}, slow {slow}");
    // Every slow call resumes through a queued continuation; no fast one does.
    assert_eq!(
        count(&events, TraceKind::ContinuationQueued),
        count(&events, TraceKind::IoCompleted)
    );
    expect!["fast=629 slow=663"].assert_eq(&format!("fast={fast} slow={slow}"));
    let (_, again) = run(scenario(Style::Async, 0.5));
    assert_eq!(again, events, "same seed, same fast-path draws");
}

#[test]
fn blocking_read_already_complete_never_blocks_a_thread() {
    for style in [Style::Blocking, Style::CpuBound] {
        let (sim, events) = run(scenario(style, 1.0));
        assert_eq!(count(&events, TraceKind::ThreadBlocked), 0, "{style:?}");
        assert_eq!(count(&events, TraceKind::TaskCreated), 0, "{style:?}");
        assert!(sim.samples().iter().all(|s| s.threads_blocked == 0));
        let mut fast = events
            .iter()
            .filter(|e| e.kind == TraceKind::IoCompletedSynchronously);
        assert!(fast.clone().count() as u64 >= sim.summary().completed);
        assert!(fast.all(|e| e.thread.is_some() && e.task.is_none()));
    }
}

#[test]
fn result_on_a_completed_task_does_not_wait_nor_deadlock() {
    for (wait, context) in [
        (Wait::Result, false),
        (Wait::SleepPoll, false),
        (Wait::Result, true),
    ] {
        let mut s = scenario(Style::SyncOverAsync, 1.0);
        s.endpoint.wait = wait;
        s.pool.synchronization_context = context;
        let (sim, events) = run(s);
        let summary = sim.summary();
        let case = format!("{wait:?}, context {context}");
        assert_eq!(count(&events, TraceKind::ThreadBlocked), 0, "{case}");
        assert_eq!(count(&events, TraceKind::ContinuationQueued), 0, "{case}");
        assert_eq!(count(&events, TraceKind::PollWake), 0, "{case}");
        assert_eq!(summary.deadlocked, 0, "{case}");
        assert_eq!(summary.injections.cooperative, 0, "{case}");
        assert!(summary.completed > 500, "{case}: {}", summary.completed);
    }
}

#[test]
fn task_run_wrap_still_queues_its_body_when_the_inner_read_is_complete() {
    let (sim, events) = run(scenario(Style::TaskRunWrap, 1.0));
    let summary = sim.summary();
    assert_eq!(count(&events, TraceKind::ThreadBlocked), 0);
    // The wrapper does not know the read was instant: it still queues the body (two work
    // items per request), and the await after it resumes inline.
    let answered = summary.completed as usize;
    assert!(count(&events, TraceKind::TaskRunQueued) >= answered);
    assert!(count(&events, TraceKind::ContinuationInline) >= answered);
    assert_eq!(count(&events, TraceKind::ContinuationQueued), 0);
    assert!(summary.work_items >= 2 * summary.completed);
}

#[test]
fn fast_calls_skip_the_resource() {
    let mut s = scenario(Style::Async, 1.0);
    s.resources
        .insert("db".to_owned(), sim::Resource { capacity: 1 });
    s.endpoint.steps[1].resource = Some("db".to_owned());
    let (sim, events) = run(s);
    assert_eq!(count(&events, TraceKind::IoWaitResource), 0);
    assert!(sim.summary().completed > 500);
}

#[test]
fn the_field_round_trips_and_is_left_out_when_zero() {
    let text = r#"{ "version": 1, "endpoint": { "steps": [
        { "cpu_ms": 1 }, { "io_ms": 20, "complete_sync": 0.25 }, { "io_ms": 5 } ] } }"#;
    let s = parse_scenario(text).expect("valid");
    assert_eq!(s.endpoint.steps[1].complete_sync, 0.25);
    assert_eq!(s.endpoint.steps[2].complete_sync, 0.0);
    let json = s.to_json();
    assert_eq!(json.matches("complete_sync").count(), 1, "{json}");
    assert_eq!(parse_scenario(&json).expect("valid"), s);
    let via_serde: Scenario = serde_json::from_str(&json).expect("serde");
    assert_eq!(via_serde, s);
    assert!(!Scenario::default().to_json().contains("complete_sync"));
}

#[test]
fn zero_changes_nothing() {
    let base = scenario(Style::Async, 0.0);
    let mut explicit = base.clone();
    explicit.endpoint.steps[1].complete_sync = 0.0;
    let (a, _) = run(base);
    let (b, _) = run(explicit);
    assert_eq!(a.trace_hash(), b.trace_hash());
}

#[test]
fn bad_values_name_the_field_and_the_range() {
    let errors = |text: &str| -> Vec<String> {
        parse_scenario(text)
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    let got = errors(
        r#"{ "version": 1, "endpoint": { "steps": [
            { "io_ms": 5, "complete_sync": 1.5 }, { "io_ms": 5, "complete_sync": "yes" },
            { "io_ms": 5, "complete_sync": -0.1 } ] } }"#,
    );
    assert_eq!(
        got,
        vec![
            "endpoint.steps[0].complete_sync = 1.5: must be a number between 0 and 1",
            "endpoint.steps[1].complete_sync = \"yes\": must be a number between 0 and 1",
            "endpoint.steps[2].complete_sync = -0.1: must be a number between 0 and 1",
        ]
    );
    let got = errors(
        r#"{ "version": 1, "endpoint": { "steps": [ { "cpu_ms": 1, "complete_sync": 0.5 } ] } }"#,
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("endpoint.steps[0]: ") && got[0].contains("complete_sync belong"),
        "{got:?}"
    );
    let mut built = scenario(Style::Async, 2.0);
    let err = built.validate().expect_err("out of range");
    assert_eq!(err[0].field, "endpoint.steps[1].complete_sync");
    built.endpoint.steps[1].complete_sync = f64::NAN;
    assert!(built.validate().is_err());
    // A closed loop whose only wait always completes synchronously cannot move the clock.
    let frozen = r#"{ "version": 1, "pool": { "work_item_us": 0 },
        "endpoint": { "steps": [ { "io_ms": 5, "complete_sync": 1 } ] } }"#;
    let got = errors(frozen);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("complete_sync = 1 never waits"), "{got:?}");
    let moving = frozen.replace("\"complete_sync\": 1", "\"complete_sync\": 0.9");
    assert!(parse_scenario(&moving).is_ok());
}

#[test]
fn the_new_trace_kind_takes_the_next_code() {
    // Appended after every existing kind, so no recorded trace hash changes.
    assert_eq!(TraceKind::GoalHillClimbingDown.code(), 24);
    assert_eq!(TraceKind::IoCompletedSynchronously.code(), 25);
}
