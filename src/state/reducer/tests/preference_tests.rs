use crate::curriculum::lessons::lesson_scenario;
use crate::state::reducer::*;

#[test]
fn motion_cycles_and_survives_a_reset() {
    let s = State::default().reduce(Action::CycleMotion);
    assert_eq!(s.page.motion, Motion::Reduced);
    let s = s.reduce(Action::Reset).reduce(Action::SetHelp(true));
    assert_eq!(s.page.motion, Motion::Reduced);
    assert!(s.page.help_open);
    assert_eq!(
        s.reduce(Action::CycleMotion)
            .reduce(Action::CycleMotion)
            .page
            .motion,
        Motion::System
    );
}

#[test]
fn opening_a_chapter_loads_its_first_run_and_follows_a_request() {
    for (idx, chapter) in CHAPTERS.iter().enumerate() {
        let s = State::default().reduce(Action::SelectChapter(idx));
        assert_eq!(s.course.chapter_idx, idx);
        assert!(s.course.progress.visited & (1 << idx) != 0);
        let Some(setup) = chapter.setups.first() else {
            continue;
        };
        assert_eq!(s.run.lesson, Some((idx, 0)), "{}", chapter.slug);
        let expected = lesson_scenario(idx, setup.a).unwrap();
        assert_eq!(
            s.run.scenario.endpoint, expected.endpoint,
            "{}",
            chapter.slug
        );
        assert_eq!(s.run.seed, expected.seed);
        assert_eq!(s.run.b.is_some(), setup.b.is_some(), "{}", chapter.slug);
        assert_eq!(s.run.followed, Some(0));
        // The code panel's phase is the engine's from the first frame, and stays so once
        // the run plays.
        assert_eq!(s.run.followed_phase, s.run.simulation.request_phase(0));
        let later = s.reduce(Action::Seek(300_000));
        assert_eq!(
            later.run.followed_phase,
            later.run.simulation.request_phase(0)
        );
        assert!(later.run.followed_phase.is_some(), "{}", chapter.slug);
    }
}

#[test]
fn a_question_is_revealed_only_after_a_guess_and_by_the_simulation() {
    for (idx, chapter) in CHAPTERS.iter().enumerate() {
        let Some(q) = chapter.question else {
            continue;
        };
        let s = State::default().reduce(Action::SelectChapter(idx));
        assert_eq!(s.reduce(Action::Reveal), s, "no reveal without a guess");
        let guessed = s.reduce(Action::Guess(0));
        let shown = guessed.reduce(Action::Reveal);
        let value = shown.course.revealed.expect("revealed");
        assert_eq!(
            shown.run.snapshot.time_us,
            q.at_ms * 1_000,
            "{}",
            chapter.slug
        );
        assert_eq!(shown.run.lesson, Some((idx, q.setup)), "{}", chapter.slug);
        let read = shown.run.simulation.with_trace(|trace| {
            q.measure.read_run(
                &shown.run.snapshot,
                &shown.run.samples,
                shown.run.b.as_ref().map(|b| &*b.snapshot),
                trace,
            )
        });
        assert_eq!(read, Some(value), "{}", chapter.slug);
        assert!(q.answer(value).is_some(), "{}: {value}", chapter.slug);
        assert!(shown.course.progress.answered & (1 << idx) != 0);
        // The guess is locked once the answer is out, until the reader asks again.
        assert_eq!(shown.reduce(Action::Guess(1)).course.guess, Some(0));
        let again = shown.reduce(Action::AskAgain);
        assert_eq!((again.course.guess, again.course.revealed), (None, None));
        // Moving on forgets the guess but not the progress.
        let moved = shown
            .reduce(Action::NextChapter)
            .reduce(Action::PreviousChapter);
        assert_eq!((moved.course.guess, moved.course.revealed), (None, None));
        assert!(moved.course.progress.answered & (1 << idx) != 0);
    }
}

