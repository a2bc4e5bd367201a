//! The reducer's tests, by what they cover; `State::reduce` is tested natively.

mod basics {
    use crate::state::reducer::*;

    #[test]
    fn chapter_navigation_stays_in_range() {
        let last = CHAPTERS.len() - 1;
        let s = State::default();
        assert_eq!(s.reduce(Action::PreviousChapter).chapter_idx, 0);
        let end = s.reduce(Action::SelectChapter(last));
        assert_eq!(end.chapter_idx, last);
        assert_eq!(end.reduce(Action::NextChapter).chapter_idx, last);
        assert_eq!(s.reduce(Action::NextChapter).chapter_idx, 1);
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
        assert_eq!(s.theme, Theme::System);
        let s = s.reduce(Action::CycleTheme);
        assert_eq!(s.theme, Theme::Light);
        let s = s.reduce(Action::CycleTheme);
        assert_eq!(s.theme, Theme::Dark);
        assert_eq!(s.reduce(Action::CycleTheme).theme, Theme::System);
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
        assert_eq!(again.snapshot, after.snapshot);
        assert_eq!(
            before_last.snapshot.counters.events + 1,
            after.snapshot.counters.events
        );
    }

    #[test]
    fn ticks_advance_only_while_playing_and_at_the_chosen_speed() {
        let s = State::default();
        let paused = s.reduce(Action::Tick { elapsed_ms: 16 });
        assert_eq!(paused.snapshot.time_us, 0);
        let playing = s.reduce(Action::SetSpeed(4)).reduce(Action::TogglePlay);
        assert!(playing.playing);
        let t = playing.reduce(Action::Tick { elapsed_ms: 16 });
        assert_eq!(t.snapshot.time_us, 16 * SPEEDS[4].0);
        // A long frame is clamped so the run never leaps ahead unseen.
        let long = playing.reduce(Action::Reset).reduce(Action::TogglePlay);
        let long = long.reduce(Action::Tick { elapsed_ms: 10_000 });
        assert_eq!(long.snapshot.time_us, u64::from(FRAME_MS_MAX) * SPEEDS[4].0);
    }

    #[test]
    fn seek_and_reset_and_seed() {
        let s = State::with_preset(0, 42);
        let later = s.reduce(Action::Seek(1_500_000));
        assert_eq!(later.snapshot.time_us, 1_500_000);
        let back = later.reduce(Action::Seek(500_000));
        let fresh = State::with_preset(0, 42).reduce(Action::Seek(500_000));
        assert_eq!(back.snapshot, fresh.snapshot, "seeking back is exact");
        let reset = later.reduce(Action::Reset);
        assert_eq!(reset.snapshot.time_us, 0);
        let reseeded = s.reduce(Action::SetSeed(7)).reduce(Action::Seek(1_500_000));
        assert_eq!(reseeded.seed, 7);
        assert_ne!(
            reseeded.snapshot, later.snapshot,
            "another seed, another run"
        );
    }

    #[test]
    fn playing_stops_at_the_end_of_the_run() {
        let s = State::default().reduce(Action::SetSpeed(SPEEDS.len() - 1));
        let mut s = s.reduce(Action::TogglePlay);
        let mut frames = 0;
        while s.playing && frames < 10_000 {
            s = s.reduce(Action::Tick { elapsed_ms: 100 });
            frames += 1;
        }
        assert!(!s.playing);
        assert_eq!(s.snapshot.time_us, s.simulation.end_us());
    }

