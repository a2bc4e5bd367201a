//! All UI state in one place, changed only through [`Action`]s by [`State::reduce`].
//!
//! The simulation itself lives behind [`Simulation`], a shared handle; the reducer is the
//! only code that moves it, and it stores a fresh snapshot after every move so components
//! draw from plain data.
//!
//! [`State`] holds three parts by what outlives what: the reader's settings and the
//! page's open parts ([`Page`], in `page.rs`), their place and work in the course
//! ([`Course`], in `course.rs`), and the run on the stage ([`Run`], in `run.rs`), which
//! each new run replaces whole. Beside them, the moves that need the whole state:
//! `chapters.rs` (opening a chapter, loading its runs, answering its question) and
//! `link.rs` (the state as a link, and the view a link opens).
//!
//! [`Simulation`]: crate::state::simulation::Simulation

use std::rc::Rc;

use sim::Scenario;
use yew::Reducible;

use crate::curriculum::challenges::{self, CHALLENGES};
use crate::curriculum::content::{Bound, Target, CHAPTERS, WORKLOADS};
use crate::curriculum::knobs::Knob;
use crate::curriculum::presets::{self, PRESETS};
use crate::links::persist::Progress;
use crate::links::share::LinkState;
pub use crate::state::theme::Theme;

mod chapters;
mod course;
mod link;
mod page;
mod run;

pub use course::{ChallengeView, Course};
pub use page::{Motion, Page, Tab, SPEEDS, SPEED_IDX_DEFAULT};
pub use run::{Run, SideB, LOG_EVENTS_MAX};

/// A frame longer than this (a background tab, a debugger pause) advances the clock by
/// this much only, so the simulation never leaps ahead unseen.
pub const FRAME_MS_MAX: u32 = 100;

/// The longest run of events one "step this request" may take before giving up, so a
/// request that never moves again (a deadlock) cannot freeze the page.
pub const STEP_FOLLOWED_EVENTS_MAX: u32 = 200_000;

/// The page's state, in three parts by what outlives what. A new run replaces `run` and
/// nothing else, so what the reader chose (in `page` and `course`) is kept by
/// construction: a setting added to either cannot be forgotten on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The reader's settings and what is open on the page.
    pub page: Page,
    /// Where the reader is in the course and what they have done there.
    pub course: Course,
    /// The run on the stage.
    pub run: Run,
}

