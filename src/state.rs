//! All UI state in one place, changed only through [`Action`]s by [`State::reduce`].
//!
//! The simulation itself lives behind [`Simulation`], a shared handle; the reducer is the
//! only code that moves it, and it stores a fresh snapshot after every move so components
//! draw from plain data.

use std::rc::Rc;

use sim::{Sample, Scenario, Snapshot, TraceEvent};
use yew::Reducible;

use crate::challenges::{self, Verdict, CHALLENGES};
use crate::content::{Bound, Target, CHAPTERS, WORKLOADS};
use crate::knobs::Knob;
use crate::lessons::lesson_scenario;
use crate::persist::Progress;
use crate::presets::{self, PRESETS};
use crate::share::{LinkState, LINK_EVENTS_MAX};
use crate::simulation::Simulation;
pub use crate::theme::Theme;

/// Playback speeds: simulated microseconds per real millisecond, on a log scale from slow
/// motion (1/100 of real time) to far faster than real time (×100).
pub const SPEEDS: &[(u64, &str)] = &[
    (10, "×0.01"),
    (30, "×0.03"),
    (100, "×0.1"),
    (300, "×0.3"),
    (1_000, "×1"),
    (3_000, "×3"),
    (10_000, "×10"),
    (30_000, "×30"),
    (100_000, "×100"),
];

/// Events the event log keeps on screen.
pub const LOG_EVENTS_MAX: usize = 60;

/// Where playback starts: slow enough to follow single requests.
pub const SPEED_IDX_DEFAULT: usize = 2;

/// A frame longer than this (a background tab, a debugger pause) advances the clock by
/// this much only, so the simulation never leaps ahead unseen.
pub const FRAME_MS_MAX: u32 = 100;

/// The second run in A/B mode: the same scenario and seed as the main run, with another
/// endpoint style, moved by the same clock.
#[derive(Clone, Debug, PartialEq)]
pub struct SideB {
    /// The preset whose style this side uses; `None` when a chapter set side B's scenario.
    pub preset_idx: Option<usize>,
    /// What the stage calls this side.
    pub name: &'static str,
    pub simulation: Simulation,
    pub snapshot: Rc<Snapshot>,
    pub samples: Rc<Vec<Sample>>,
    pub scenario: Rc<Scenario>,
}

impl SideB {
    fn new(preset_idx: usize, a: &Scenario) -> Option<SideB> {
        let style_of = presets::scenario(PRESETS.get(preset_idx)?);
        let mut scenario = a.clone();
        scenario.endpoint.style = style_of.endpoint.style;
        scenario.endpoint.wait = style_of.endpoint.wait;
        SideB::with_scenario(Some(preset_idx), PRESETS[preset_idx].name, scenario)
    }

    fn with_scenario(
        preset_idx: Option<usize>,
        name: &'static str,
        scenario: Scenario,
    ) -> Option<SideB> {
        let simulation = Simulation::new(scenario.clone()).ok()?;
        Some(SideB {
            preset_idx,
            name,
            snapshot: Rc::new(simulation.snapshot()),
            samples: Rc::new(Vec::new()),
            scenario: Rc::new(scenario),
            simulation,
        })
    }

    /// Brings this side's clock to `time_us` (forwards within the frame budget, or back
    /// exactly) and refreshes what it draws.
    fn follow_clock(&mut self, time_us: u64) {
        let now = self.simulation.now_us();
        if time_us > now {
            self.simulation.advance_by(time_us - now);
        } else if time_us < now {
            self.simulation.seek_us(time_us);
        }
        self.snapshot = Rc::new(self.simulation.snapshot());
        if self.simulation.samples_len() != self.samples.len() {
            self.samples = Rc::new(self.simulation.samples());
        }
    }
}

/// Whether the stage animates changes; `System` follows `prefers-reduced-motion`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Motion {
    #[default]
    System,
    Reduced,
    Full,
}

impl Motion {
    /// The value written to `<html data-motion>`; CSS enables transitions on it.
    pub fn attribute(self) -> &'static str {
        match self {
            Motion::System => "system",
            Motion::Reduced => "reduced",
            Motion::Full => "full",
        }
    }

    pub fn next(self) -> Motion {
        match self {
            Motion::System => Motion::Reduced,
            Motion::Reduced => Motion::Full,
            Motion::Full => Motion::System,
        }
    }
}