    #[test]
    fn a_run_out_of_view_pauses_and_plays_on_where_it_was() {
        let s = State::default()
            .reduce(Action::TogglePlay)
            .reduce(Action::Tick { elapsed_ms: 50 });
        let at_us = s.snapshot.time_us;
        assert!(s.playing && at_us > 0);
        let away = s.reduce(Action::SetInView(false));
        assert!(!away.playing && away.held);
        // Frames that still arrive while it is away move nothing.
        let away = away.reduce(Action::Tick { elapsed_ms: 50 });
        assert_eq!(away.snapshot.time_us, at_us);
        let back = away.reduce(Action::SetInView(true));
        assert!(back.playing && !back.held);
        assert_eq!(back.snapshot.time_us, at_us, "it picks up where it was");
        // A run the reader paused stays paused when it comes back into view.
        let paused = s.reduce(Action::Pause).reduce(Action::SetInView(false));
        assert!(!paused.held);
        assert!(!paused.reduce(Action::SetInView(true)).playing);
        // What the reader does while it is away wins over the view.
        let stepped = away.reduce(Action::StepForward);
        assert!(!stepped.reduce(Action::SetInView(true)).playing);
        // An autoplay that starts out of view waits for the view.
        let waiting = State::default()
            .reduce(Action::TogglePlay)
            .reduce(Action::SetInView(false));
        assert!(!waiting.playing && waiting.held);
        assert!(waiting.reduce(Action::SetInView(true)).playing);
    }
}

mod more_tests {
    use crate::state::reducer::*;

    #[test]
    fn samples_follow_the_clock_both_ways() {
        let s = State::default().reduce(Action::Seek(2_000_000));
        assert_eq!(s.samples.len(), 20, "one sample per 100 ms window");
        let back = s.reduce(Action::Seek(1_000_000));
        assert_eq!(back.samples.len(), 10);
        assert_eq!(back.samples[..], s.samples[..10]);
    }

    #[test]
    fn an_applied_scenario_survives_reset_and_reseed_until_a_preset_is_chosen() {
        let mut own = presets::scenario(&PRESETS[1]);
        own.load.users = 7;
        own.seed = 99;
        let s = State::default().reduce(Action::ApplyScenario(Rc::new(own)));
        assert_eq!(s.seed, 99);
        assert_eq!(s.simulation.scenario().load.users, 7);
        let s = s.reduce(Action::Reset).reduce(Action::SetSeed(5));
        assert_eq!(s.simulation.scenario().load.users, 7);
        assert_eq!(s.simulation.scenario().seed, 5);
        let s = s.reduce(Action::SelectPreset(0));
        assert!(s.custom.is_none());
        assert_eq!(s.simulation.scenario().load.users, 40);
    }
}

mod follow_tests {
    use crate::state::reducer::*;
    use sim::TraceKind;

    #[test]
    fn a_followed_request_collects_its_own_story() {
        let s = State::default().reduce(Action::Seek(300_000));
        let s = s.reduce(Action::Follow(Some(0)));
        let (events, truncated) = &*s.followed_events;
        assert!(!truncated);
        assert!(!events.is_empty());
        assert!(events.iter().all(|e| e.request == Some(0)));
        assert_eq!(events[0].kind, TraceKind::Arrival);
        let later = s.reduce(Action::Seek(2_000_000));
        assert!(later.followed_events.0.len() >= events.len());
        let none = later.reduce(Action::Follow(None));
        assert!(none.followed_events.0.is_empty());
        assert_eq!(none.followed_phase, None);
    }

    #[test]
    fn a_followed_request_carries_the_engines_phase() {
        let s = State::default().reduce(Action::Follow(Some(0)));
        assert_eq!(s.followed_phase, None, "not arrived at 0 s");
        let mut at = s;
        let mut seen = Vec::new();
        for _ in 0..40 {
            at = at.reduce(Action::StepFollowed);
            assert_eq!(at.followed_phase, at.simulation.request_phase(0));
            if seen.last() != at.followed_phase.as_ref() {
                seen.extend(at.followed_phase);
            }
        }
        assert!(seen.len() >= 3, "{seen:?}");
        let moved = at.reduce(Action::Seek(2_000_000));
        assert_eq!(moved.followed_phase, Some(sim::RequestPhase::Done));
        assert_eq!(moved.reduce(Action::Follow(None)).followed_phase, None);
    }

    #[test]
    fn the_log_holds_the_newest_events() {
        let s = State::with_preset(0, 42).reduce(Action::Seek(1_000_000));
        assert_eq!(s.log.len(), LOG_EVENTS_MAX);
        assert!(s.log.windows(2).all(|w| w[0].index < w[1].index));
        assert!(s.log.last().unwrap().time_us <= 1_000_000);
    }
}

