//! All UI state in one place, changed only through [`Action`]s by [`State::reduce`].
//!
//! The simulation itself lives behind [`Simulation`], a shared handle; the reducer is the
//! only code that moves it, and it stores a fresh snapshot after every move so components
//! draw from plain data.

use std::rc::Rc;

use sim::{RequestPhase, Sample, Scenario, Snapshot, TraceEvent};
use yew::Reducible;

use crate::curriculum::challenges::{self, Verdict, CHALLENGES};
use crate::curriculum::content::{Bound, Target, CHAPTERS, WORKLOADS};
use crate::curriculum::knobs::Knob;
use crate::curriculum::lessons::lesson_scenario;
use crate::curriculum::presets::{self, PRESETS};
use crate::links::persist::Progress;
use crate::links::share::{LinkState, LINK_EVENTS_MAX};
use crate::state::simulation::Simulation;
pub use crate::state::theme::Theme;

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
    /// Where the followed request is in its handler, as the engine reports it (the code
    /// panel's highlighted line); `None` before it arrives.
    pub followed_phase: Option<RequestPhase>,
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
            followed_phase: None,
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
        self.followed_phase = self
            .followed
            .and_then(|request| self.simulation.request_phase(request));
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
                next.followed_phase = request.and_then(|r| self.simulation.request_phase(r));
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
mod tests;