impl Default for State {
    /// The page opens on chapter 1 with its run loaded.
    fn default() -> State {
        let plain = State::with_preset(0, presets::scenario(&PRESETS[0]).seed);
        let mut first = plain.load_lesson(0, 0, None);
        first.course.progress.visited = 1;
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

impl State {
    /// A fresh, paused run of preset `preset_idx` with `seed`, and nothing chosen yet.
    pub fn with_preset(preset_idx: usize, seed: u64) -> State {
        let preset_idx = preset_idx.min(PRESETS.len() - 1);
        let scenario = presets::scenario(&PRESETS[preset_idx]);
        State {
            page: Page::default(),
            course: Course::default(),
            run: Run::new(preset_idx, scenario, seed, None),
        }
    }

    /// `self` with `run` on the stage. Everything outside the run is the reader's and
    /// carries over; the struct is written out whole, so a new part of `State` has to be
    /// placed here, as kept or not.
    fn with_run(&self, run: Run) -> State {
        State {
            page: self.page.clone(),
            course: self.course.clone(),
            run,
        }
    }

    /// Replaces the run, keeping the reader's choices (and their own scenario, if the run
    /// is theirs) and the comparison with a preset's style.
    fn restart(&self, preset_idx: usize, seed: u64, custom: Option<Rc<Scenario>>) -> State {
        if custom.is_none() {
            if let Some((chapter, setup)) = self.run.lesson {
                return self.load_lesson(chapter, setup, Some(seed));
            }
        }
        let scenario = match &custom {
            Some(own) => (**own).clone(),
            None => presets::scenario(&PRESETS[preset_idx]),
        };
        let mut run = Run::new(preset_idx, scenario, seed, custom);
        run.b = self.run.b.as_ref().and_then(|b| match b.preset_idx {
            Some(idx) => SideB::new(idx, &run.scenario),
            None => None,
        });
        self.with_run(run)
    }

    fn refreshed(mut self) -> State {
        self.run.refresh();
        self
    }

    /// Steps until the followed request has a new event, the run ends, or the bound.
    fn step_followed(&self) -> State {
        let Some(request) = self.run.followed else {
            return self.clone();
        };
        let mut next = self.clone();
        next.run.playing = false;
        for _ in 0..STEP_FOLLOWED_EVENTS_MAX {
            // Only the events this step emits are looked at: re-reading the request's whole
            // story after every step would cost the length of the trace each time.
            let since = next.run.simulation.trace_total();
            if !next.run.simulation.step() || next.run.simulation.mentions_since(since, request) {
                break;
            }
        }
        next.refreshed()
    }

    /// Applies one action. Out-of-range indices are ignored rather than clamped, so a bad
    /// index can never move the reader somewhere they did not ask to go.
    pub fn reduce(&self, action: Action) -> State {
        let mut next = self.clone();
        let (page, course, run) = (&self.page, &self.course, &self.run);
        match action {
            Action::SelectChapter(idx) if idx < CHAPTERS.len() && idx != course.chapter_idx => {
                next = self.open_chapter(idx);
            }
            Action::SelectChapter(_) => {}
            Action::NextChapter if course.chapter_idx + 1 < CHAPTERS.len() => {
                next = self.open_chapter(course.chapter_idx + 1);
            }
            Action::PreviousChapter if course.chapter_idx > 0 => {
                next = self.open_chapter(course.chapter_idx - 1);
            }
            Action::NextChapter | Action::PreviousChapter => {}
            Action::LoadSetup(idx) if idx < CHAPTERS[course.chapter_idx].setups.len() => {
                next = self.load_lesson(course.chapter_idx, idx, None);
            }
            Action::LoadSetup(_) => {}
            Action::SetKnob(value) => {
                let lesson = run.lesson.filter(|_| run.custom.is_none());
                if let Some((chapter, setup)) = lesson {
                    let knob = Knob::on(chapter, setup);
                    if knob.is_some_and(|k| k.allows(value) && k.read(&run.scenario) != value) {
                        let mut with = self.clone();
                        with.run.knob = Some(value);
                        next = with.load_lesson(chapter, setup, Some(run.seed));
                    }
                }
            }
            Action::Watch(target) => {
                next.course.watch = target;
                // A cue that points into the workbench opens the tab that holds its target,
                // so the outline it draws is there to be seen.
                match target {
                    Some(Target::Charts) => next.page.tab = Tab::Charts,
                    Some(Target::Sweep) => next.page.tab = Tab::Sweep,
                    _ => {}
                }
            }
            Action::Guess(idx) if course.revealed.is_none() => next.course.guess = Some(idx),
            Action::Guess(_) => {}
            Action::Reveal if course.guess.is_some() && course.revealed.is_none() => {
                next = self.reveal();
            }
            Action::Reveal => {}
            Action::AskAgain => {
                next.course.guess = None;
                next.course.revealed = None;
            }
            Action::StepFollowed => next = self.step_followed(),
            Action::RestoreProgress(stored) => {
                next.course.progress = course.progress.merged(stored);
            }
            Action::Notice(notice) => next.page.notice = notice,
            Action::PickWorkload(row, bound) if row < WORKLOADS.len().min(32) => {
                next.course.picked |= 1 << row;
                match bound {
                    Bound::Io => next.course.picked_io |= 1 << row,
                    Bound::Cpu => next.course.picked_io &= !(1 << row),
                }
            }
            Action::PickWorkload(..) => {}
            Action::LoadChallenge(i) if i < CHALLENGES.len() => {
                // Like a link's scenario: it runs, and the reader's own stays theirs.
                let start = Rc::new(CHALLENGES[i].scenario());
                next = self.restart(run.preset_idx, start.seed, Some(start));
                next.run.lesson = None;
                next.course.challenge = Some(i);
            }
            Action::LoadChallenge(_) => {}
            Action::CheckChallenge => {
                if let Some(i) = course.challenge {
                    let verdict = challenges::check(&CHALLENGES[i], &run.scenario);
                    if verdict.passed {
                        next.course.progress.solved |= 1 << i;
                    }
                    next.run.verdict = Some(Rc::new(verdict));
                    next.run.playing = false;
                }
            }
            Action::OpenLink(link) => next = self.open_link(&link),
            Action::RestoreOwn(own) => next.course.own = Some(own),
            Action::CycleTheme => next.page.theme = page.theme.next(),
            Action::CycleMotion => next.page.motion = page.motion.next(),
            Action::SetHelp(open) => next.page.help_open = open,
            Action::SetStageText(text) => next.page.stage_text = text,
            Action::OpenTab(tab) => next.page.tab = tab,
            Action::SelectPreset(idx)
                if idx < PRESETS.len()
                    && (idx != run.preset_idx || run.custom.is_some() || run.lesson.is_some()) =>
            {
                let mut plain = self.clone();
                plain.run.lesson = None;
                next = plain.restart(idx, run.seed, None);
            }
            Action::SelectPreset(_) => {}
            Action::SetSeed(seed) if seed != run.seed => {
                next = self.restart(run.preset_idx, seed, run.custom.clone());
            }
            Action::SetSeed(_) => {}
            Action::Reset => next = self.restart(run.preset_idx, run.seed, run.custom.clone()),
            Action::Compare(None) => next.run.b = None,
            Action::Compare(Some(idx)) if idx < PRESETS.len() => {
                next.run.b = SideB::new(idx, &run.scenario);
                next = next.refreshed();
            }
            Action::Compare(Some(_)) => {}
            Action::Follow(request) => {
                next.run.followed = request;
                next.run.followed_events = Rc::new(match request {
                    Some(r) => run.simulation.trace_of_request(r),
                    None => (Vec::new(), false),
                });
                next.run.followed_phase = request.and_then(|r| run.simulation.request_phase(r));
            }
            Action::ApplyScenario(scenario) => {
                next = self.restart(run.preset_idx, scenario.seed, Some(scenario.clone()));
                next.course.own = Some(scenario);
                next.run.lesson = None;
            }
            Action::TogglePlay => {
                next.run.playing = !run.playing && !run.simulation.is_finished();
                next.run.lagging = false;
                next.run.held = false;
            }
            Action::Pause => {
                next.run.playing = false;
                next.run.held = false;
            }
            Action::SetInView(false) if run.playing => {
                next.run.playing = false;
                next.run.held = true;
            }
            Action::SetInView(true) if run.held => {
                next.run.playing = !run.simulation.is_finished();
                next.run.held = false;
            }
            Action::SetInView(_) => {}
            Action::StepForward => {
                next.run.held = false;
                next.run.playing = false;
                run.simulation.step();
                next = next.refreshed();
            }
            Action::StepBack => {
                next.run.held = false;
                next.run.playing = false;
                run.simulation.step_back();
                next = next.refreshed();
            }
            Action::Seek(time_us) => {
                next.run.held = false;
                run.simulation.seek_us(time_us);
                next = next.refreshed();
            }
            Action::Tick { elapsed_ms } if run.playing => {
                let dt_us = u64::from(elapsed_ms.min(FRAME_MS_MAX)) * SPEEDS[page.speed_idx].0;
                let advance = run.simulation.advance_by(dt_us);
                next.run.lagging = !advance.reached;
                next.run.playing = !advance.finished;
                next = next.refreshed();
            }
            Action::Tick { .. } => {}
            Action::SetSpeed(idx) if idx < SPEEDS.len() => next.page.speed_idx = idx,
            Action::SetSpeed(_) => {}
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
