//! The command-line tool runs every shipped scenario and fails clearly on bad input.

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_await-lab-sim");

#[test]
fn runs_every_shipped_scenario() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("scenarios/") {
        let path = entry.expect("entry").path();
        let out = Command::new(BIN).arg(&path).output().expect("runs");
        assert!(
            out.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
        for key in [
            "completed",
            "failed",
            "rejected",
            "throughput_rps",
            "latency_ms",
            "threads",
            "queue_len",
            "cpu_useful_pct",
            "cpu_switching_pct",
            "memory_reserved_mb_max",
            "memory_committed_mb_max",
            "events",
        ] {
            assert!(json.get(key).is_some(), "{}: no {key}", path.display());
        }
        for key in ["mean", "p50", "p95", "p99", "max"] {
            assert!(json["latency_ms"].get(key).is_some());
        }
        for key in ["max", "mean", "final"] {
            assert!(json["threads"].get(key).is_some());
        }
        n += 1;
    }
    assert!(n >= 10);
}

#[test]
fn samples_and_trace_flags_and_stdin() {
    let mut child = Command::new(BIN)
        .args(["--samples", "--trace", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(br#"{ "version": 1, "duration_ms": 1000 }"#)
        .expect("write");
    let out = child.wait_with_output().expect("output");
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["samples"].as_array().map(Vec::len), Some(10));
    assert!(json["trace"].as_array().is_some_and(|t| !t.is_empty()));
}

#[test]
fn bad_input_fails_with_a_clear_message() {
    let mut child = Command::new(BIN)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(br#"{ "version": 1, "load": { "users": 0 }, "machine": { "cores": "four" } }"#)
        .expect("write");
    let out = child.wait_with_output().expect("output");
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 problem(s)"), "{err}");
    assert!(
        err.contains("load.users = 0: must be between 1 and 100000"),
        "{err}"
    );
    assert!(err.contains("machine.cores = \"four\""), "{err}");

    let missing = Command::new(BIN)
        .arg("/nonexistent/x.json")
        .output()
        .expect("runs");
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));
    let usage = Command::new(BIN).output().expect("runs");
    assert!(!usage.status.success());
    assert!(String::from_utf8_lossy(&usage.stderr).contains("usage"));
}