#[test]
fn only_the_first_answer_to_a_question_counts_towards_the_score() {
    for (idx, chapter) in CHAPTERS.iter().enumerate() {
        let Some(q) = chapter.question else {
            continue;
        };
        let s = State::default().reduce(Action::SelectChapter(idx));
        let shown = s.reduce(Action::Guess(0)).reduce(Action::Reveal);
        let right = q.answer(shown.course.revealed.unwrap()).unwrap();
        let wrong = (right + 1) % q.choices.len();
        let bit = 1 << idx;
        // A wrong first answer stays wrong, however the reader answers after it.
        let first = s.reduce(Action::Guess(wrong)).reduce(Action::Reveal);
        assert_eq!(
            first.course.progress.wrong_first & bit,
            bit,
            "{}",
            chapter.slug
        );
        let second = first
            .reduce(Action::AskAgain)
            .reduce(Action::Guess(right))
            .reduce(Action::Reveal);
        assert_eq!(second.course.revealed, first.course.revealed);
        assert_eq!(
            (
                second.course.progress.right_first & bit,
                second.course.progress.wrong_first & bit
            ),
            (0, bit),
            "{}",
            chapter.slug
        );
        // Moving away and back is not a fresh start either.
        let back = second
            .reduce(Action::NextChapter)
            .reduce(Action::PreviousChapter)
            .reduce(Action::Guess(right))
            .reduce(Action::Reveal);
        let firsts = |p: Progress| (p.answered, p.right_first, p.wrong_first);
        assert_eq!(
            firsts(back.course.progress),
            firsts(second.course.progress),
            "{}",
            chapter.slug
        );
        // A right first answer stays right.
        let first = s.reduce(Action::Guess(right)).reduce(Action::Reveal);
        let after = first
            .reduce(Action::AskAgain)
            .reduce(Action::Guess(wrong))
            .reduce(Action::Reveal);
        for p in [first.course.progress, after.course.progress] {
            assert_eq!(
                (p.right_first & bit, p.wrong_first & bit, p.answered & bit),
                (bit, 0, bit),
                "{}",
                chapter.slug
            );
        }
        // Progress read back from storage keeps its own first answer.
        let stored = Progress {
            answered: bit,
            wrong_first: bit,
            ..Progress::default()
        };
        let restored = after.reduce(Action::RestoreProgress(stored));
        assert_eq!(restored.course.progress.wrong_first & bit, bit);
        assert_eq!(restored.course.progress.right_first & bit, 0);
    }
}

#[test]
fn reset_and_seed_keep_the_chapter_run() {
    let Some(idx) = CHAPTERS.iter().position(|c| c.setups.len() > 1) else {
        return;
    };
    let s = State::default()
        .reduce(Action::SelectChapter(idx))
        .reduce(Action::LoadSetup(1));
    assert_eq!(s.run.lesson, Some((idx, 1)));
    let seeded = s.reduce(Action::SetSeed(s.run.seed + 1));
    assert_eq!(seeded.run.lesson, Some((idx, 1)));
    assert_eq!(seeded.run.seed, s.run.seed + 1);
    assert_eq!(seeded.run.b.is_some(), s.run.b.is_some());
    let reset = seeded.reduce(Action::StepForward).reduce(Action::Reset);
    assert_eq!(reset.run.snapshot.time_us, 0);
    assert_eq!(reset.run.lesson, Some((idx, 1)));
    // Choosing a preset leaves the chapter run behind.
    let preset = s.reduce(Action::SelectPreset(s.run.preset_idx));
    assert_eq!(preset.run.lesson, None);
}

#[test]
fn the_readers_own_scenario_survives_chapters_and_returns_in_the_sandbox() {
    let mut own = presets::scenario(&PRESETS[1]);
    own.load.users = 7;
    let own = Rc::new(own);
    let s = State::default().reduce(Action::ApplyScenario(own.clone()));
    assert_eq!(s.run.custom.as_deref(), Some(&*own));
    let elsewhere = s.reduce(Action::SelectChapter(1));
    let sandbox = elsewhere.reduce(Action::SelectChapter(CHAPTERS.len() - 1));
    assert_eq!(sandbox.course.own.as_deref(), Some(&*own));
    assert_eq!(sandbox.run.custom.as_deref(), Some(&*own));
    assert_eq!(sandbox.run.scenario.load.users, 7);
}

#[test]
fn stepping_the_followed_request_moves_to_its_next_event() {
    let s = State::default().reduce(Action::Follow(Some(0)));
    let mut at = s.clone();
    for _ in 0..4 {
        let next = at.reduce(Action::StepFollowed);
        assert!(
            next.run.followed_events.0.len() > at.run.followed_events.0.len(),
            "each step shows one more event of the request"
        );
        at = next;
    }
}