/// The workbench's tabs, in the order they are shown. Each has a fragment (`#charts`, …)
/// that opens it, so a link can point at one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Charts,
    Sweep,
    Editor,
    Log,
    Share,
    Glossary,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Charts,
        Tab::Sweep,
        Tab::Editor,
        Tab::Log,
        Tab::Share,
        Tab::Glossary,
    ];

    /// The fragment (without `#`) that opens this tab; also its panel's id.
    pub fn fragment(self) -> &'static str {
        match self {
            Tab::Charts => "charts",
            Tab::Sweep => "sweep",
            Tab::Editor => "editor",
            Tab::Log => "log",
            Tab::Share => "share",
            Tab::Glossary => "glossary",
        }
    }

    /// The tab's visible name.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Charts => "Charts",
            Tab::Sweep => "Sweep",
            Tab::Editor => "Scenario editor",
            Tab::Log => "Event log",
            Tab::Share => "Share & export",
            Tab::Glossary => "Glossary",
        }
    }

    /// The tab a fragment opens: its own name, or a glossary term (`term-…`), which
    /// lives in the glossary tab. Anything else opens none.
    pub fn for_fragment(fragment: &str) -> Option<Tab> {
        let fragment = fragment.trim_start_matches('#');
        if fragment.starts_with("term-") {
            return Some(Tab::Glossary);
        }
        Tab::ALL.into_iter().find(|t| t.fragment() == fragment)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// Index into [`CHAPTERS`]; always in range.
    pub chapter_idx: usize,
    pub theme: Theme,
    pub motion: Motion,
    /// The keyboard-shortcut overlay is open.
    pub help_open: bool,
    /// The stage shows its text lists instead of the picture ("Show as text").
    pub stage_text: bool,
    /// The workbench tab that is open (one at a time).
    pub tab: Tab,
    /// Index into [`PRESETS`]; always in range.
    pub preset_idx: usize,
    pub seed: u64,
    pub simulation: Simulation,
    /// What the stage draws: taken from the simulation after every move.
    pub snapshot: Rc<Snapshot>,
    /// The engine's windowed samples so far, for the charts. Copied only when their
    /// number changes (a window closed, or the clock went back).
    pub samples: Rc<Vec<Sample>>,
    /// The reader's own scenario, when the current run is theirs (applied from the
    /// editor); it replaces the preset until another preset or chapter run is chosen.
    pub custom: Option<Rc<Scenario>>,
    /// The last scenario the reader applied, kept when a chapter loads its own run so the
    /// sandbox can offer it back.
    pub own: Option<Rc<Scenario>>,
    /// The chapter run that is loaded, as (chapter, setup) indices, if the run is one.
    pub lesson: Option<(usize, usize)>,
    /// The value of the loaded chapter run's knob (`knobs`), when the reader set one
    /// other than the run's own; both sides run with it.
    pub knob: Option<u32>,
    /// The cue whose target the page highlights.
    pub watch: Option<Target>,
    /// The reader's prediction for the current chapter's question (a choice index).
    pub guess: Option<usize>,
    /// The value the simulation gave for the current chapter's question, once revealed
    /// (NaN if it could not be read).
    pub revealed: Option<f64>,
    /// Chapters opened, questions answered and first answers; kept in localStorage.
    pub progress: Progress,
    /// A message about something the page could not do as asked (a bad link, say).
    pub notice: Option<Rc<str>>,
    /// Chapter 11's exercise: rows chosen, and rows answered "I/O-bound" (bit sets).
    pub picked: u32,
    pub picked_io: u32,
    /// The sandbox's challenge the reader last loaded (`challenges::CHALLENGES`).
    pub challenge: Option<usize>,
    /// What the last check of that challenge found, about the scenario running now;
    /// cleared whenever the run's scenario changes.
    pub verdict: Option<Rc<Verdict>>,
    /// The scenario of the current run (seed included), shared with the editor.
    pub scenario: Rc<Scenario>,
    /// The newest trace events, for the event log.
    pub log: Rc<Vec<TraceEvent>>,
    /// The request the reader follows, if any.
    pub followed: Option<u64>,
    /// The followed request's events so far, and whether its start may have been dropped
    /// from the engine's bounded trace.
    pub followed_events: Rc<(Vec<TraceEvent>, bool)>,
    /// The comparison run, when A/B mode is on.
    pub b: Option<SideB>,
    pub playing: bool,
    /// The run was playing when its element scrolled out of view, so it paused itself and
    /// plays again when it comes back; anything the reader does to the clock clears it.
    pub held: bool,
    /// Index into [`SPEEDS`]; always in range.
    pub speed_idx: usize,
    /// The last frame could not process every event up to its target time.
    pub lagging: bool,
}

