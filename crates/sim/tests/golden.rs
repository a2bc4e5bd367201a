//! Golden summaries of named scenarios. A change in any of these numbers is a change in
//! the model: review it, then refresh with `UPDATE_EXPECT=1 cargo test -p sim --test golden`.

mod common;

use expect_test::{expect, Expect};

fn check(name: &str, expected: Expect) {
    let (_, s) = common::run(common::load(name));
    let text = format!(
        "completed={} failed={} rejected={} in_flight={} throughput_rps={:.1}\n\
         latency_ms mean={:.1} p50={:.1} p95={:.1} p99={:.1} max={:.1}\n\
         threads max={} mean={:.1} final={} queue_len max={} mean={:.1}\n\
         cpu_useful_pct={:.2} cpu_switching_pct={:.3} context_switches={}\n\
         memory_reserved_mb_max={:.0} memory_committed_mb_max={:.1}\n\
         injected starvation={} cooperative={} hill_climbing=+{}-{} created={} retired={} deadlocked={}\n\
         littles_law L={:.2} lambda_w={:.2} events={} trace_hash={}",
        s.completed,
        s.failed,
        s.rejected,
        s.in_flight,
        s.throughput_rps,
        s.latency_ms.mean,
        s.latency_ms.p50,
        s.latency_ms.p95,
        s.latency_ms.p99,
        s.latency_ms.max,
        s.threads.max,
        s.threads.mean,
        s.threads.r#final,
        s.queue_len.max,
        s.queue_len.mean,
        s.cpu_useful_pct,
        s.cpu_switching_pct,
        s.context_switches,
        s.memory_reserved_mb_max,
        s.memory_committed_mb_max,
        s.injections.starvation,
        s.injections.cooperative,
        s.injections.hill_climbing,
        s.injections.hill_climbing_lowered,
        s.injections.threads_created,
        s.injections.threads_retired,
        s.deadlocked,
        s.littles_law.l_measured,
        s.littles_law.lambda_w,
        s.events,
        s.trace_hash,
    );
    expected.assert_eq(&text);
}