mod ab_tests {
    use crate::state::reducer::*;

    #[test]
    fn side_b_shares_the_clock_seed_and_load_but_not_the_style() {
        let s = State::with_preset(0, 42).reduce(Action::Compare(Some(1)));
        let b = s.b.as_ref().expect("A/B on");
        assert_eq!(b.scenario.seed, s.scenario.seed);
        assert_eq!(b.scenario.load, s.scenario.load);
        assert_ne!(b.scenario.endpoint.style, s.scenario.endpoint.style);
        let s = s.reduce(Action::Seek(3_000_000));
        let b = s.b.as_ref().unwrap();
        assert_eq!(b.snapshot.time_us, 3_000_000);
        assert!(b.snapshot.counters.completed > 3 * s.snapshot.counters.completed);
        // Back in time, both sides together, exactly.
        let back = s.reduce(Action::Seek(1_000_000));
        let fresh = State::with_preset(0, 42)
            .reduce(Action::Compare(Some(1)))
            .reduce(Action::Seek(1_000_000));
        assert_eq!(
            back.b.as_ref().unwrap().snapshot,
            fresh.b.as_ref().unwrap().snapshot
        );
        // Reset and reseed keep the comparison on.
        let reset = back.reduce(Action::SetSeed(3));
        assert_eq!(reset.b.as_ref().unwrap().scenario.seed, 3);
        assert!(reset.reduce(Action::Compare(None)).b.is_none());
    }
}

mod preference_tests {
    use crate::state::reducer::*;

    #[test]
    fn motion_cycles_and_survives_a_reset() {
        let s = State::default().reduce(Action::CycleMotion);
        assert_eq!(s.motion, Motion::Reduced);
        let s = s.reduce(Action::Reset).reduce(Action::SetHelp(true));
        assert_eq!(s.motion, Motion::Reduced);
        assert!(s.help_open);
        assert_eq!(
            s.reduce(Action::CycleMotion)
                .reduce(Action::CycleMotion)
                .motion,
            Motion::System
        );
    }