impl Default for State {
    /// The page opens on chapter 1 with its run loaded.
    fn default() -> State {
        let plain = State::with_preset(0, presets::scenario(&PRESETS[0]).seed);
        let mut first = plain.load_lesson(0, 0, None);
        first.progress.visited = 1;
        first
    }
}

/// Everything the UI can ask the state to do. The enum is closed on purpose: a new
/// interaction means a new variant here and a test for it.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    SelectChapter(usize),
    NextChapter,
    PreviousChapter,
    CycleTheme,
    CycleMotion,
    /// Open or close the keyboard-shortcut overlay.
    SetHelp(bool),
    /// Shows the stage as text lists (true) or as the picture (false).
    SetStageText(bool),
    /// Opens one workbench tab (the others close).
    OpenTab(Tab),
    SelectPreset(usize),
    SetSeed(u64),
    TogglePlay,
    Pause,
    /// The embedded view scrolled into view (true) or out of it (false): a playing run
    /// pauses while out of view and plays again where it was when it comes back.
    SetInView(bool),
    StepForward,
    StepBack,
    /// One animation frame of `elapsed_ms` real time passed while playing.
    Tick {
        elapsed_ms: u32,
    },
    /// Jump to a simulated time, in microseconds.
    Seek(u64),
    SetSpeed(usize),
    Reset,
    /// Run the reader's own scenario (already validated by the engine).
    ApplyScenario(Rc<Scenario>),
    /// Follow one request on the stage and in its timeline, or stop following.
    Follow(Option<u64>),
    /// A/B mode: compare with the style of this preset, or turn the comparison off.
    Compare(Option<usize>),
    /// Load the current chapter's run with this index.
    LoadSetup(usize),
    /// Set the loaded chapter run's knob (`knobs`) to this value: both sides start again
    /// from 0 s with the same seed. A value the knob cannot hold is ignored.
    SetKnob(u32),
    /// Highlight what a cue points at, or nothing.
    Watch(Option<Target>),
    /// The reader's prediction for the chapter's question.
    Guess(usize),
    /// Let the simulation answer the chapter's question: run the question's setup to its
    /// time and read the measure.
    Reveal,
    /// Clear the guess and the answer, to predict again.
    AskAgain,
    /// Step the run until the followed request's next event (chapter 4's stepping).
    StepFollowed,
    /// Progress read back from storage, added to what this visit has made so far.
    RestoreProgress(Progress),
    /// Show or dismiss a message about a request the page could not honour.
    Notice(Option<Rc<str>>),
    /// Chapter 11's exercise: the reader's answer for row `usize`.
    PickWorkload(usize, Bound),
    /// Run the sandbox challenge `usize`'s starting scenario (not as the reader's own).
    LoadChallenge(usize),
    /// Check the scenario running now against the loaded challenge, through the engine.
    CheckChallenge,
    /// Open what a link describes (already decoded and checked by `share`).
    OpenLink(Rc<LinkState>),
    /// The reader's own scenario, read back from storage: kept for the sandbox, not run.
    RestoreOwn(Rc<Scenario>),
}

/// The sandbox's challenges as the lesson panel draws them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChallengeView {
    /// The challenge last loaded.
    pub loaded: Option<usize>,
    /// The last check's verdict on the scenario running now.
    pub verdict: Option<Rc<Verdict>>,
    /// A bit per challenge solved.
    pub solved: u32,
}

/// The longest run of events one "step this request" may take before giving up, so a
/// request that never moves again (a deadlock) cannot freeze the page.
pub const STEP_FOLLOWED_EVENTS_MAX: u32 = 200_000;

impl State {
    /// A fresh, paused run of preset `preset_idx` with `seed`.
    pub fn with_preset(preset_idx: usize, seed: u64) -> State {
        let preset_idx = preset_idx.min(PRESETS.len() - 1);
        State::with_scenario(
            preset_idx,
            presets::scenario(&PRESETS[preset_idx]),
            seed,
            None,
        )
    }

