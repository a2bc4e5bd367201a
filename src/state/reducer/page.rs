//! How the reader has set up the page, and what is open on it: the part of [`State`]
//! that no run or chapter changes.
//!
//! [`State`]: super::State

use std::rc::Rc;

use crate::state::theme::Theme;

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

/// Where playback starts: slow enough to follow single requests.
pub const SPEED_IDX_DEFAULT: usize = 2;

/// The reader's settings and the page's open parts. A new run or chapter leaves all of it
/// as it is: it lives outside the run for that reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub theme: Theme,
    pub motion: Motion,
    /// Index into [`SPEEDS`]; always in range.
    pub speed_idx: usize,
    /// The workbench tab that is open (one at a time).
    pub tab: Tab,
    /// The stage shows its text lists instead of the picture ("Show as text").
    pub stage_text: bool,
    /// The keyboard-shortcut overlay is open.
    pub help_open: bool,
    /// A message about something the page could not do as asked (a bad link, say).
    pub notice: Option<Rc<str>>,
}

impl Default for Page {
    fn default() -> Page {
        Page {
            theme: Theme::System,
            motion: Motion::System,
            speed_idx: SPEED_IDX_DEFAULT,
            tab: Tab::Charts,
            stage_text: false,
            help_open: false,
            notice: None,
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
