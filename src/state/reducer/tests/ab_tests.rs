use crate::state::reducer::*;

#[test]
fn side_b_shares_the_clock_seed_and_load_but_not_the_style() {
    let s = State::with_preset(0, 42).reduce(Action::Compare(Some(1)));
    let b = s.run.b.as_ref().expect("A/B on");
    assert_eq!(b.scenario.seed, s.run.scenario.seed);
    assert_eq!(b.scenario.load, s.run.scenario.load);
    assert_ne!(b.scenario.endpoint.style, s.run.scenario.endpoint.style);
    let s = s.reduce(Action::Seek(3_000_000));
    let b = s.run.b.as_ref().unwrap();
    assert_eq!(b.snapshot.time_us, 3_000_000);
    assert!(b.snapshot.counters.completed > 3 * s.run.snapshot.counters.completed);
    // Back in time, both sides together, exactly.
    let back = s.reduce(Action::Seek(1_000_000));
    let fresh = State::with_preset(0, 42)
        .reduce(Action::Compare(Some(1)))
        .reduce(Action::Seek(1_000_000));
    assert_eq!(
        back.run.b.as_ref().unwrap().snapshot,
        fresh.run.b.as_ref().unwrap().snapshot
    );
    // Reset and reseed keep the comparison on.
    let reset = back.reduce(Action::SetSeed(3));
    assert_eq!(reset.run.b.as_ref().unwrap().scenario.seed, 3);
    assert!(reset.reduce(Action::Compare(None)).run.b.is_none());
}