    fn with_scenario(
        preset_idx: usize,
        mut scenario: Scenario,
        seed: u64,
        custom: Option<Rc<Scenario>>,
    ) -> State {
        scenario.seed = seed;
        let simulation = Simulation::new(scenario).unwrap_or_else(|_| {
            Simulation::new(Scenario::default()).expect("the default scenario is valid")
        });
        State {
            motion: Motion::System,
            help_open: false,
            stage_text: false,
            tab: Tab::Charts,
            b: None,
            log: Rc::new(Vec::new()),
            followed: None,
            followed_events: Rc::new((Vec::new(), false)),
            samples: Rc::new(Vec::new()),
            scenario: Rc::new(simulation.scenario()),
            custom,
            own: None,
            lesson: None,
            knob: None,
            watch: None,
            guess: None,
            revealed: None,
            progress: Progress::default(),
            notice: None,
            picked: 0,
            picked_io: 0,
            challenge: None,
            verdict: None,
            chapter_idx: 0,
            theme: Theme::System,
            preset_idx,
            seed,
            snapshot: Rc::new(simulation.snapshot()),
            simulation,
            playing: false,
            held: false,
            speed_idx: SPEED_IDX_DEFAULT,
            lagging: false,
        }
    }

    /// Replaces the run, keeping the reader's other choices (and their own scenario, if
    /// the run is theirs).
    fn restart(&self, preset_idx: usize, seed: u64, custom: Option<Rc<Scenario>>) -> State {
        if custom.is_none() {
            if let Some((chapter, setup)) = self.lesson {
                return self.load_lesson(chapter, setup, Some(seed));
            }
        }
        let scenario = match &custom {
            Some(own) => (**own).clone(),
            None => presets::scenario(&PRESETS[preset_idx]),
        };
        let fresh = State::with_scenario(preset_idx, scenario, seed, custom);
        let b = self.b.as_ref().and_then(|b| match b.preset_idx {
            Some(idx) => SideB::new(idx, &fresh.scenario),
            None => None,
        });
        State {
            b,
            ..self.keep_choices(fresh)
        }
    }

    /// `fresh` with the reader's choices that outlive a run carried over from `self`.
    fn keep_choices(&self, fresh: State) -> State {
        State {
            chapter_idx: self.chapter_idx,
            theme: self.theme,
            motion: self.motion,
            help_open: self.help_open,
            stage_text: self.stage_text,
            tab: self.tab,
            speed_idx: self.speed_idx,
            own: self.own.clone(),
            progress: self.progress,
            guess: self.guess,
            revealed: self.revealed,
            watch: self.watch,
            notice: self.notice.clone(),
            picked: self.picked,
            picked_io: self.picked_io,
            challenge: self.challenge,
            verdict: self.verdict.clone(),
            ..fresh
        }
    }

    /// A fresh run of chapter `chapter`'s setup `setup` (side B too, if it has one), with
    /// the preset's own seed unless `seed` says otherwise, and with `self.knob` if the
    /// setup has a knob that can hold it. The first request is followed, so the code panel
    /// has a line to point at from the start.
    fn load_lesson(&self, chapter: usize, setup: usize, seed: Option<u64>) -> State {
        let Some(plan) = CHAPTERS.get(chapter).and_then(|c| c.setups.get(setup)) else {
            return self.clone();
        };
        let Some(mut a) = lesson_scenario(chapter, plan.a) else {
            return self.clone();
        };
        // A value equal to the run's own is no change: kept as none, so links stay short.
        let knob = Knob::on(chapter, setup).and_then(|k| {
            let v = self.knob.filter(|v| k.allows(*v) && *v != k.read(&a))?;
            Some((k, v))
        });
        if let Some((k, v)) = knob {
            k.apply(&mut a, v);
        }
        let seed = seed.unwrap_or(a.seed);
        let fresh = State::with_scenario(self.preset_idx, a, seed, None);
        let b = plan.b.and_then(|(name, title)| {
            let mut scenario = lesson_scenario(chapter, name)?;
            scenario.seed = seed;
            if let Some((k, v)) = knob {
                k.apply(&mut scenario, v);
            }
            SideB::with_scenario(None, title, scenario)
        });
        let mut next = State {
            b,
            lesson: Some((chapter, setup)),
            knob: knob.map(|(_, v)| v),
            ..self.keep_choices(fresh)
        };
        next.followed = Some(0);
        next.refreshed()
    }

