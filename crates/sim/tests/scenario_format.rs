//! The scenario format: defaults, round trips, and validation that reports every problem
//! at once with the field, the value and the allowed range — and never panics.

mod common;

use sim::rng::{SimRng, Stream};
use sim::{parse_scenario, Scenario, Sim};

fn errors(text: &str) -> Vec<String> {
    match parse_scenario(text) {
        Ok(_) => Vec::new(),
        Err(list) => list.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn minimal_document_takes_every_default() {
    let s = parse_scenario(r#"{ "version": 1 }"#).expect("valid");
    assert_eq!(s, Scenario::default());
    assert_eq!(s.min_threads(), s.machine.cores);
}

#[test]
fn the_design_example_parses() {
    let text = r#"{
      "version": 1, "seed": 42, "duration_ms": 10000,
      "machine": { "cores": 4, "context_switch_us": 3, "time_slice_ms": 15,
                   "stack_reserve_kb": 1024, "stack_commit_kb": 64 },
      "pool": { "min_threads": 4, "max_threads": 1000, "starvation_injection": true,
                "cooperative_blocking": true, "synchronization_context": false },
      "load": { "kind": "closed", "users": 125, "think_ms": 0, "timeout_ms": 30000 },
      "endpoint": { "style": "async",
                    "steps": [ { "cpu_ms": 1 },
                               { "io_ms": 500, "dist": "fixed", "resource": "db" },
                               { "cpu_ms": 1 } ] },
      "resources": { "db": { "capacity": 100 } }
    }"#;
    let s = parse_scenario(text).expect("valid");
    assert_eq!(s.load.users, 125);
    assert_eq!(s.resources["db"].capacity, 100);
    let open = parse_scenario(
        r#"{ "version": 1, "load": { "kind": "open", "rate_per_s": 200, "timeout_ms": 30000 } }"#,
    )
    .expect("valid");
    assert_eq!(open.load.rate_per_s, 200.0);
}

#[test]
fn every_shipped_scenario_round_trips() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("scenarios/") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let s = common::load(&name);
        let again = parse_scenario(&s.to_json()).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(s, again, "{name}");
        let via_serde: Scenario = serde_json::from_str(&s.to_json()).expect("serde");
        assert_eq!(s, via_serde, "{name}");
        n += 1;
    }
    assert!(n >= 10);
}

#[test]
fn all_problems_are_reported_together() {
    let text = r#"{
      "version": 1,
      "duration_ms": -5,
      "machine": { "cores": 0, "context_swich_us": 3 },
      "pool": { "max_threads": 40000, "starvation_injection": "yes" },
      "load": { "kind": "closed", "users": 0, "rate_per_s": "fast" },
      "endpoint": { "style": "asyn", "steps": [ { "cpu_ms": 1, "io_ms": 3 }, { "io_ms": 5, "resource": "dbb" } ] },
      "resources": { "db": { "capacity": 0 } },
      "colour": "blue"
    }"#;
    let list = errors(text);
    let expected = [
        "duration_ms = -5: must be between 1 and 86400000",
        "machine.cores = 0: must be between 1 and 1024",
        "machine.context_swich_us: unknown field (did you mean \"context_switch_us\"?)",
        "pool.max_threads = 40000: must be between 1 and 32767",
        "pool.starvation_injection = \"yes\": must be true or false",
        "load.users = 0: must be between 1 and 100000",
        "load.rate_per_s = \"fast\": must be a number between 0.001 and 1000000",
        "endpoint.style = \"asyn\": must be one of \"blocking\", \"async\", \"sync_over_async\", \"task_run_wrap\", \"cpu_bound\" (did you mean \"async\"?)",
        "endpoint.steps[0]: has both cpu_ms and io_ms; a step is either CPU work or an I/O call",
        "endpoint.steps[1].resource = \"dbb\": is not a key of resources (did you mean \"db\"?)",
        "resources.db.capacity = 0: must be between 1 and 1000000",
        "colour: unknown field (known fields: version, seed, duration_ms, sample_window_ms, machine, pool, load, endpoint, resources, limits)",
    ];
    for e in expected {
        assert!(
            list.iter().any(|l| l == e),
            "missing {e:?} in:\n{}",
            list.join("\n")
        );
    }
    assert_eq!(list.len(), expected.len(), "{}", list.join("\n"));
}

