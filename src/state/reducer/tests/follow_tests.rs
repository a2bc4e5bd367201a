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
}

#[test]
fn the_log_holds_the_newest_events() {
    let s = State::with_preset(0, 42).reduce(Action::Seek(1_000_000));
    assert_eq!(s.run.log.len(), LOG_EVENTS_MAX);
    assert!(s.run.log.windows(2).all(|w| w[0].index < w[1].index));
    assert!(s.run.log.last().unwrap().time_us <= 1_000_000);
}
