use crate::state::reducer::*;
use sim::TraceKind;

#[test]
fn a_followed_request_collects_its_own_story() {
    let s = State::default().reduce(Action::Seek(300_000));
    let s = s.reduce(Action::Follow(Some(0)));
    let (events, truncated) = &*s.run.followed_events;
    assert!(!truncated);
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e.request == Some(0)));
    assert_eq!(events[0].kind, TraceKind::Arrival);
    let later = s.reduce(Action::Seek(2_000_000));
    assert!(later.run.followed_events.0.len() >= events.len());
    let none = later.reduce(Action::Follow(None));
    assert!(none.run.followed_events.0.is_empty());
    assert_eq!(none.run.followed_phase, None);
}

#[test]
fn a_followed_request_carries_the_engines_phase() {
    let s = State::default().reduce(Action::Follow(Some(0)));
    assert_eq!(s.run.followed_phase, None, "not arrived at 0 s");
    let mut at = s;
    let mut seen = Vec::new();
    for _ in 0..40 {
        at = at.reduce(Action::StepFollowed);
        assert_eq!(at.run.followed_phase, at.run.simulation.request_phase(0));
        if seen.last() != at.run.followed_phase.as_ref() {
            seen.extend(at.run.followed_phase);
        }
    }
    assert!(seen.len() >= 3, "{seen:?}");
    let moved = at.reduce(Action::Seek(2_000_000));
    assert_eq!(moved.run.followed_phase, Some(sim::RequestPhase::Done));
    assert_eq!(moved.reduce(Action::Follow(None)).run.followed_phase, None);
}

#[test]
fn the_log_holds_the_newest_events() {
    let s = State::with_preset(0, 42).reduce(Action::Seek(1_000_000));
    assert_eq!(s.run.log.len(), LOG_EVENTS_MAX);
    assert!(s.run.log.windows(2).all(|w| w[0].index < w[1].index));
    assert!(s.run.log.last().unwrap().time_us <= 1_000_000);
}
