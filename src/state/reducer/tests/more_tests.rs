use crate::state::reducer::*;

#[test]
fn samples_follow_the_clock_both_ways() {
    let s = State::default().reduce(Action::Seek(2_000_000));
    assert_eq!(s.run.samples.len(), 20, "one sample per 100 ms window");
    let back = s.reduce(Action::Seek(1_000_000));
    assert_eq!(back.run.samples.len(), 10);
    assert_eq!(back.run.samples[..], s.run.samples[..10]);
}

#[test]
fn an_applied_scenario_survives_reset_and_reseed_until_a_preset_is_chosen() {
    let mut own = presets::scenario(&PRESETS[1]);
    own.load.users = 7;
    own.seed = 99;
    let s = State::default().reduce(Action::ApplyScenario(Rc::new(own)));
    assert_eq!(s.run.seed, 99);
    assert_eq!(s.run.simulation.scenario().load.users, 7);
    let s = s.reduce(Action::Reset).reduce(Action::SetSeed(5));
    assert_eq!(s.run.simulation.scenario().load.users, 7);
    assert_eq!(s.run.simulation.scenario().seed, 5);
    let s = s.reduce(Action::SelectPreset(0));
    assert!(s.run.custom.is_none());
    assert_eq!(s.run.simulation.scenario().load.users, 40);
}
