use crate::links::share::{decode, encode, LINK_EVENTS_MAX};
use crate::state::reducer::*;

/// The parts of a state a link must carry: a page opened on the link shows the same.
fn view(s: &State) -> impl PartialEq + std::fmt::Debug {
    (
        s.course.chapter_idx,
        s.run.lesson,
        s.run.knob,
        s.run.preset_idx,
        (*s.run.scenario).clone(),
        s.run.custom.as_ref().map(|c| (**c).clone()),
        s.run.seed,
        s.run.followed,
        s.run
            .b
            .as_ref()
            .map(|b| (b.preset_idx, b.name, (*b.snapshot).clone())),
        (*s.run.snapshot).clone(),
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
    assert_eq!(s.run.scenario.load.users, 44);
    assert_eq!(s.course.own, Some(mine));
    // The sandbox still offers the reader's own.
    let sandbox = s.reduce(Action::SelectChapter(CHAPTERS.len() - 1));
    assert_eq!(sandbox.run.scenario.load.users, 3);
}

#[test]
fn the_link_of_a_fresh_chapter_is_short() {
    let s = State::default().reduce(Action::SelectChapter(6));
    assert_eq!(
        encode(&s.link()),
        format!("v=1&ch=starvation&seed={}", s.run.seed)
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
    let events = s.run.simulation.events();
    assert!(
        (LINK_EVENTS_MAX..=LINK_EVENTS_MAX + crate::state::simulation::EVENTS_PER_FRAME_MAX)
            .contains(&events),
        "{events} events"
    );
    assert!(s.run.snapshot.time_us < 3_600_000_000);
    assert!(s
        .page
        .notice
        .as_deref()
        .unwrap()
        .contains("further into the run"));
    // And the page's own link to such a moment leaves the step out rather than
    // writing one it would refuse.
    assert!(s.link().events.is_none());
}
