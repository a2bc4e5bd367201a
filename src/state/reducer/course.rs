//! Where the reader is in the course and what they have done there: the part of
//! [`State`] that a new run keeps. The moves through the course are in `chapters.rs`.
//!
//! [`State`]: super::State

use std::rc::Rc;

use sim::Scenario;

use crate::curriculum::challenges::Verdict;
use crate::curriculum::content::Target;
use crate::links::persist::Progress;

/// The reader's place in the course and their work in it. A new run leaves all of it as
/// it is: it lives outside the run for that reason.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Course {
    /// Index into [`CHAPTERS`](crate::curriculum::content::CHAPTERS); always in range.
    pub chapter_idx: usize,
    /// The cue whose target the page highlights.
    pub watch: Option<Target>,
    /// The reader's prediction for the current chapter's question (a choice index).
    pub guess: Option<usize>,
    /// The value the simulation gave for the current chapter's question, once revealed
    /// (NaN if it could not be read).
    pub revealed: Option<f64>,
    /// Chapters opened, questions answered and first answers; kept in localStorage.
    pub progress: Progress,
    /// Chapter 11's exercise: rows chosen, and rows answered "I/O-bound" (bit sets).
    pub picked: u32,
    pub picked_io: u32,
    /// The sandbox's challenge the reader last loaded (`challenges::CHALLENGES`).
    pub challenge: Option<usize>,
    /// The last scenario the reader applied, kept when a chapter loads its own run so the
    /// sandbox can offer it back.
    pub own: Option<Rc<Scenario>>,
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
