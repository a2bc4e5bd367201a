//! A load client like the one behind Microsoft's starvation tutorial (bombardier): each
//! attempt has a read deadline (`load.attempt_timeout_ms`); an attempt past it is abandoned
//! and the request sent again on a new connection, up to `load.attempts`, then failed. The
//! server is never told: it finishes every abandoned attempt (late responses).

mod common;

use sim::{Scenario, Sim, Style};

/// The tutorial's `.Result` endpoint, whose answers take seconds at first: many attempts
/// pass a 2 s deadline.
fn slow(attempts: u32) -> Scenario {
    let mut s = common::load("tutorial-result.json");
    s.load.attempt_timeout_ms = Some(2_000);
    s.load.attempts = attempts;
    s
}

#[test]
fn a_late_attempt_is_sent_again_and_fails_only_after_the_last() {
    let (_, one) = common::run(slow(1));
    let (_, five) = common::run(slow(5));
    // One attempt: the deadline fails the request at once, nothing is sent again.
    assert_eq!(one.attempts_abandoned, 0, "{one:?}");
    assert!(one.failed > 0, "{one:?}");
    // Five attempts: the same deadlines send requests again instead; a request fails only
    // after its fifth attempt, so failures are far fewer than abandoned attempts.
    assert!(five.attempts_abandoned > 0, "{five:?}");
    assert!(five.failed * 4 <= five.attempts_abandoned, "{five:?}");
    // Every abandoned attempt still runs on the server and ends as a late response (or
    // is still running at the end).
    assert!(five.late_responses > 0);
    // Each attempt is a request the server receives: answered, failed, abandoned, still
    // waiting or rejected, nothing lost.
    assert_eq!(
        five.arrived,
        five.completed + five.failed + five.attempts_abandoned + five.in_flight + five.rejected,
        "{five:?}"
    );
}

#[test]
fn without_a_deadline_per_attempt_nothing_changes() {
    // The default (no attempt deadline, one attempt) is the client timeout as before:
    // the attempt count alone retries nothing.
    let mut s = common::load("tutorial-result.json");
    s.load.attempts = 5;
    let (_, with_count) = common::run(s);
    let (_, plain) = common::run(common::load("tutorial-result.json"));
    assert_eq!(with_count.attempts_abandoned, 0);
    assert_eq!(with_count.completed, plain.completed);
    assert_eq!(with_count.trace_hash, plain.trace_hash);
}

#[test]
fn invariants_hold_with_retries() {
    for style in [Style::SyncOverAsync, Style::Blocking] {
        let mut s = slow(3);
        s.endpoint.style = style;
        s.duration_ms = 6_000;
        let mut sim = Sim::new(s).expect("valid");
        while sim.step() {
            if let Err(e) = sim.check_invariants() {
                panic!("{style:?}: {e}");
            }
        }
    }
}

#[test]
fn the_fields_are_checked_with_their_ranges() {
    let err = sim::parse_scenario(
        r#"{ "version": 1, "load": { "attempts": 0, "attempt_timeout_ms": 0 } }"#,
    )
    .expect_err("out of range");
    let fields: Vec<&str> = err.iter().map(|e| e.field.as_str()).collect();
    assert!(fields.contains(&"load.attempts"), "{fields:?}");
    assert!(fields.contains(&"load.attempt_timeout_ms"), "{fields:?}");
    let ok = sim::parse_scenario(
        r#"{ "version": 1, "load": { "attempts": 5, "attempt_timeout_ms": 2000 } }"#,
    )
    .expect("valid");
    assert_eq!(
        (ok.load.attempts, ok.load.attempt_timeout_ms),
        (5, Some(2_000))
    );
}