    #[test]
    fn opening_a_chapter_loads_its_first_run_and_follows_a_request() {
        for (idx, chapter) in CHAPTERS.iter().enumerate() {
            let s = State::default().reduce(Action::SelectChapter(idx));
            assert_eq!(s.chapter_idx, idx);
            assert!(s.progress.visited & (1 << idx) != 0);
            let Some(setup) = chapter.setups.first() else {
                continue;
            };
            assert_eq!(s.lesson, Some((idx, 0)), "{}", chapter.slug);
            let expected = lesson_scenario(idx, setup.a).unwrap();
            assert_eq!(s.scenario.endpoint, expected.endpoint, "{}", chapter.slug);
            assert_eq!(s.seed, expected.seed);
            assert_eq!(s.b.is_some(), setup.b.is_some(), "{}", chapter.slug);
            assert_eq!(s.followed, Some(0));
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
            let value = shown.revealed.expect("revealed");
            assert_eq!(shown.snapshot.time_us, q.at_ms * 1_000, "{}", chapter.slug);
            assert_eq!(shown.lesson, Some((idx, q.setup)), "{}", chapter.slug);
            let read = shown.simulation.with_trace(|trace| {
                q.measure.read_run(
                    &shown.snapshot,
                    shown.samples.last(),
                    shown.b.as_ref().map(|b| &*b.snapshot),
                    trace,
                )
            });
            assert_eq!(read, Some(value), "{}", chapter.slug);
            assert!(q.answer(value).is_some(), "{}: {value}", chapter.slug);
            assert!(shown.progress.answered & (1 << idx) != 0);
            // The guess is locked once the answer is out, until the reader asks again.
            assert_eq!(shown.reduce(Action::Guess(1)).guess, Some(0));
            let again = shown.reduce(Action::AskAgain);
            assert_eq!((again.guess, again.revealed), (None, None));
            // Moving on forgets the guess but not the progress.
            let moved = shown
                .reduce(Action::NextChapter)
                .reduce(Action::PreviousChapter);
            assert_eq!((moved.guess, moved.revealed), (None, None));
            assert!(moved.progress.answered & (1 << idx) != 0);
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
            let right = q.answer(shown.revealed.unwrap()).unwrap();
            let wrong = (right + 1) % q.choices.len();
            let bit = 1 << idx;
            // A wrong first answer stays wrong, however the reader answers after it.
            let first = s.reduce(Action::Guess(wrong)).reduce(Action::Reveal);
            assert_eq!(first.progress.wrong_first & bit, bit, "{}", chapter.slug);
            let second = first
                .reduce(Action::AskAgain)
                .reduce(Action::Guess(right))
                .reduce(Action::Reveal);
            assert_eq!(second.revealed, first.revealed);
            assert_eq!(
                (
                    second.progress.right_first & bit,
                    second.progress.wrong_first & bit
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
                firsts(back.progress),
                firsts(second.progress),
                "{}",
                chapter.slug
            );
            // A right first answer stays right.
            let first = s.reduce(Action::Guess(right)).reduce(Action::Reveal);
            let after = first
                .reduce(Action::AskAgain)
                .reduce(Action::Guess(wrong))
                .reduce(Action::Reveal);
            for p in [first.progress, after.progress] {
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
            assert_eq!(restored.progress.wrong_first & bit, bit);
            assert_eq!(restored.progress.right_first & bit, 0);
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
        assert_eq!(s.lesson, Some((idx, 1)));
        let seeded = s.reduce(Action::SetSeed(s.seed + 1));
        assert_eq!(seeded.lesson, Some((idx, 1)));
        assert_eq!(seeded.seed, s.seed + 1);
        assert_eq!(seeded.b.is_some(), s.b.is_some());
        let reset = seeded.reduce(Action::StepForward).reduce(Action::Reset);
        assert_eq!(reset.snapshot.time_us, 0);
        assert_eq!(reset.lesson, Some((idx, 1)));
        // Choosing a preset leaves the chapter run behind.
        let preset = s.reduce(Action::SelectPreset(s.preset_idx));
        assert_eq!(preset.lesson, None);
    }

    #[test]
    fn the_readers_own_scenario_survives_chapters_and_returns_in_the_sandbox() {
        let mut own = presets::scenario(&PRESETS[1]);
        own.load.users = 7;
        let own = Rc::new(own);
        let s = State::default().reduce(Action::ApplyScenario(own.clone()));
        assert_eq!(s.custom.as_deref(), Some(&*own));
        let elsewhere = s.reduce(Action::SelectChapter(1));
        let sandbox = elsewhere.reduce(Action::SelectChapter(CHAPTERS.len() - 1));
        assert_eq!(sandbox.own.as_deref(), Some(&*own));
        assert_eq!(sandbox.custom.as_deref(), Some(&*own));
        assert_eq!(sandbox.scenario.load.users, 7);
    }

    #[test]
    fn stepping_the_followed_request_moves_to_its_next_event() {
        let s = State::default().reduce(Action::Follow(Some(0)));
        let mut at = s.clone();
        for _ in 0..4 {
            let next = at.reduce(Action::StepFollowed);
            assert!(
                next.followed_events.0.len() > at.followed_events.0.len(),
                "each step shows one more event of the request"
            );
            at = next;
        }
    }

    #[test]
    fn watch_cues_toggle_and_reset_with_the_chapter() {
        let s = State::default().reduce(Action::Watch(Some(Target::Queue)));
        assert_eq!(s.watch, Some(Target::Queue));
        assert_eq!(s.reduce(Action::Watch(None)).watch, None);
        assert_eq!(s.reduce(Action::NextChapter).watch, None);
    }

    #[test]
    fn one_workbench_tab_is_open_and_cues_open_theirs() {
        let s = State::default();
        assert_eq!(s.tab, Tab::Charts);
        let s = s.reduce(Action::OpenTab(Tab::Editor));
        assert_eq!(s.tab, Tab::Editor);
        // The tab outlives a new run and a new chapter.
        assert_eq!(s.reduce(Action::Reset).tab, Tab::Editor);
        assert_eq!(s.reduce(Action::NextChapter).tab, Tab::Editor);
        assert_eq!(s.reduce(Action::SelectPreset(1)).tab, Tab::Editor);
        assert_eq!(s.reduce(Action::Watch(Some(Target::Sweep))).tab, Tab::Sweep);
        assert_eq!(
            s.reduce(Action::Watch(Some(Target::Charts))).tab,
            Tab::Charts
        );
        assert_eq!(
            s.reduce(Action::Watch(Some(Target::Queue))).tab,
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
        assert_eq!(*loaded.scenario, CHALLENGES[0].scenario());
        assert_eq!(
            loaded.own.as_deref(),
            Some(&*own),
            "the reader's own is kept"
        );
        assert_eq!(loaded.challenge, Some(0));
        let failed = loaded.reduce(Action::CheckChallenge);
        let verdict = failed.verdict.clone().expect("a verdict");
        assert!(!verdict.passed, "{}", verdict.text);
        assert_eq!(failed.progress.solved, 0);
        // The reader raises the minimum in the editor and applies it: the old verdict goes.
        let mut fixed = CHALLENGES[0].scenario();
        fixed.pool.min_threads = Some(100);
        let applied = failed.reduce(Action::ApplyScenario(Rc::new(fixed)));
        assert_eq!(applied.verdict, None);
        assert_eq!(applied.challenge, Some(0));
        let passed = applied.reduce(Action::CheckChallenge);
        assert!(passed.verdict.as_ref().unwrap().passed);
        assert_eq!(passed.progress.solved, 1);
        assert_eq!(
            passed.reduce(Action::LoadChallenge(CHALLENGES.len())),
            passed
        );
    }

    #[test]
    fn workload_answers_are_kept_per_row_and_can_change() {
        let s = State::default().reduce(Action::PickWorkload(1, Bound::Io));
        assert_eq!((s.picked, s.picked_io), (0b10, 0b10));
        let s = s.reduce(Action::PickWorkload(1, Bound::Cpu));
        assert_eq!((s.picked, s.picked_io), (0b10, 0));
        assert_eq!(s.reduce(Action::PickWorkload(99, Bound::Io)), s);
        // Moving between chapters keeps the reader's answers.
        assert_eq!(s.reduce(Action::NextChapter).picked, 0b10);
    }
}

mod link_tests {
    use crate::links::share::{decode, encode};
    use crate::state::reducer::*;

    /// The parts of a state a link must carry: a page opened on the link shows the same.
    fn view(s: &State) -> impl PartialEq + std::fmt::Debug {
        (
            s.chapter_idx,
            s.lesson,
            s.knob,
            s.preset_idx,
            (*s.scenario).clone(),
            s.custom.as_ref().map(|c| (**c).clone()),
            s.seed,
            s.followed,
            s.b.as_ref()
                .map(|b| (b.preset_idx, b.name, (*b.snapshot).clone())),
            (*s.snapshot).clone(),
        )
    }

    fn reopened(s: &State) -> State {
        let link = encode(&s.link());
        let decoded = decode(&link).unwrap_or_else(|e| panic!("{link}: {e:?}"));
        State::default().reduce(Action::OpenLink(Rc::new(decoded)))
    }

    #[test]
    fn a_link_reopens_the_exact_view() {
        let own = {
            let mut s = presets::scenario(&PRESETS[1]);
            s.load.users = 37;
            Rc::new(s)
        };
        let journeys: Vec<Vec<Action>> = vec![
            vec![],
            vec![
                Action::StepForward,
                Action::StepForward,
                Action::StepForward,
            ],
            vec![
                Action::SelectChapter(6),
                Action::LoadSetup(1),
                Action::Seek(2_345_678),
            ],
            vec![
                Action::SelectChapter(7),
                Action::Seek(1_000_000),
                Action::Follow(None),
            ],
            vec![
                Action::SelectChapter(3),
                Action::StepFollowed,
                Action::StepFollowed,
            ],
            vec![
                Action::SelectChapter(4),
                Action::SelectPreset(2),
                Action::SetSeed(99),
                Action::Compare(Some(1)),
                Action::Seek(700_000),
                Action::Follow(Some(5)),
            ],
            vec![
                Action::ApplyScenario(own.clone()),
                Action::Seek(1_500_000),
                Action::StepForward,
            ],
            vec![
                Action::SelectChapter(10),
                Action::SelectPreset(5),
                Action::Seek(333),
            ],
            // A preset whose name is also one of the chapter's runs.
            vec![Action::SelectPreset(0), Action::StepForward],
            // The sandbox keeps the run the reader came with, whichever it was.
            vec![
                Action::SelectChapter(CHAPTERS.len() - 2),
                Action::NextChapter,
                Action::StepForward,
            ],
            vec![
                Action::SelectChapter(CHAPTERS.len() - 2),
                Action::LoadSetup(1),
                Action::NextChapter,
                Action::Seek(10_000),
            ],
            // A chapter whose run brings a side B, with the comparison turned off.
            vec![
                Action::SelectChapter(7),
                Action::Compare(None),
                Action::Seek(50_000),
            ],
            // Knobs: on a second run, with a side B of the chapter's own, in the sandbox.
            vec![
                Action::SelectChapter(6),
                Action::LoadSetup(1),
                Action::SetKnob(200),
                Action::SetSeed(3),
                Action::Seek(2_000_000),
            ],
            vec![
                Action::SelectChapter(7),
                Action::SetKnob(40),
                Action::Seek(500_000),
            ],
            vec![
                Action::SelectChapter(4),
                Action::SetKnob(9),
                Action::NextChapter,
                Action::PreviousChapter,
                Action::SetKnob(12),
                Action::StepForward,
            ],
            vec![
                Action::SelectChapter(6),
                Action::SetKnob(100),
                Action::SelectChapter(CHAPTERS.len() - 1),
                Action::Seek(1_000_000),
            ],
        ];
        for (i, journey) in journeys.into_iter().enumerate() {
            let mut s = State::default();
            for action in journey {
                s = s.reduce(action);
            }
            // Compared as text: a mismatch prints both views, and Debug is exact here.
            let (got, want) = (
                format!("{:?}", view(&reopened(&s))),
                format!("{:?}", view(&s)),
            );
            assert!(got == want, "journey {i}: {}", encode(&s.link()));
        }
    }

    #[test]
    fn a_link_scenario_runs_but_does_not_replace_the_readers_own() {
        let mut mine = presets::scenario(&PRESETS[0]);
        mine.load.users = 3;
        let mine = Rc::new(mine);
        let mut theirs = presets::scenario(&PRESETS[1]);
        theirs.load.users = 44;
        let link = LinkState {
            scenario: Some(theirs.clone()),
            ..LinkState::default()
        };
        let s = State::default()
            .reduce(Action::RestoreOwn(mine.clone()))
            .reduce(Action::OpenLink(Rc::new(link)));
        assert_eq!(s.scenario.load.users, 44);
        assert_eq!(s.own, Some(mine));
        // The sandbox still offers the reader's own.
        let sandbox = s.reduce(Action::SelectChapter(CHAPTERS.len() - 1));
        assert_eq!(sandbox.scenario.load.users, 3);
    }

    #[test]
    fn the_link_of_a_fresh_chapter_is_short() {
        let s = State::default().reduce(Action::SelectChapter(6));
        assert_eq!(
            encode(&s.link()),
            format!("v=1&ch=starvation&seed={}", s.seed)
        );
    }

    #[test]
    fn a_link_never_replays_more_than_its_bound() {
        let mut flood = presets::scenario(&PRESETS[1]);
        flood.load.kind = sim::LoadKind::Open;
        flood.load.rate_per_s = 100_000.0;
        flood.duration_ms = 3_600_000;
        flood.limits.max_events = 10_000_000_000;
        let link = LinkState {
            scenario: Some(flood),
            time_us: Some(3_600_000_000),
            ..LinkState::default()
        };
        let s = State::default().reduce(Action::OpenLink(Rc::new(link)));
        let events = s.simulation.events();
        assert!(
            (LINK_EVENTS_MAX..=LINK_EVENTS_MAX + crate::state::simulation::EVENTS_PER_FRAME_MAX)
                .contains(&events),
            "{events} events"
        );
        assert!(s.snapshot.time_us < 3_600_000_000);
        assert!(s
            .notice
            .as_deref()
            .unwrap()
            .contains("further into the run"));
        // And the page's own link to such a moment leaves the step out rather than
        // writing one it would refuse.
        assert!(s.link().events.is_none());
    }
}

mod knob_tests {
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
        assert_eq!(k.knob, Some(200));
        assert_eq!(k.lesson, Some((ch7, 1)), "the setup stays");
        assert_eq!(k.seed, 11, "the seed stays");
        assert_eq!(k.snapshot.time_us, 0, "the run starts again");
        assert_eq!(k.scenario.pool.min_threads, Some(200));
        assert_eq!(k.knob_shown().map(|(_, v)| v), Some(200));
        // Everything else is the chapter's run as it was.
        let mut expected = lesson_scenario(ch7, "cooperative").unwrap();
        expected.pool.min_threads = Some(200);
        expected.seed = 11;
        assert_eq!(*k.scenario, expected);
        // Reset and a new seed keep the value; the run's own value clears it.
        assert_eq!(k.reduce(Action::Reset).knob, Some(200));
        assert_eq!(
            k.reduce(Action::SetSeed(12)).scenario.pool.min_threads,
            Some(200)
        );
        let back = k.reduce(Action::SetKnob(4));
        assert_eq!(back.knob, None);
        assert_eq!(
            back.scenario.pool.min_threads, None,
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
        let b = s.b.as_ref().expect("side B");
        assert_eq!((s.scenario.load.users, b.scenario.load.users), (40, 40));
        assert_eq!(b.scenario.seed, s.scenario.seed);
        // Chapter 7's third run has no knob: loading it drops the value.
        let ch7 = chapter("starvation");
        let s = State::default()
            .reduce(Action::SelectChapter(ch7))
            .reduce(Action::SetKnob(128));
        let third = s.reduce(Action::LoadSetup(2));
        assert_eq!((third.knob, third.knob_shown()), (None, None));
        assert_eq!(third.reduce(Action::SetKnob(128)), third);
        assert_eq!(third.scenario.pool.min_threads, None);
        // The same value moves the second run of the chapter as it moved the first.
        let second = s.reduce(Action::LoadSetup(1));
        assert_eq!(second.scenario.pool.min_threads, Some(128));
        // Chapters without a knob, presets and the reader's own scenario ignore it.
        let ch1 = State::default();
        assert_eq!(ch1.reduce(Action::SetKnob(8)), ch1);
        let preset = s.reduce(Action::SelectPreset(1));
        assert_eq!((preset.knob, preset.knob_shown()), (None, None));
        assert_eq!(preset.reduce(Action::SetKnob(8)), preset);
        // Another chapter starts from its own run.
        let moved = s
            .reduce(Action::NextChapter)
            .reduce(Action::PreviousChapter);
        assert_eq!(moved.knob, None);
        assert_eq!(moved.scenario.pool.min_threads, None);
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
                .revealed;
            let moved = plain
                .reduce(Action::LoadSetup(q.setup))
                .reduce(Action::SetKnob(knob.max))
                .reduce(Action::Guess(0))
                .reduce(Action::Reveal);
            assert_eq!(moved.revealed, answer, "{}", c.slug);
            assert_eq!(moved.knob, None, "{}", c.slug);
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
            format!("v=1&ch=one-request-one-thread&k=9&seed={}", k.seed)
        );
    }
}