#[test]
fn relations_between_fields_are_checked() {
    let list = errors(
        r#"{ "version": 1, "machine": { "cores": 8, "stack_reserve_kb": 64, "stack_commit_kb": 128 },
             "pool": { "min_threads": 50, "max_threads": 10 } }"#,
    );
    assert!(
        list.iter()
            .any(|l| l.starts_with("machine.stack_commit_kb = 128")),
        "{list:?}"
    );
    assert!(
        list.iter().any(|l| l.starts_with("pool.min_threads = 50")),
        "{list:?}"
    );
    let list =
        errors(r#"{ "version": 1, "machine": { "cores": 16 }, "pool": { "max_threads": 8 } }"#);
    assert!(
        list.iter().any(|l| l.contains("defaults to machine.cores")),
        "{list:?}"
    );
}

#[test]
fn wrong_documents_give_one_clear_error() {
    assert!(errors("")[0].contains("not valid JSON"));
    assert!(errors("[1, 2]")[0].contains("must be an object"));
    assert_eq!(errors("{}"), vec!["version: missing; must be 1".to_owned()]);
    assert_eq!(
        errors(r#"{ "version": 2 }"#),
        vec!["version = 2: must be 1".to_owned()]
    );
}

#[test]
fn validate_checks_scenarios_built_in_code() {
    let mut s = Scenario::default();
    s.load.users = 0;
    s.endpoint.steps.clear();
    s.load.think_ms = f64::NAN;
    let list: Vec<String> = s
        .validate()
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        list.contains(&"load.users = 0: must be between 1 and 100000".to_owned()),
        "{list:?}"
    );
    assert!(
        list.iter().any(|l| l.starts_with("endpoint.steps")),
        "{list:?}"
    );
    assert!(
        list.iter().any(|l| l.starts_with("load.think_ms = NaN")),
        "{list:?}"
    );
    assert!(Sim::new(s).is_err());
}

/// Random mutations of a valid document: parsing never panics, and whatever parses runs.
#[test]
fn nothing_panics_on_mangled_input() {
    let base = common::load("blocking.json").to_json();
    let junk: [&str; 12] = [
        "null",
        "-1",
        "1e308",
        "\"x\"",
        "[]",
        "{}",
        "true",
        "18446744073709551616",
        "0.5",
        "{\"a\":1}",
        "[[[]]]",
        "-0",
    ];
    let mut rng = SimRng::new(99, Stream::Io);
    let mut parsed = 0;
    for _ in 0..3_000 {
        let mut text = base.clone().into_bytes();
        let mutation = rng.next_u64() % 3;
        let at = (rng.next_u64() % text.len() as u64) as usize;
        match mutation {
            0 => {
                text.truncate(at);
            }
            1 => {
                // Replace a value after a colon with junk.
                if let Some(colon) = text[at..].iter().position(|&b| b == b':') {
                    let start = at + colon + 1;
                    let end = text[start..]
                        .iter()
                        .position(|&b| b == b',' || b == b'}' || b == b'\n')
                        .map_or(text.len(), |e| start + e);
                    let j = junk[(rng.next_u64() % junk.len() as u64) as usize];
                    text.splice(start..end, j.bytes());
                }
            }
            _ => {
                text[at] = (rng.next_u64() % 128) as u8;
            }
        }
        let text = String::from_utf8_lossy(&text).into_owned();
        if let Ok(mut s) = parse_scenario(&text) {
            parsed += 1;
            s.duration_ms = s.duration_ms.min(300);
            s.load.users = s.load.users.min(500);
            s.load.rate_per_s = s.load.rate_per_s.min(5_000.0);
            let mut sim = Sim::new(s).expect("a parsed scenario is valid");
            sim.run_to_end();
            sim.check_invariants().expect("invariants");
        }
    }
    assert!(parsed > 100, "too few mutations parsed: {parsed}");
}

#[test]
fn a_closed_loop_that_cannot_move_the_clock_is_refused() {
    let list = errors(
        r#"{ "version": 1, "pool": { "work_item_us": 0 },
             "endpoint": { "steps": [ { "cpu_ms": 0 }, { "io_ms": 0.0001 } ] } }"#,
    );
    assert_eq!(list.len(), 1, "{list:?}");
    assert!(list[0].contains("endlessly at one instant"), "{list:?}");
    // With a think time the same program is fine.
    assert!(errors(
        r#"{ "version": 1, "pool": { "work_item_us": 0 }, "load": { "think_ms": 1 },
             "endpoint": { "steps": [ { "cpu_ms": 0 } ] } }"#
    )
    .is_empty());
}
