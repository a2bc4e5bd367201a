//! What a link says ([`LinkState`]), what can be wrong with one ([`LinkError`]), and the
//! bounds and the character rule that the writer and the readers share.

use std::fmt;

use sim::Scenario;

use crate::curriculum::content::CHAPTERS;
use crate::curriculum::knobs::Knob;
use crate::curriculum::lessons::lesson_scenario;
use crate::curriculum::presets::{self, PRESETS};

/// The link version `encode` writes and the newest `decode` reads.
pub const LINK_VERSION: u32 = 1;
/// Longest query `decode` reads, in characters; longer ones are refused as a whole.
pub const LINK_CHARS_MAX: usize = 8192;

/// What a link says; `None` is "not in the link", and the page's default stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkState {
    /// The reader's own scenario; `None` runs the chapter's or preset's own.
    pub scenario: Option<Scenario>,
    /// A slug of [`PRESETS`].
    pub preset: Option<String>,
    /// A chapter's run: (the chapter's index, the run's name).
    pub run: Option<(usize, String)>,
    pub seed: Option<u64>,
    /// Index into [`CHAPTERS`].
    pub chapter: Option<usize>,
    /// A/B mode: the slug of the preset whose style side B uses, or `off`.
    pub compare: Option<String>,
    /// The moment shown, in simulated microseconds.
    pub time_us: Option<u64>,
    /// The exact step: the number of events processed (wins over `time_us`).
    pub events: Option<u64>,
    /// The request followed: `Some(None)` is `f=none`, following nothing.
    pub follow: Option<Option<u64>>,
    /// The value of the chapter run's knob.
    pub knob: Option<u32>,
}

/// Most events a link may ask the page to replay (`e`): a few seconds of work in the
/// browser at worst.
pub const LINK_EVENTS_MAX: u64 = 20_000_000;

/// One problem with a link: the parameter (`link` for the whole query) and a sentence that
/// names it and says what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkError {
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl LinkState {
    /// The knob of the chapter run the link loads (`r`'s, else the chapter's first), with
    /// the run's chapter; none when the link runs a preset or a scenario.
    pub fn knob_of_run(&self) -> Option<(usize, &'static Knob)> {
        let (chapter, setup) = match (&self.run, &self.preset, &self.scenario) {
            (Some((c, r)), _, _) => {
                let setup = CHAPTERS.get(*c)?.setups.iter().position(|s| s.a == r)?;
                (*c, setup)
            }
            (None, None, None) => (self.chapter.unwrap_or(0), 0),
            _ => return None,
        };
        Knob::on(chapter, setup).map(|k| (chapter, k))
    }

    /// The scenario the link runs, before its seed: `s`, else the preset `p` names, else
    /// the run `r` names, else the chapter's first run (chapter 1's when the link names
    /// none, as the page opens there), else the first preset.
    pub fn base_scenario(&self) -> Scenario {
        if let Some(own) = &self.scenario {
            return own.clone();
        }
        let chapter = self.chapter.unwrap_or(0);
        let preset = self
            .preset
            .as_ref()
            .and_then(|p| PRESETS.iter().find(|x| x.slug == p));
        if let Some(p) = preset {
            return presets::scenario(p);
        }
        if let Some(s) = self.run.as_ref().and_then(|(c, r)| lesson_scenario(*c, r)) {
            return s;
        }
        CHAPTERS
            .get(chapter)
            .and_then(|c| c.setups.first())
            .and_then(|setup| lesson_scenario(chapter, setup.a))
            .unwrap_or_else(|| presets::scenario(&PRESETS[0]))
    }
}

pub(super) fn problem(field: &'static str, message: String) -> LinkError {
    LinkError { field, message }
}

/// Whether `c` may stand in a link's value as it is: an unreserved URL character.
pub(super) fn unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}
