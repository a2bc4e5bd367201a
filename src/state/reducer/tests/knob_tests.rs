use crate::curriculum::lessons::lesson_scenario;
use crate::state::reducer::*;

fn chapter(slug: &str) -> usize {
    CHAPTERS.iter().position(|c| c.slug == slug).unwrap()
}

#[test]
fn a_knob_restarts_the_run_with_its_value_keeping_setup_and_seed() {
    let ch7 = chapter("starvation");
    let s = State::default()
        .reduce(Action::SelectChapter(ch7))
        .reduce(Action::LoadSetup(1))
        .reduce(Action::SetSeed(11))
        .reduce(Action::Seek(3_000_000));
    assert_eq!(
        s.knob_shown().map(|(_, v)| v),
        Some(4),
        "the run's own minimum"
    );
    let k = s.reduce(Action::SetKnob(200));
    assert_eq!(k.run.knob, Some(200));
    assert_eq!(k.run.lesson, Some((ch7, 1)), "the setup stays");
    assert_eq!(k.run.seed, 11, "the seed stays");
    assert_eq!(k.run.snapshot.time_us, 0, "the run starts again");
    assert_eq!(k.run.scenario.pool.min_threads, Some(200));
    assert_eq!(k.knob_shown().map(|(_, v)| v), Some(200));
    // Everything else is the chapter's run as it was.
    let mut expected = lesson_scenario(ch7, "cooperative").unwrap();
    expected.pool.min_threads = Some(200);
    expected.seed = 11;
    assert_eq!(*k.run.scenario, expected);
    // Reset and a new seed keep the value; the run's own value clears it.
    assert_eq!(k.reduce(Action::Reset).run.knob, Some(200));
    assert_eq!(
        k.reduce(Action::SetSeed(12)).run.scenario.pool.min_threads,
        Some(200)
    );
    let back = k.reduce(Action::SetKnob(4));
    assert_eq!(back.run.knob, None);
    assert_eq!(
        back.run.scenario.pool.min_threads, None,
        "the run's own: as many as cores"
    );
    // Values the slider cannot hold, and the same value again, change nothing.
    for bad in [0, 3, 6, 260, u32::MAX] {
        assert_eq!(k.reduce(Action::SetKnob(bad)), k, "{bad}");
    }
    let played = k.reduce(Action::Seek(1_000_000));
    assert_eq!(played.reduce(Action::SetKnob(200)), played);
}

#[test]
fn a_knob_sets_both_sides_and_only_the_runs_it_names() {
    let ch8 = chapter("blocking-io-is-the-killer");
    let s = State::default()
        .reduce(Action::SelectChapter(ch8))
        .reduce(Action::SetKnob(40));
    let b = s.run.b.as_ref().expect("side B");
    assert_eq!((s.run.scenario.load.users, b.scenario.load.users), (40, 40));
    assert_eq!(b.scenario.seed, s.run.scenario.seed);
    // Chapter 7's third run has no knob: loading it drops the value.
    let ch7 = chapter("starvation");
    let s = State::default()
        .reduce(Action::SelectChapter(ch7))
        .reduce(Action::SetKnob(128));
    let third = s.reduce(Action::LoadSetup(2));
    assert_eq!((third.run.knob, third.knob_shown()), (None, None));
    assert_eq!(third.reduce(Action::SetKnob(128)), third);
    assert_eq!(third.run.scenario.pool.min_threads, None);
    // The same value moves the second run of the chapter as it moved the first.
    let second = s.reduce(Action::LoadSetup(1));
    assert_eq!(second.run.scenario.pool.min_threads, Some(128));
    // Chapters without a knob, presets and the reader's own scenario ignore it.
    let ch1 = State::default();
    assert_eq!(ch1.reduce(Action::SetKnob(8)), ch1);
    let preset = s.reduce(Action::SelectPreset(1));
    assert_eq!((preset.run.knob, preset.knob_shown()), (None, None));
    assert_eq!(preset.reduce(Action::SetKnob(8)), preset);
    // Another chapter starts from its own run.
    let moved = s
        .reduce(Action::NextChapter)
        .reduce(Action::PreviousChapter);
    assert_eq!(moved.run.knob, None);
    assert_eq!(moved.run.scenario.pool.min_threads, None);
}

#[test]
fn the_question_is_answered_on_the_chapters_own_run() {
    for (idx, c) in CHAPTERS.iter().enumerate() {
        let (Some(knob), Some(q)) = (Knob::of(c.slug), c.question) else {
            continue;
        };
        let plain = State::default().reduce(Action::SelectChapter(idx));
        let answer = plain
            .reduce(Action::Guess(0))
            .reduce(Action::Reveal)
            .course
            .revealed;
        let moved = plain
            .reduce(Action::LoadSetup(q.setup))
            .reduce(Action::SetKnob(knob.max))
            .reduce(Action::Guess(0))
            .reduce(Action::Reveal);
        assert_eq!(moved.course.revealed, answer, "{}", c.slug);
        assert_eq!(moved.run.knob, None, "{}", c.slug);
    }
}

#[test]
fn a_link_carries_the_knob_only_when_it_is_moved() {
    let ch5 = chapter("one-request-one-thread");
    let s = State::default().reduce(Action::SelectChapter(ch5));
    assert_eq!(s.link().knob, None);
    let k = s.reduce(Action::SetKnob(9));
    assert_eq!(
        crate::links::share::encode(&k.link()),
        format!("v=1&ch=one-request-one-thread&k=9&seed={}", k.run.seed)
    );
}