    /// Opens chapter `idx`: its first run loads (the sandbox runs the reader's own
    /// scenario if they have one), and the question starts unanswered.
    fn open_chapter(&self, idx: usize) -> State {
        let mut next = if CHAPTERS[idx].setups.is_empty() {
            match &self.own {
                Some(own) => self.restart(self.preset_idx, own.seed, Some(own.clone())),
                None => self.clone(),
            }
        } else {
            State {
                knob: None,
                ..self.clone()
            }
            .load_lesson(idx, 0, None)
        };
        next.chapter_idx = idx;
        next.progress.visited |= 1 << idx;
        next.guess = None;
        next.revealed = None;
        next.watch = None;
        next
    }

    /// Runs the current chapter's question setup to the question's time and reads the
    /// answer from the stage.
    fn reveal(&self) -> State {
        let chapter = self.chapter_idx;
        let Some(question) = CHAPTERS[chapter].question else {
            return self.clone();
        };
        // The question is about the chapter's own run: a knob the reader moved goes back.
        let mut next = if self.lesson == Some((chapter, question.setup)) && self.knob.is_none() {
            self.clone()
        } else {
            State {
                knob: None,
                ..self.clone()
            }
            .load_lesson(chapter, question.setup, None)
        };
        next.playing = false;
        next.simulation.seek_us(question.at_ms * 1_000);
        next = next.refreshed();
        let value = next
            .simulation
            .with_trace(|trace| {
                question.measure.read_run(
                    &next.snapshot,
                    next.samples.last(),
                    next.b.as_ref().map(|b| &*b.snapshot),
                    trace,
                )
            })
            .unwrap_or(f64::NAN);
        next.revealed = Some(value);
        // Only the reader's first answer to a question counts towards their score.
        let right = question.answer(value).is_some() && question.answer(value) == self.guess;
        next.progress.record_answer(chapter, right);
        next
    }

    /// Steps until the followed request has a new event, the run ends, or the bound.
    fn step_followed(&self) -> State {
        let Some(request) = self.followed else {
            return self.clone();
        };
        let mut next = self.clone();
        next.playing = false;
        for _ in 0..STEP_FOLLOWED_EVENTS_MAX {
            // Only the events this step emits are looked at: re-reading the request's whole
            // story after every step would cost the length of the trace each time.
            let since = next.simulation.trace_total();
            if !next.simulation.step() || next.simulation.mentions_since(since, request) {
                break;
            }
        }
        next.refreshed()
    }

    /// What a link to this exact view says: the chapter, the run (a chapter's run, a
    /// preset, or the reader's scenario itself), the seed, the comparison, the step, and
    /// the request followed where it differs from what the run follows by itself.
    pub fn link(&self) -> LinkState {
        let lesson = self.lesson.filter(|_| self.custom.is_none());
        let (preset, run, follows) = match (&self.custom, lesson) {
            (Some(_), _) => (None, None, None),
            (None, Some((chapter, setup))) => {
                // The chapter's first run is what the chapter opens with: no need to say it.
                let implied = chapter == self.chapter_idx && setup == 0;
                let name = CHAPTERS[chapter].setups[setup].a.to_owned();
                (None, (!implied).then_some((chapter, name)), Some(0))
            }
            (None, None) => (Some(PRESETS[self.preset_idx].slug.to_owned()), None, None),
        };
        let own_b = lesson.is_some_and(|(c, s)| CHAPTERS[c].setups[s].b.is_some());
        let compare = match &self.b {
            Some(b) => b.preset_idx.map(|i| PRESETS[i].slug.to_owned()),
            None if own_b => Some("off".to_owned()),
            None => None,
        };
        let moved = self.snapshot.counters.events > 0;
        let events = self.snapshot.counters.events;
        LinkState {
            scenario: self.custom.as_ref().map(|c| (**c).clone()),
            preset,
            run,
            seed: Some(self.seed),
            chapter: Some(self.chapter_idx),
            compare,
            time_us: moved.then_some(self.snapshot.time_us),
            // Past the replay bound a link gives the time alone (good to the µs).
            events: (moved && events <= LINK_EVENTS_MAX).then_some(events),
            follow: (self.followed != follows).then_some(self.followed),
            knob: self.knob.filter(|_| lesson.is_some()),
        }
    }