#[test]
fn tutorial_async() {
    check(
        "tutorial-async.json",
        expect![[r#"
            completed=2189 failed=0 rejected=0 in_flight=125 throughput_rps=218.9
            latency_ms mean=500.2 p50=500.2 p95=500.2 p99=500.2 max=500.2
            threads max=1 mean=1.0 final=1 queue_len max=0 mean=0.0
            cpu_useful_pct=0.57 cpu_switching_pct=0.000 context_switches=1
            memory_reserved_mb_max=1 memory_committed_mb_max=0.1
            injected starvation=0 cooperative=0 hill_climbing=+0-0 created=1 retired=0 deadlocked=0
            littles_law L=112.60 lambda_w=109.49 events=13548 trace_hash=39ec6ba6cba29fc7"#]],
    );
}

#[test]
fn tutorial_result() {
    check(
        "tutorial-result.json",
        expect![[r#"
            completed=141 failed=0 rejected=0 in_flight=125 throughput_rps=14.1
            latency_ms mean=5304.0 p50=6488.1 p95=7474.1 p99=7474.1 max=7474.1
            threads max=91 mean=63.8 final=91 queue_len max=124 mean=101.1
            cpu_useful_pct=0.05 cpu_switching_pct=0.001 context_switches=232
            memory_reserved_mb_max=91 memory_committed_mb_max=5.7
            injected starvation=0 cooperative=83 hill_climbing=+5-5 created=91 retired=0 deadlocked=0
            littles_law L=112.60 lambda_w=74.79 events=1356 trace_hash=24ad487a63e25b31"#]],
    );
}

#[test]
fn tutorial_sleep_wait() {
    check(
        "tutorial-sleep-wait.json",
        expect![[r#"
            completed=0 failed=0 rejected=0 in_flight=125 throughput_rps=0.0
            latency_ms mean=0.0 p50=0.0 p95=0.0 p99=0.0 max=0.0
            threads max=18 mean=12.5 final=18 queue_len max=125 mean=111.7
            cpu_useful_pct=0.03 cpu_switching_pct=0.047 context_switches=12455
            memory_reserved_mb_max=18 memory_committed_mb_max=1.1
            injected starvation=10 cooperative=0 hill_climbing=+0-0 created=18 retired=0 deadlocked=0
            littles_law L=112.60 lambda_w=0.00 events=25091 trace_hash=63b3ee4fd52fbf43"#]],
    );
}

#[test]
fn blocking() {
    check(
        "blocking.json",
        expect![[r#"
            completed=1579 failed=0 rejected=0 in_flight=173 throughput_rps=157.9
            latency_ms mean=1073.5 p50=1097.7 p95=1425.4 p99=1589.2 max=1741.3
            threads max=11 mean=8.5 final=11 queue_len max=189 mean=169.0
            cpu_useful_pct=3.97 cpu_switching_pct=0.012 context_switches=1563
            memory_reserved_mb_max=11 memory_committed_mb_max=0.7
            injected starvation=0 cooperative=0 hill_climbing=+11-4 created=11 retired=0 deadlocked=0
            littles_law L=179.04 lambda_w=169.51 events=8129 trace_hash=be289117f7ba6cb8"#]],
    );
}

#[test]
fn async_with_db() {
    check(
        "async.json",
        expect![[r#"
            completed=12994 failed=0 rejected=0 in_flight=68 throughput_rps=1299.4
            latency_ms mean=50.9 p50=45.6 p95=101.4 p99=145.4 max=346.4
            threads max=4 mean=4.0 final=4 queue_len max=5 mean=0.0
            cpu_useful_pct=32.64 cpu_switching_pct=0.000 context_switches=4
            memory_reserved_mb_max=4 memory_committed_mb_max=0.2
            injected starvation=0 cooperative=0 hill_climbing=+0-0 created=4 retired=0 deadlocked=0
            littles_law L=66.37 lambda_w=66.15 events=78207 trace_hash=3142b1fe8434f9a8"#]],
    );
}

#[test]
fn task_run_wrap() {
    check(
        "task-run-wrap.json",
        expect![[r#"
            completed=1208 failed=0 rejected=0 in_flight=184 throughput_rps=120.8
            latency_ms mean=1417.6 p50=1327.1 p95=2129.9 p99=2195.5 max=2911.7
            threads max=9 mean=6.9 final=9 queue_len max=196 mean=173.7
            cpu_useful_pct=3.19 cpu_switching_pct=0.009 context_switches=1230
            memory_reserved_mb_max=9 memory_committed_mb_max=0.6
            injected starvation=0 cooperative=0 hill_climbing=+9-5 created=9 retired=0 deadlocked=0
            littles_law L=182.59 lambda_w=171.25 events=9022 trace_hash=d1440256f58c0fa7"#]],
    );
}

#[test]
fn sync_context_deadlock() {
    check(
        "sync-context-deadlock.json",
        expect![[r#"
            completed=0 failed=800 rejected=0 in_flight=200 throughput_rps=0.0
            latency_ms mean=0.0 p50=0.0 p95=0.0 p99=0.0 max=0.0
            threads max=65 mean=43.8 final=65 queue_len max=936 mean=510.9
            cpu_useful_pct=0.08 cpu_switching_pct=0.000 context_switches=65
            memory_reserved_mb_max=65 memory_committed_mb_max=4.1
            injected starvation=0 cooperative=61 hill_climbing=+0-0 created=65 retired=0 deadlocked=65
            littles_law L=186.81 lambda_w=0.00 events=2091 trace_hash=77b809ba3c288374"#]],
    );
}

#[test]
fn cpu_bound() {
    check(
        "cpu-bound.json",
        expect![[r#"
            completed=7996 failed=0 rejected=0 in_flight=34 throughput_rps=799.6
            latency_ms mean=42.5 p50=40.4 p95=44.5 p99=44.5 max=65.0
            threads max=4 mean=4.0 final=4 queue_len max=46 mean=30.0
            cpu_useful_pct=100.00 cpu_switching_pct=0.000 context_switches=4
            memory_reserved_mb_max=4 memory_committed_mb_max=0.2
            injected starvation=0 cooperative=0 hill_climbing=+0-0 created=4 retired=0 deadlocked=0
            littles_law L=34.02 lambda_w=33.95 events=26729 trace_hash=a0a6a7e0d6d690de"#]],
    );
}