#[test]
fn watch_cues_toggle_and_reset_with_the_chapter() {
    let s = State::default().reduce(Action::Watch(Some(Target::Queue)));
    assert_eq!(s.course.watch, Some(Target::Queue));
    assert_eq!(s.reduce(Action::Watch(None)).course.watch, None);
    assert_eq!(s.reduce(Action::NextChapter).course.watch, None);
}

#[test]
fn one_workbench_tab_is_open_and_cues_open_theirs() {
    let s = State::default();
    assert_eq!(s.page.tab, Tab::Charts);
    let s = s.reduce(Action::OpenTab(Tab::Editor));
    assert_eq!(s.page.tab, Tab::Editor);
    // The tab outlives a new run and a new chapter.
    assert_eq!(s.reduce(Action::Reset).page.tab, Tab::Editor);
    assert_eq!(s.reduce(Action::NextChapter).page.tab, Tab::Editor);
    assert_eq!(s.reduce(Action::SelectPreset(1)).page.tab, Tab::Editor);
    assert_eq!(
        s.reduce(Action::Watch(Some(Target::Sweep))).page.tab,
        Tab::Sweep
    );
    assert_eq!(
        s.reduce(Action::Watch(Some(Target::Charts))).page.tab,
        Tab::Charts
    );
    assert_eq!(
        s.reduce(Action::Watch(Some(Target::Queue))).page.tab,
        Tab::Editor
    );
}

#[test]
fn fragments_name_their_tabs() {
    for tab in Tab::ALL {
        assert_eq!(Tab::for_fragment(tab.fragment()), Some(tab));
        assert_eq!(
            Tab::for_fragment(&format!("#{}", tab.fragment())),
            Some(tab)
        );
    }
    assert_eq!(Tab::for_fragment("#term-thread-pool"), Some(Tab::Glossary));
    assert_eq!(Tab::for_fragment("#stage"), None);
    assert_eq!(Tab::for_fragment(""), None);
}

#[test]
fn a_challenge_loads_is_edited_and_checked_and_its_solution_is_kept() {
    let own = Rc::new(Scenario {
        seed: 5,
        ..Scenario::default()
    });
    let sandbox = State::default()
        .reduce(Action::ApplyScenario(own.clone()))
        .reduce(Action::SelectChapter(CHAPTERS.len() - 1));
    // Nothing to check before a challenge is loaded.
    assert_eq!(sandbox.reduce(Action::CheckChallenge), sandbox);
    let loaded = sandbox.reduce(Action::LoadChallenge(0));
    assert_eq!(*loaded.run.scenario, CHALLENGES[0].scenario());
    assert_eq!(
        loaded.course.own.as_deref(),
        Some(&*own),
        "the reader's own is kept"
    );
    assert_eq!(loaded.course.challenge, Some(0));
    let failed = loaded.reduce(Action::CheckChallenge);
    let verdict = failed.run.verdict.clone().expect("a verdict");
    assert!(!verdict.passed, "{}", verdict.text);
    assert_eq!(failed.course.progress.solved, 0);
    // The reader raises the minimum in the editor and applies it: the old verdict goes.
    let mut fixed = CHALLENGES[0].scenario();
    fixed.pool.min_threads = Some(100);
    let applied = failed.reduce(Action::ApplyScenario(Rc::new(fixed)));
    assert_eq!(applied.run.verdict, None);
    assert_eq!(applied.course.challenge, Some(0));
    let passed = applied.reduce(Action::CheckChallenge);
    assert!(passed.run.verdict.as_ref().unwrap().passed);
    assert_eq!(passed.course.progress.solved, 1);
    assert_eq!(
        passed.reduce(Action::LoadChallenge(CHALLENGES.len())),
        passed
    );
}

#[test]
fn workload_answers_are_kept_per_row_and_can_change() {
    let s = State::default().reduce(Action::PickWorkload(1, Bound::Io));
    assert_eq!((s.course.picked, s.course.picked_io), (0b10, 0b10));
    let s = s.reduce(Action::PickWorkload(1, Bound::Cpu));
    assert_eq!((s.course.picked, s.course.picked_io), (0b10, 0));
    assert_eq!(s.reduce(Action::PickWorkload(99, Bound::Io)), s);
    // Moving between chapters keeps the reader's answers.
    assert_eq!(s.reduce(Action::NextChapter).course.picked, 0b10);
}