    /// What the sandbox's challenges show: the one loaded, the last check's verdict and
    /// the ones solved.
    pub fn challenge_view(&self) -> ChallengeView {
        ChallengeView {
            loaded: self.challenge,
            verdict: self.verdict.clone(),
            solved: self.progress.solved,
        }
    }

    /// The knob the reader can move on the current chapter's run, and its value now: none
    /// elsewhere (another chapter's run, a preset, the reader's own scenario).
    pub fn knob_shown(&self) -> Option<(&'static Knob, u32)> {
        let (chapter, setup) = self.lesson.filter(|l| l.0 == self.chapter_idx)?;
        let knob = Knob::on(chapter, setup).filter(|_| self.custom.is_none())?;
        Some((knob, knob.read(&self.scenario)))
    }

    /// The view a link describes, built from this state so that what the reader keeps
    /// (progress, their own scenario, theme) survives. A link's scenario runs as a
    /// scenario of theirs for now but does not replace the one they saved. Replaying to
    /// the link's moment is bounded ([`LINK_EVENTS_MAX`] events): a hostile link cannot
    /// freeze the page, and one that asks for more stops early and says so.
    fn open_link(&self, link: &LinkState) -> State {
        let mut next = self.clone();
        if let Some(chapter) = link.chapter {
            next = next.reduce(Action::SelectChapter(chapter));
        }
        let seed = link.seed.unwrap_or(next.seed);
        let run = link.run.as_ref().and_then(|(c, name)| {
            let setup = CHAPTERS.get(*c)?.setups.iter().position(|s| s.a == name)?;
            Some((*c, setup))
        });
        let preset = link
            .preset
            .as_deref()
            .and_then(|p| PRESETS.iter().position(|x| x.slug == p));
        if link.scenario.is_some() {
            let own = next.own.clone();
            next = next.restart(next.preset_idx, seed, link.scenario.clone().map(Rc::new));
            next.lesson = None;
            next.own = own;
        } else if let Some(idx) = preset {
            next = next.reduce(Action::SelectPreset(idx));
        } else if let Some((chapter, setup)) = run {
            next = next.load_lesson(chapter, setup, Some(seed));
        }
        if let Some(value) = link.knob {
            next = next.reduce(Action::SetKnob(value));
        }
        next = next.reduce(Action::SetSeed(seed));
        match link.compare.as_deref() {
            Some("off") => next = next.reduce(Action::Compare(None)),
            Some(p) => {
                if let Some(idx) = PRESETS.iter().position(|x| x.slug == p) {
                    next = next.reduce(Action::Compare(Some(idx)));
                }
            }
            None => {}
        }
        if let Some(follow) = link.follow {
            next = next.reduce(Action::Follow(follow));
        }
        // The step first, then the clock: a view reached by playing sits between events
        // (every event up to `t` done), one reached by stepping sits on its last event.
        if let Some(events) = link.events {
            next.simulation.seek_events(events.min(LINK_EVENTS_MAX));
        }
        if let Some(time_us) = link.time_us {
            let mut left = LINK_EVENTS_MAX.saturating_sub(next.simulation.events());
            while next.simulation.now_us() < time_us && !next.simulation.is_finished() {
                if left == 0 {
                    let message = format!(
                        "The link's moment is further into the run than a link may replay \
                         ({LINK_EVENTS_MAX} events): the page stops at {} s; play on from there.",
                        sim::decimal::fixed(next.simulation.now_us() as f64 / 1e6, 3)
                    );
                    next.notice = Some(message.into());
                    break;
                }
                let before = next.simulation.events();
                next.simulation
                    .advance_by(time_us - next.simulation.now_us());
                left = left.saturating_sub(next.simulation.events() - before);
            }
        }
        next.playing = false;
        next.refreshed()
    }

