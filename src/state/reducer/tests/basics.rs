use crate::state::reducer::*;

#[test]
fn chapter_navigation_stays_in_range() {
    let last = CHAPTERS.len() - 1;
    let s = State::default();
    assert_eq!(s.reduce(Action::PreviousChapter).course.chapter_idx, 0);
    let end = s.reduce(Action::SelectChapter(last));
    assert_eq!(end.course.chapter_idx, last);
    assert_eq!(end.reduce(Action::NextChapter).course.chapter_idx, last);
    assert_eq!(s.reduce(Action::NextChapter).course.chapter_idx, 1);
}

#[test]
fn out_of_range_selection_is_ignored() {
    let s = State::default().reduce(Action::SelectChapter(3));
    assert_eq!(s.reduce(Action::SelectChapter(CHAPTERS.len())), s);
    assert_eq!(s.reduce(Action::SelectChapter(usize::MAX)), s);
    assert_eq!(s.reduce(Action::SelectPreset(PRESETS.len())), s);
    assert_eq!(s.reduce(Action::SetSpeed(SPEEDS.len())), s);
}

#[test]
fn theme_cycles_through_all_three() {
    let s = State::default();
    assert_eq!(s.page.theme, Theme::System);
    let s = s.reduce(Action::CycleTheme);
    assert_eq!(s.page.theme, Theme::Light);
    let s = s.reduce(Action::CycleTheme);
    assert_eq!(s.page.theme, Theme::Dark);
    assert_eq!(s.reduce(Action::CycleTheme).page.theme, Theme::System);
}

#[test]
fn unchanged_state_keeps_the_same_rc() {
    let rc = Rc::new(State::default());
    let same = Reducible::reduce(rc.clone(), Action::PreviousChapter);
    assert!(Rc::ptr_eq(&rc, &same));
    let moved = Reducible::reduce(rc.clone(), Action::NextChapter);
    assert!(!Rc::ptr_eq(&rc, &moved));
}

#[test]
fn step_forward_then_back_restores_the_exact_snapshot() {
    let s = State::default();
    let mut after = s.clone();
    for _ in 0..50 {
        after = after.reduce(Action::StepForward);
    }
    let before_last = after.reduce(Action::StepBack);
    let again = before_last.reduce(Action::StepForward);
    assert_eq!(again.run.snapshot, after.run.snapshot);
    assert_eq!(
        before_last.run.snapshot.counters.events + 1,
        after.run.snapshot.counters.events
    );
}

#[test]
fn ticks_advance_only_while_playing_and_at_the_chosen_speed() {
    let s = State::default();
    let paused = s.reduce(Action::Tick { elapsed_ms: 16 });
    assert_eq!(paused.run.snapshot.time_us, 0);
    let playing = s.reduce(Action::SetSpeed(4)).reduce(Action::TogglePlay);
    assert!(playing.run.playing);
    let t = playing.reduce(Action::Tick { elapsed_ms: 16 });
    assert_eq!(t.run.snapshot.time_us, 16 * SPEEDS[4].0);
    // A long frame is clamped so the run never leaps ahead unseen.
    let long = playing.reduce(Action::Reset).reduce(Action::TogglePlay);
    let long = long.reduce(Action::Tick { elapsed_ms: 10_000 });
    assert_eq!(
        long.run.snapshot.time_us,
        u64::from(FRAME_MS_MAX) * SPEEDS[4].0
    );
}

#[test]
fn seek_and_reset_and_seed() {
    let s = State::with_preset(0, 42);
    let later = s.reduce(Action::Seek(1_500_000));
    assert_eq!(later.run.snapshot.time_us, 1_500_000);
    let back = later.reduce(Action::Seek(500_000));
    let fresh = State::with_preset(0, 42).reduce(Action::Seek(500_000));
    assert_eq!(
        back.run.snapshot, fresh.run.snapshot,
        "seeking back is exact"
    );
    let reset = later.reduce(Action::Reset);
    assert_eq!(reset.run.snapshot.time_us, 0);
    let reseeded = s.reduce(Action::SetSeed(7)).reduce(Action::Seek(1_500_000));
    assert_eq!(reseeded.run.seed, 7);
    assert_ne!(
        reseeded.run.snapshot, later.run.snapshot,
        "another seed, another run"
    );
}

#[test]
fn playing_stops_at_the_end_of_the_run() {
    let s = State::default().reduce(Action::SetSpeed(SPEEDS.len() - 1));
    let mut s = s.reduce(Action::TogglePlay);
    let mut frames = 0;
    while s.run.playing && frames < 10_000 {
        s = s.reduce(Action::Tick { elapsed_ms: 100 });
        frames += 1;
    }
    assert!(!s.run.playing);
    assert_eq!(s.run.snapshot.time_us, s.run.simulation.end_us());
}

#[test]
fn a_run_out_of_view_pauses_and_plays_on_where_it_was() {
    let s = State::default()
        .reduce(Action::TogglePlay)
        .reduce(Action::Tick { elapsed_ms: 50 });
    let at_us = s.run.snapshot.time_us;
    assert!(s.run.playing && at_us > 0);
    let away = s.reduce(Action::SetInView(false));
    assert!(!away.run.playing && away.run.held);
    // Frames that still arrive while it is away move nothing.
    let away = away.reduce(Action::Tick { elapsed_ms: 50 });
    assert_eq!(away.run.snapshot.time_us, at_us);
    let back = away.reduce(Action::SetInView(true));
    assert!(back.run.playing && !back.run.held);
    assert_eq!(back.run.snapshot.time_us, at_us, "it picks up where it was");
    // A run the reader paused stays paused when it comes back into view.
    let paused = s.reduce(Action::Pause).reduce(Action::SetInView(false));
    assert!(!paused.run.held);
    assert!(!paused.reduce(Action::SetInView(true)).run.playing);
    // What the reader does while it is away wins over the view.
    let stepped = away.reduce(Action::StepForward);
    assert!(!stepped.reduce(Action::SetInView(true)).run.playing);
    // An autoplay that starts out of view waits for the view.
    let waiting = State::default()
        .reduce(Action::TogglePlay)
        .reduce(Action::SetInView(false));
    assert!(!waiting.run.playing && waiting.run.held);
    assert!(waiting.reduce(Action::SetInView(true)).run.playing);
}
