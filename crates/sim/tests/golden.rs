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
            injected starvation=0 cooperative=0 hill_climbing=+108-102 created=1 retired=0 deadlocked=0
            littles_law L=112.60 lambda_w=109.49 events=13529 trace_hash=ddb71e4525ab1859"#]],
    );
}

#[test]
fn tutorial_result() {
    check(
        "tutorial-result.json",
        expect![[r#"
            completed=143 failed=0 rejected=0 in_flight=125 throughput_rps=14.3
            latency_ms mean=5560.7 p50=6881.3 p95=7874.1 p99=7874.1 max=7874.1
            threads max=91 mean=63.7 final=91 queue_len max=123 mean=100.9
            cpu_useful_pct=0.05 cpu_switching_pct=0.001 context_switches=234
            memory_reserved_mb_max=91 memory_committed_mb_max=5.7
            injected starvation=0 cooperative=83 hill_climbing=+0-0 created=91 retired=0 deadlocked=0
            littles_law L=112.60 lambda_w=79.52 events=1349 trace_hash=aebf1baa1190cb13"#]],
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
            littles_law L=112.60 lambda_w=0.00 events=25072 trace_hash=63b3ee4fd52fbf43"#]],
    );
}

#[test]
fn blocking() {
    check(
        "blocking.json",
        expect![[r#"
            completed=1117 failed=0 rejected=0 in_flight=180 throughput_rps=111.7
            latency_ms mean=1564.7 p50=1622.0 p95=2195.5 p99=2261.0 max=2279.7
            threads max=11 mean=6.1 final=11 queue_len max=193 mean=177.9
            cpu_useful_pct=2.81 cpu_switching_pct=0.008 context_switches=1105
            memory_reserved_mb_max=11 memory_committed_mb_max=0.7
            injected starvation=0 cooperative=0 hill_climbing=+15-8 created=11 retired=0 deadlocked=0
            littles_law L=183.61 lambda_w=174.77 events=5807 trace_hash=38fd5d37286946b2"#]],
    );
}

#[test]
fn async_with_db() {
    check(
        "async.json",
        expect![[r#"
            completed=12994 failed=0 rejected=0 in_flight=68 throughput_rps=1299.4
            latency_ms mean=50.9 p50=45.6 p95=101.4 p99=145.4 max=346.4
            threads max=7 mean=6.7 final=7 queue_len max=5 mean=0.0
            cpu_useful_pct=32.64 cpu_switching_pct=0.003 context_switches=452
            memory_reserved_mb_max=7 memory_committed_mb_max=0.4
            injected starvation=0 cooperative=0 hill_climbing=+47-45 created=7 retired=0 deadlocked=0
            littles_law L=66.37 lambda_w=66.15 events=78188 trace_hash=ba534816b9357ac7"#]],
    );
}

#[test]
fn task_run_wrap() {
    check(
        "task-run-wrap.json",
        expect![[r#"
            completed=1782 failed=0 rejected=0 in_flight=179 throughput_rps=178.2
            latency_ms mean=964.7 p50=811.0 p95=1949.7 p99=2129.9 max=2234.3
            threads max=18 mean=10.2 final=18 queue_len max=193 mean=167.7
            cpu_useful_pct=4.48 cpu_switching_pct=0.013 context_switches=1797
            memory_reserved_mb_max=18 memory_committed_mb_max=1.1
            injected starvation=0 cooperative=0 hill_climbing=+42-32 created=18 retired=0 deadlocked=0
            littles_law L=176.96 lambda_w=171.91 events=10933 trace_hash=765f1bd4f1058854"#]],
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
            littles_law L=186.81 lambda_w=0.00 events=2072 trace_hash=77b809ba3c288374"#]],
    );
}

#[test]
fn cpu_bound() {
    check(
        "cpu-bound.json",
        expect![[r#"
            completed=7996 failed=0 rejected=0 in_flight=34 throughput_rps=799.6
            latency_ms mean=42.5 p50=41.5 p95=44.5 p99=49.7 max=65.0
            threads max=5 mean=5.0 final=5 queue_len max=46 mean=29.7
            cpu_useful_pct=99.99 cpu_switching_pct=0.006 context_switches=842
            memory_reserved_mb_max=5 memory_committed_mb_max=0.3
            injected starvation=0 cooperative=0 hill_climbing=+16-16 created=5 retired=0 deadlocked=0
            littles_law L=34.02 lambda_w=33.95 events=26704 trace_hash=05c97cd778453dbc"#]],
    );
}