    fn refreshed(mut self) -> State {
        let moved = self.simulation.events() != self.snapshot.counters.events
            || self.simulation.now_us() != self.snapshot.time_us;
        self.snapshot = Rc::new(self.simulation.snapshot());
        if moved {
            self.log = Rc::new(self.simulation.trace_tail(LOG_EVENTS_MAX));
            if let Some(request) = self.followed {
                self.followed_events = Rc::new(self.simulation.trace_of_request(request));
            }
        }
        if self.simulation.samples_len() != self.samples.len() {
            self.samples = Rc::new(self.simulation.samples());
        }
        let now = self.simulation.now_us();
        if let Some(b) = self.b.as_mut() {
            b.follow_clock(now);
        }
        self
    }

    /// Applies one action. Out-of-range indices are ignored rather than clamped, so a bad
    /// index can never move the reader somewhere they did not ask to go.
    pub fn reduce(&self, action: Action) -> State {
        let mut next = self.clone();
        match action {
            Action::SelectChapter(idx) if idx < CHAPTERS.len() && idx != self.chapter_idx => {
                next = self.open_chapter(idx);
            }
            Action::SelectChapter(_) => {}
            Action::NextChapter if self.chapter_idx + 1 < CHAPTERS.len() => {
                next = self.open_chapter(self.chapter_idx + 1);
            }
            Action::PreviousChapter if self.chapter_idx > 0 => {
                next = self.open_chapter(self.chapter_idx - 1);
            }
            Action::NextChapter | Action::PreviousChapter => {}
            Action::LoadSetup(idx) if idx < CHAPTERS[self.chapter_idx].setups.len() => {
                next = self.load_lesson(self.chapter_idx, idx, None);
            }
            Action::LoadSetup(_) => {}
            Action::SetKnob(value) => {
                let lesson = self.lesson.filter(|_| self.custom.is_none());
                if let Some((chapter, setup)) = lesson {
                    let knob = Knob::on(chapter, setup);
                    if knob.is_some_and(|k| k.allows(value) && k.read(&self.scenario) != value) {
                        let with = State {
                            knob: Some(value),
                            ..self.clone()
                        };
                        next = with.load_lesson(chapter, setup, Some(self.seed));
                    }
                }
            }
            Action::Watch(target) => {
                next.watch = target;
                // A cue that points into the workbench opens the tab that holds its target,
                // so the outline it draws is there to be seen.
                match target {
                    Some(Target::Charts) => next.tab = Tab::Charts,
                    Some(Target::Sweep) => next.tab = Tab::Sweep,
                    _ => {}
                }
            }
            Action::Guess(idx) if self.revealed.is_none() => next.guess = Some(idx),
            Action::Guess(_) => {}
            Action::Reveal if self.guess.is_some() && self.revealed.is_none() => {
                next = self.reveal();
            }
            Action::Reveal => {}
            Action::AskAgain => {
                next.guess = None;
                next.revealed = None;
            }
            Action::StepFollowed => next = self.step_followed(),
            Action::RestoreProgress(stored) => next.progress = self.progress.merged(stored),
            Action::Notice(notice) => next.notice = notice,
            Action::PickWorkload(row, bound) if row < WORKLOADS.len().min(32) => {
                next.picked |= 1 << row;
                match bound {
                    Bound::Io => next.picked_io |= 1 << row,
                    Bound::Cpu => next.picked_io &= !(1 << row),
                }
            }
            Action::PickWorkload(..) => {}
            Action::LoadChallenge(i) if i < CHALLENGES.len() => {
                // Like a link's scenario: it runs, and the reader's own stays theirs.
                let start = Rc::new(CHALLENGES[i].scenario());
                next = self.restart(self.preset_idx, start.seed, Some(start));
                next.lesson = None;
                next.own = self.own.clone();
                next.challenge = Some(i);
            }
            Action::LoadChallenge(_) => {}
            Action::CheckChallenge => {
                if let Some(i) = self.challenge {
                    let verdict = challenges::check(&CHALLENGES[i], &self.scenario);
                    if verdict.passed {
                        next.progress.solved |= 1 << i;
                    }
                    next.verdict = Some(Rc::new(verdict));
                    next.playing = false;
                }
            }
            Action::OpenLink(link) => next = self.open_link(&link),
            Action::RestoreOwn(own) => next.own = Some(own),
            Action::CycleTheme => next.theme = self.theme.next(),
            Action::CycleMotion => next.motion = self.motion.next(),
            Action::SetHelp(open) => next.help_open = open,
            Action::SetStageText(text) => next.stage_text = text,
            Action::OpenTab(tab) => next.tab = tab,
            Action::SelectPreset(idx)
                if idx < PRESETS.len()
                    && (idx != self.preset_idx
                        || self.custom.is_some()
                        || self.lesson.is_some()) =>
            {
                let plain = State {
                    lesson: None,
                    ..self.clone()
                };
                next = plain.restart(idx, self.seed, None);
            }
            Action::SelectPreset(_) => {}
            Action::SetSeed(seed) if seed != self.seed => {
                next = self.restart(self.preset_idx, seed, self.custom.clone());
            }
            Action::SetSeed(_) => {}
            Action::Reset => next = self.restart(self.preset_idx, self.seed, self.custom.clone()),
            Action::Compare(None) => next.b = None,
            Action::Compare(Some(idx)) if idx < PRESETS.len() => {
                next.b = SideB::new(idx, &self.scenario);
                next = next.refreshed();
            }
            Action::Compare(Some(_)) => {}
            Action::Follow(request) => {
                next.followed = request;
                next.followed_events = Rc::new(match request {
                    Some(r) => self.simulation.trace_of_request(r),
                    None => (Vec::new(), false),
                });
            }
            Action::ApplyScenario(scenario) => {
                next = self.restart(self.preset_idx, scenario.seed, Some(scenario.clone()));
                next.own = Some(scenario);
                next.lesson = None;
            }
            Action::TogglePlay => {
                next.playing = !self.playing && !self.simulation.is_finished();
                next.lagging = false;
                next.held = false;
            }
            Action::Pause => {
                next.playing = false;
                next.held = false;
            }
            Action::SetInView(false) if self.playing => {
                next.playing = false;
                next.held = true;
            }
            Action::SetInView(true) if self.held => {
                next.playing = !self.simulation.is_finished();
                next.held = false;
            }
            Action::SetInView(_) => {}
            Action::StepForward => {
                next.held = false;
                next.playing = false;
                self.simulation.step();
                next = next.refreshed();
            }
            Action::StepBack => {
                next.held = false;
                next.playing = false;
                self.simulation.step_back();
                next = next.refreshed();
            }
            Action::Seek(time_us) => {
                next.held = false;
                self.simulation.seek_us(time_us);
                next = next.refreshed();
            }
            Action::Tick { elapsed_ms } if self.playing => {
                let dt_us = u64::from(elapsed_ms.min(FRAME_MS_MAX)) * SPEEDS[self.speed_idx].0;
                let advance = self.simulation.advance_by(dt_us);
                next.lagging = !advance.reached;
                next.playing = !advance.finished;
                next = next.refreshed();
            }
            Action::Tick { .. } => {}
            Action::SetSpeed(idx) if idx < SPEEDS.len() => next.speed_idx = idx,
            Action::SetSpeed(_) => {}
        }
        // A check speaks of one scenario: once another runs, its verdict goes.
        if !Rc::ptr_eq(&next.scenario, &self.scenario) {
            next.verdict = None;
        }
        next
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = State::reduce(&self, action);
        // Returning the same Rc lets Yew skip a render when nothing changed.
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

#[cfg(test)]
mod more_tests {
    use super::*;

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

#[cfg(test)]
mod follow_tests {
    use super::*;
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
    }

    #[test]
    fn the_log_holds_the_newest_events() {
        let s = State::with_preset(0, 42).reduce(Action::Seek(1_000_000));
        assert_eq!(s.log.len(), LOG_EVENTS_MAX);
        assert!(s.log.windows(2).all(|w| w[0].index < w[1].index));
        assert!(s.log.last().unwrap().time_us <= 1_000_000);
    }
}

#[cfg(test)]
mod ab_tests {
    use super::*;

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

#[cfg(test)]
mod preference_tests {
    use super::*;

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

#[cfg(test)]
mod link_tests {
    use super::*;
    use crate::share::{decode, encode};

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
            (LINK_EVENTS_MAX..=LINK_EVENTS_MAX + crate::simulation::EVENTS_PER_FRAME_MAX)
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

#[cfg(test)]
mod knob_tests {
    use super::*;

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
            crate::share::encode(&k.link()),
            format!("v=1&ch=one-request-one-thread&k=9&seed={}", k.seed)
        );
    }
}
