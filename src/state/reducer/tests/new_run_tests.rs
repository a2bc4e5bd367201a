use crate::state::reducer::*;

/// Chapter 7 with its second run loaded, and every setting and every piece of the
/// reader's work set to something a fresh page does not have. `Page` and `Course` are
/// written out whole, so a field added to either has to be given a value here, and the
/// test below then checks that a new run keeps it.
fn everything_chosen() -> State {
    let ch7 = CHAPTERS
        .iter()
        .position(|c| c.slug == "starvation")
        .unwrap();
    let mut s = State::default()
        .reduce(Action::SelectChapter(ch7))
        .reduce(Action::LoadSetup(1));
    s.page = Page {
        theme: Theme::Dark,
        motion: Motion::Full,
        speed_idx: SPEEDS.len() - 1,
        tab: Tab::Log,
        stage_text: true,
        help_open: true,
        notice: Some("a message".into()),
    };
    s.course = Course {
        chapter_idx: ch7,
        watch: Some(Target::Queue),
        guess: Some(1),
        revealed: Some(2.5),
        progress: Progress {
            visited: 0b1101,
            answered: 0b1100,
            right_first: 0b100,
            wrong_first: 0b1000,
            solved: 0b1,
        },
        picked: 0b110,
        picked_io: 0b10,
        challenge: Some(0),
        own: Some(Rc::new(presets::scenario(&PRESETS[1]))),
    };
    s
}

#[test]
fn a_new_run_keeps_every_choice() {
    let before = everything_chosen();
    assert_ne!(before.page, Page::default());
    assert_ne!(before.course, Course::default());
    let own = before.course.own.clone().unwrap();
    // Each of these opens a new run and, by design, changes nothing the reader chose.
    let actions = [
        Action::Reset,
        Action::SetSeed(before.run.seed + 1),
        Action::SetKnob(200),
        Action::LoadSetup(0),
        Action::SelectPreset(1),
        Action::LoadChallenge(0),
        Action::ApplyScenario(own),
    ];
    for action in actions {
        let after = before.reduce(action.clone());
        assert_eq!(after.page, before.page, "{action:?}");
        assert_eq!(after.course, before.course, "{action:?}");
        assert!(
            !Rc::ptr_eq(&after.run.scenario, &before.run.scenario),
            "{action:?} opens a new run"
        );
        // Everything but the run is compared whole, so a part or a field added to
        // `State` outside the run is covered without a change here.
        let kept = State {
            run: after.run.clone(),
            ..before.clone()
        };
        assert!(after == kept, "{action:?} changed a choice");
    }
}
