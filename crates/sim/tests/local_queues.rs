//! Per-thread local queues: a `Task.Run` body goes to the local queue of the pool thread
//! that starts it; the owner takes its newest local item first, others steal the oldest
//! only when the global queue is empty; on .NET 10 a thread that blocks on a task moves
//! its local items to the high-priority queue.

mod common;

use sim::{Runtime, Scenario, TraceKind};

/// `Task.Run(() => Hash(input)).Result`: 2 ms of CPU offloaded, then waited on.
fn offload_then_block(runtime: Runtime, users: u32) -> Scenario {
    sim::parse_scenario(&format!(
        r#"{{
        "version": 1, "seed": 7, "duration_ms": 10000,
        "machine": {{ "cores": 8 }},
        "pool": {{ "runtime": "{}" }},
        "load": {{ "kind": "closed", "users": {users}, "think_ms": 0, "ramp_ms": 0 }},
        "endpoint": {{ "style": "sync_over_async", "wait": "result",
                       "steps": [ {{ "cpu_ms": 0.2 }}, {{ "cpu_ms": 2, "task_run": true }}, {{ "cpu_ms": 0.2 }} ] }}
    }}"#,
        runtime.name()
    ))
    .expect("scenario")
}

#[test]
fn a_blocked_threads_local_item_waits_for_the_global_queue_to_empty_before_net10() {
    for runtime in [Runtime::Net6, Runtime::Net8] {
        // Light load: the global queue is often empty, so idle threads steal the bodies.
        let light = common::run(offload_then_block(runtime, 4)).1;
        assert!(light.completed > 10_000, "{runtime:?}: {}", light.completed);
        // 200 users: new requests always wait in the global queue, so no thread ever
        // steals; each new thread takes a new request and blocks as well. Cooperative
        // blocking adds threads, which only take more new requests.
        let heavy = common::run(offload_then_block(runtime, 200)).1;
        assert!(heavy.completed < 50, "{runtime:?}: {}", heavy.completed);
        assert!(heavy.threads.max > 80, "{runtime:?}: {:?}", heavy.threads);
        assert!(
            heavy.cpu_useful_pct < 5.0,
            "{runtime:?}: {}",
            heavy.cpu_useful_pct
        );
    }
}

#[test]
fn net10_moves_a_blocking_threads_local_items_ahead_of_new_work() {
    let old = common::run(offload_then_block(Runtime::Net8, 200)).1;
    let new = common::run(offload_then_block(Runtime::Net10, 200)).1;
    // The cores are the limit now: 8 cores, 2.4 ms of CPU a request, at most ~3,300/s.
    assert!(new.completed > 30_000, "{}", new.completed);
    assert!(new.completed > 100 * old.completed.max(1));
    assert!(new.cpu_useful_pct > 90.0, "{}", new.cpu_useful_pct);
    assert!(new.threads.max < 30, "{:?}", new.threads);
    // Light load is the same on both: nothing waits in the global queue to steal past.
    let light_old = common::run(offload_then_block(Runtime::Net8, 4)).1;
    let light_new = common::run(offload_then_block(Runtime::Net10, 4)).1;
    let ratio = light_new.completed as f64 / light_old.completed as f64;
    assert!((0.9..1.1).contains(&ratio), "{ratio}");
}

#[test]
fn the_owner_takes_back_the_task_run_body_it_queued() {
    let mut s = common::load("cpu-bound-task-run.json");
    s.limits.trace_events = 200_000;
    let (sim, summary) = common::run(s);
    let mut first: std::collections::BTreeMap<u64, u32> = Default::default();
    let (mut same, mut bodies) = (0u32, 0u32);
    for e in sim.trace() {
        if e.kind != TraceKind::Dequeue {
            continue;
        }
        let (Some(r), Some(t)) = (e.request, e.thread) else {
            continue;
        };
        match first.get(&r) {
            None => {
                first.insert(r, t);
            }
            Some(&owner) => {
                bodies += 1;
                same += u32::from(owner == t);
            }
        }
    }
    assert!(bodies as u64 >= summary.completed, "{bodies}");
    assert!(
        same * 100 >= bodies * 99,
        "{same} of {bodies} on the same thread"
    );
    // The await after the body resumes inline: nothing else is queued.
    assert!(!sim
        .trace()
        .iter()
        .any(|e| e.kind == TraceKind::ContinuationQueued));
    assert!(summary.work_items <= 2 * summary.arrived + 16);
}

#[test]
fn the_same_seed_gives_the_same_trace_on_every_runtime() {
    for runtime in [Runtime::Net6, Runtime::Net8, Runtime::Net10] {
        let a = common::run(offload_then_block(runtime, 50)).1;
        let b = common::run(offload_then_block(runtime, 50)).1;
        assert_eq!(a.trace_hash, b.trace_hash, "{runtime:?}");
    }
}
