//! The page's state in its address (issue 6): a compact, versioned query string that
//! survives copy/paste in chat and email, and a decoder that reads *any* string without
//! panicking and names every problem it finds. Pure and tested natively; the page wires it
//! in elsewhere.
//!
//! Version 1, every parameter optional, written in this order:
//!
//! `v=1&ch=starvation&r=result&k=200&seed=7&ab=async&t=1500000&e=5120&f=3&s=eyJ2ZXJzaW9uIjoxfQ`
//!
//! * `v`: the link version. Missing means 1, so the plain `?chapter=7` links that already
//!   exist keep working; a higher number is refused as made by a newer Await Lab.
//! * `ch` (alias `chapter`): a chapter's slug or its number, 1–12; 11 opens the sandbox,
//!   as links made when it was chapter 11 say (the chapter now eleventh goes by its slug).
//! * `p`: the run, when it is a preset: a slug of [`PRESETS`].
//! * `r`: the run, when it is a chapter's (`lessons::LESSON_PRESETS`): its name, a run of
//!   `ch`; or `<chapter>.<name>` for another chapter's run (the sandbox keeps the run the
//!   reader came with). Presets and runs share some names, hence two keys. A run that has
//!   moved to another chapter (`MOVED_RUNS`) opens in its new chapter.
//! * `k`: the value of the chapter run's knob (`knobs`), when it is not the run's own; the
//!   run is `r`'s, or else the first of `ch`. Allowed: the knob's range and step.
//! * `seed`: the seed, 0 – 2⁶⁴−1. `ab`: A/B mode, the preset slug whose style side B uses,
//!   or `off` where the chapter's run would bring its own side B.
//! * `t`: the moment shown, in simulated microseconds, 0 – the run's end.
//! * `e`: the exact step: how many events the engine had processed, 0 – 20,000,000. It
//!   wins over `t`, since several events can share one microsecond; `t` stays readable.
//! * `f`: the request followed, a request number, or `none` where the run would follow
//!   one by itself (a chapter's run follows request 0).
//! * `s`: a scenario of the reader's own, as base64url (no padding) of its minified JSON,
//!   with every field that equals its default left out. It goes last, so a link cut short
//!   in transit breaks the scenario's JSON (reported) rather than silently changing a number.
//!
//! Every value uses only unreserved URL characters (`A–Z a–z 0–9 - . _ ~`), so nothing is
//! escaped or mangled on the way. Unknown parameters are ignored (a later version, or
//! `embed=1`, may add some). Error messages quote values as plain text, never as markup.

use std::fmt;

use sim::Scenario;

use crate::curriculum::content::{chapter_index, CHAPTERS};
use crate::curriculum::knobs::Knob;
use crate::curriculum::lessons::lesson_scenario;
use crate::curriculum::presets::{self, PRESETS};
use crate::state::theme::Theme;
use crate::view::format::{field_problems, quote, shorten, QUOTE_CHARS_MAX};

/// The link version [`encode`] writes and the newest [`decode`] reads.
pub const LINK_VERSION: u32 = 1;
/// Longest query [`decode`] reads, in characters; longer ones are refused as a whole.
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

/// The query string for `state`, without `?`, starting with `v=1`. Values the page cannot
/// have made (a chapter out of range, a slug with characters outside `A–Z a–z 0–9 - . _ ~`)
/// are left out rather than written broken. A scenario with very many steps, resources or
/// bursts can make the link longer than [`LINK_CHARS_MAX`], which [`decode`] refuses: the
/// caller should check the length and offer the scenario's export instead.
pub fn encode(state: &LinkState) -> String {
    let mut out = format!("v={LINK_VERSION}");
    let mut put = |key: &str, value: &str| {
        if value.chars().all(unreserved) {
            out.push_str(&format!("&{key}={value}"));
        }
    };
    if let Some(chapter) = state.chapter.and_then(|c| CHAPTERS.get(c)) {
        put("ch", chapter.slug);
    }
    if let Some(p) = &state.preset {
        put("p", p);
    }
    if let Some((c, r)) = &state.run {
        match (CHAPTERS.get(*c), state.chapter == Some(*c)) {
            (_, true) => put("r", r),
            (Some(other), false) => put("r", &format!("{}.{r}", other.slug)),
            (None, false) => {}
        }
    }
    if let Some(k) = state.knob {
        put("k", &k.to_string());
    }
    if let Some(seed) = state.seed {
        put("seed", &seed.to_string());
    }
    if let Some(ab) = &state.compare {
        put("ab", ab);
    }
    if let Some(t) = state.time_us {
        put("t", &t.to_string());
    }
    if let Some(e) = state.events {
        put("e", &e.to_string());
    }
    match state.follow {
        Some(Some(r)) => put("f", &r.to_string()),
        Some(None) => put("f", "none"),
        None => {}
    }
    if let Some(s) = &state.scenario {
        put("s", &base64url_encode(scenario_json(s).as_bytes()));
    }
    out
}

/// Reads a query (with or without its `?`): the state, or every problem found.
pub fn decode(query: &str) -> Result<LinkState, Vec<LinkError>> {
    match decode_lenient(query) {
        (state, errors) if errors.is_empty() => Ok(state),
        (_, errors) => Err(errors),
    }
}

/// A link's parameters, each read once; `ch` and `chapter` are one parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Param {
    Version,
    Chapter,
    Preset,
    Seed,
    Ab,
    Time,
    Scenario,
    Step,
    Follow,
    Run,
    Knob,
}

impl Param {
    const ALL: [Param; 11] = [
        Param::Version,
        Param::Chapter,
        Param::Preset,
        Param::Seed,
        Param::Ab,
        Param::Time,
        Param::Scenario,
        Param::Step,
        Param::Follow,
        Param::Run,
        Param::Knob,
    ];

    /// The parameter's key in a link; the chapter's is also read as `chapter`.
    fn key(self) -> &'static str {
        match self {
            Param::Version => "v",
            Param::Chapter => "ch",
            Param::Preset => "p",
            Param::Seed => "seed",
            Param::Ab => "ab",
            Param::Time => "t",
            Param::Scenario => "s",
            Param::Step => "e",
            Param::Follow => "f",
            Param::Run => "r",
            Param::Knob => "k",
        }
    }

    fn of_key(key: &str) -> Option<Param> {
        if key == "chapter" {
            return Some(Param::Chapter);
        }
        Param::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// Reads a query, keeping every part that is valid and listing every problem: what the
/// page uses when it must open *something*. Never panics.
pub fn decode_lenient(query: &str) -> (LinkState, Vec<LinkError>) {
    let mut state = LinkState::default();
    let mut errors = Vec::new();
    let query = query.strip_prefix('?').unwrap_or(query);
    // Only the page's own parameters count: others (tracking, embed options) are not read.
    let length: usize = query
        .split('&')
        .filter(|pair| LINK_KEYS.contains(&pair.split_once('=').map_or(*pair, |(k, _)| k)))
        .map(|pair| pair.chars().count() + 1)
        .sum::<usize>()
        .saturating_sub(1);
    if length > LINK_CHARS_MAX {
        let message = format!(
            "The link is {length} characters long; a link may have at most {LINK_CHARS_MAX}."
        );
        return (state, vec![problem("link", message)]);
    }

    // Each known parameter once, as it was written (`ch` or `chapter`).
    let mut given: [Option<(&'static str, &str)>; Param::ALL.len()] = [None; Param::ALL.len()];
    let mut repeated = [false; Param::ALL.len()];
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if let Some(param) = Param::of_key(key) {
            let i = param as usize;
            let name = if key == "chapter" {
                "chapter"
            } else {
                param.key()
            };
            match given[i] {
                Some((first, _)) if !repeated[i] => {
                    repeated[i] = true;
                    let what = if first == name {
                        format!("The link's {name} parameter appears")
                    } else {
                        "The link gives its chapter (as ch and as chapter)".to_owned()
                    };
                    let message = format!("{what} more than once; a link may give it once.");
                    errors.push(problem(first, message));
                }
                Some(_) => {}
                None => given[i] = Some((name, value)),
            }
        }
    }
    let value = |param: Param, errors: &mut Vec<LinkError>| -> Option<(&'static str, String)> {
        let i = param as usize;
        let (name, raw) = given[i].filter(|_| !repeated[i])?;
        clean(name, raw)
            .map_err(|e| errors.push(e))
            .ok()
            .map(|v| (name, v))
    };

    if let Some((name, v)) = value(Param::Version, &mut errors) {
        if v.bytes().all(|b| b.is_ascii_digit()) && !v.trim_start_matches('0').is_empty() {
            if v.trim_start_matches('0') != "1" {
                // A newer link's parameters may mean something else: keep only the
                // chapter, whose slugs never change, and report nothing but the version.
                let message = format!(
                    "This link was made by a newer Await Lab (link version {}); this page \
                     reads links up to version {LINK_VERSION}. Reload the page to update it, \
                     or ask for a new link.",
                    shorten(&v, QUOTE_CHARS_MAX)
                );
                let (_, raw) = given[Param::Chapter as usize].unwrap_or(("ch", ""));
                state.chapter =
                    given[Param::Chapter as usize].and_then(|_| chapter_param(raw).ok());
                return (state, vec![problem(name, message)]);
            }
        } else {
            let message = format!(
                "The link's v parameter {} is not a link version: it must be {LINK_VERSION}.",
                quote(&v)
            );
            errors.push(problem(name, message));
        }
    }
    // A chapter value with odd characters is still answered with what a chapter can be,
    // since that is what the reader needs to fix the link.
    let chapter = given[Param::Chapter as usize]
        .filter(|_| !repeated[Param::Chapter as usize])
        .map(|(name, raw)| (name, clean(name, raw).unwrap_or_else(|_| raw.to_owned())));
    if let Some((name, v)) = chapter {
        match chapter_param(&v) {
            Ok(idx) => state.chapter = Some(idx),
            Err(message) => errors.push(problem(
                name,
                message.replacen("chapter parameter", &format!("{name} parameter"), 1),
            )),
        }
    }
    if let Some((name, v)) = value(Param::Preset, &mut errors) {
        if PRESETS.iter().any(|p| p.slug == v) {
            state.preset = Some(v);
        } else {
            let message = format!(
                "The link's p parameter {} is not a preset: it must be one of {}.",
                quote(&v),
                preset_slugs()
            );
            errors.push(problem(name, message));
        }
    }
    if let Some((name, v)) = value(Param::Run, &mut errors) {
        // `name` alone is a run of the link's chapter (chapter 1 when it names none, as
        // the page opens there); `chapter.name` is a run of that chapter.
        let (mut chapter, run) = match v.split_once('.') {
            Some((c, r)) => (chapter_param(c).ok(), r),
            None => (Some(state.chapter.unwrap_or(0)), v.as_str()),
        };
        // A run that has moved to another chapter opens there; a link that names it with
        // its old chapter alone opens the new chapter.
        if let Some(to) = chapter.and_then(|c| moved_run(c, run)) {
            if !v.contains('.') {
                state.chapter = Some(to);
            }
            chapter = Some(to);
        }
        match chapter {
            Some(c) if runs_of(Some(c)).contains(&run) => {
                state.run = Some((c, run.to_owned()));
            }
            _ => {
                let c = chapter.unwrap_or(state.chapter.unwrap_or(0));
                let runs = runs_of(Some(c));
                let listed = if runs.is_empty() {
                    "it has none".to_owned()
                } else {
                    format!("they are {}", runs.join(", "))
                };
                let message = format!(
                    "The link's r parameter {} is not a run of chapter {} ({listed}); \
                     another chapter's run is written chapter.run, as in starvation.result.",
                    quote(&v),
                    c + 1
                );
                errors.push(problem(name, message));
            }
        }
    }
    if let Some((name, v)) = value(Param::Seed, &mut errors) {
        match number(&v) {
            Some(seed) => state.seed = Some(seed),
            None => errors.push(problem(
                name,
                format!(
                    "The link's seed parameter {} is not a seed: it must be a whole number \
                     from 0 to {}.",
                    quote(&v),
                    u64::MAX
                ),
            )),
        }
    }
    if let Some((name, v)) = value(Param::Ab, &mut errors) {
        if v == "off" || PRESETS.iter().any(|p| p.slug == v) {
            state.compare = Some(v);
        } else {
            let message = format!(
                "The link's ab parameter {} is not a preset to compare with: it must be \
                 one of {}, or off.",
                quote(&v),
                preset_slugs()
            );
            errors.push(problem(name, message));
        }
    }
    let time = value(Param::Time, &mut errors);
    if let Some((name, v)) = value(Param::Step, &mut errors) {
        match number(&v).filter(|e| *e <= LINK_EVENTS_MAX) {
            Some(e) => state.events = Some(e),
            None => errors.push(problem(
                name,
                format!(
                    "The link's e parameter {} is not a step: it must be a whole number of \
                     events from 0 to {LINK_EVENTS_MAX}.",
                    quote(&v)
                ),
            )),
        }
    }
    if let Some((name, v)) = value(Param::Follow, &mut errors) {
        match number(&v) {
            Some(r) => state.follow = Some(Some(r)),
            None if v == "none" => state.follow = Some(None),
            None => errors.push(problem(
                name,
                format!(
                    "The link's f parameter {} is not a request to follow: it must be a \
                     request number from 0 to {}, or none.",
                    quote(&v),
                    u64::MAX
                ),
            )),
        }
    }
    if let Some((_, v)) = value(Param::Scenario, &mut errors) {
        match scenario_param(&v) {
            Ok(s) => state.scenario = Some(s),
            Err(mut list) => errors.append(&mut list),
        }
    }
    // The knob is checked against the run the link loads: `r`'s, else the chapter's first.
    if let Some((name, v)) = value(Param::Knob, &mut errors) {
        let knob = state.knob_of_run();
        let value = number(&v).and_then(|n| u32::try_from(n).ok());
        match (knob, value) {
            (Some((_, k)), Some(n)) if k.allows(n) => state.knob = Some(n),
            (Some((c, k)), _) => errors.push(problem(
                name,
                format!(
                    "The link's k parameter {} is not a value of chapter {}'s knob ({}): it \
                     must be {}.",
                    quote(&v),
                    c + 1,
                    k.label,
                    k.range()
                ),
            )),
            (None, _) => errors.push(problem(
                name,
                format!(
                    "The link's k parameter {} sets a knob, but the run the link opens has \
                     none to set.",
                    quote(&v)
                ),
            )),
        }
    }
    // The time is checked against the run the caller will actually use: the valid parts.
    if let Some((name, v)) = time {
        let end_us = state.base_scenario().duration_ms.saturating_mul(1000);
        match number(&v).filter(|t| *t <= end_us) {
            Some(t) => state.time_us = Some(t),
            None => errors.push(problem(
                name,
                format!(
                    "The link's t parameter {} is not a time in the run: it must be a whole \
                     number of microseconds from 0 to {end_us} (the run's end).",
                    quote(&v)
                ),
            )),
        }
    }
    (state, errors)
}

/// The panels an embedded view can show, in page order; `panels=` lists them joined by
/// `-`. Bit `i` of [`Embed::panels`] is `EMBED_PANELS[i]`.
pub const EMBED_PANELS: [&str; 5] = ["stage", "figures", "code", "log", "charts"];

/// How much of the player an embedded view shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EmbedControls {
    /// Every control of the full page: speed, run, seed, compare.
    Full,
    /// Play, step and reset.
    #[default]
    Min,
    /// None: a still picture, or a film when it autoplays.
    None,
}

const EMBED_CONTROLS: [(&str, EmbedControls); 3] = [
    ("full", EmbedControls::Full),
    ("min", EmbedControls::Min),
    ("none", EmbedControls::None),
];

/// The embedded view a link asks for:
/// `embed=1&panels=stage-charts&autoplay=1&controls=min&theme=dark`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Embed {
    /// A bit set over [`EMBED_PANELS`]; never empty.
    pub panels: u8,
    pub autoplay: bool,
    pub controls: EmbedControls,
    /// The embed has no theme switch: the host page's author picks its theme, or it
    /// follows the reader's system.
    pub theme: Theme,
}

impl Default for Embed {
    fn default() -> Embed {
        Embed {
            panels: 1,
            autoplay: false,
            controls: EmbedControls::Min,
            theme: Theme::System,
        }
    }
}

impl Embed {
    pub fn shows(&self, panel: &str) -> bool {
        EMBED_PANELS
            .iter()
            .position(|p| *p == panel)
            .is_some_and(|i| self.panels & (1 << i) != 0)
    }

    /// Its parameters, to append to a link made by [`encode`]; defaults are left out.
    pub fn encode(&self) -> String {
        let mut out = "embed=1".to_owned();
        if self.panels != 1 {
            let names: Vec<&str> = EMBED_PANELS
                .iter()
                .enumerate()
                .filter(|(i, _)| self.panels & (1 << i) != 0)
                .map(|(_, p)| *p)
                .collect();
            out += &format!("&panels={}", names.join("-"));
        }
        if self.autoplay {
            out += "&autoplay=1";
        }
        if let Some((name, _)) = EMBED_CONTROLS.iter().find(|(_, c)| *c == self.controls) {
            if self.controls != EmbedControls::Min {
                out += &format!("&controls={name}");
            }
        }
        if self.theme != Theme::System {
            out += &format!("&theme={}", self.theme.attribute());
        }
        out
    }
}

/// Reads the embed parameters of a query: `None` unless it says `embed=1`. A bad option
/// keeps its default and is reported; the first of a repeated parameter counts.
pub fn decode_embed(query: &str) -> (Option<Embed>, Vec<LinkError>) {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut errors = Vec::new();
    let get = |name: &'static str, errors: &mut Vec<LinkError>| {
        let raw = query
            .split('&')
            .find_map(|pair| match pair.split_once('=') {
                Some((k, v)) if k == name => Some(v),
                None if pair == name => Some(""),
                _ => None,
            })?;
        clean(name, raw).map_err(|e| errors.push(e)).ok()
    };
    let flag = |name: &'static str, v: String, errors: &mut Vec<LinkError>| match v.as_str() {
        "1" => Some(true),
        "0" => Some(false),
        _ => {
            let message = format!(
                "The link's {name} parameter {} must be 1 (on) or 0 (off).",
                quote(&v)
            );
            errors.push(problem(name, message));
            None
        }
    };
    let on = get("embed", &mut errors).and_then(|v| flag("embed", v, &mut errors));
    if on != Some(true) {
        return (None, errors);
    }
    let mut embed = Embed::default();
    if let Some(v) = get("panels", &mut errors) {
        let mut panels = 0u8;
        let mut bad = false;
        for name in v.split('-') {
            match EMBED_PANELS.iter().position(|p| *p == name) {
                Some(i) => panels |= 1 << i,
                None => bad = true,
            }
        }
        if bad || panels == 0 {
            let message = format!(
                "The link's panels parameter {} is not a list of panels: it must be one or \
                 more of {}, joined by -.",
                quote(&v),
                EMBED_PANELS.join(", ")
            );
            errors.push(problem("panels", message));
        } else {
            embed.panels = panels;
        }
    }
    if let Some(v) = get("autoplay", &mut errors) {
        embed.autoplay = flag("autoplay", v, &mut errors).unwrap_or(false);
    }
    if let Some(v) = get("controls", &mut errors) {
        match EMBED_CONTROLS.iter().find(|(name, _)| *name == v) {
            Some((_, c)) => embed.controls = *c,
            None => errors.push(problem(
                "controls",
                format!(
                    "The link's controls parameter {} must be full, min or none.",
                    quote(&v)
                ),
            )),
        }
    }
    if let Some(v) = get("theme", &mut errors) {
        match [Theme::System, Theme::Light, Theme::Dark]
            .into_iter()
            .find(|t| t.attribute() == v)
        {
            Some(theme) => embed.theme = theme,
            None => errors.push(problem(
                "theme",
                format!(
                    "The link's theme parameter {} must be system (the reader's setting), \
                     light or dark.",
                    quote(&v)
                ),
            )),
        }
    }
    (Some(embed), errors)
}

/// Every parameter [`encode`] and [`decode`] own; the rest of a query belongs to others.
pub const LINK_KEYS: [&str; 12] = [
    "v", "ch", "chapter", "p", "r", "k", "seed", "ab", "t", "e", "f", "s",
];

/// Parameters that only shape an embedded view.
pub const EMBED_KEYS: [&str; 5] = ["embed", "panels", "autoplay", "controls", "theme"];

/// `link` (from [`encode`]) followed by the pairs of `current` (a query, `?` optional)
/// whose keys are not in `drop`, in their order and exactly as written: the page rewrites
/// its own parameters and leaves everybody else's alone.
pub fn merge_query(link: &str, current: &str, drop: &[&str]) -> String {
    let current = current.strip_prefix('?').unwrap_or(current);
    let mut out = link.to_owned();
    for pair in current.split('&').filter(|p| !p.is_empty()) {
        let key = pair.split_once('=').map_or(pair, |(k, _)| k);
        if !drop.contains(&key) {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(pair);
        }
    }
    out
}

/// The chapter a number in a link opens. Links made when the sandbox was chapter 11
/// say `11` for it, so `11` still opens the sandbox; the chapter now eleventh is named
/// by its slug. Every other number is the chapter's place.
const NUMBER_11: &str = "sandbox";

/// Reads the `chapter` parameter of a link: a chapter's slug or its number (1–12, where
/// 11 is the sandbox, as it was when the sandbox was chapter 11).
/// The error names the parameter and what it accepts; the value is quoted (shortened) as
/// text only.
pub fn chapter_param(value: &str) -> Result<usize, String> {
    if let Some(idx) = chapter_index(value) {
        return Ok(idx);
    }
    if let Ok(n) = value.parse::<usize>() {
        if n == 11 {
            if let Some(idx) = chapter_index(NUMBER_11) {
                return Ok(idx);
            }
        }
        if (1..=CHAPTERS.len()).contains(&n) {
            return Ok(n - 1);
        }
    }
    Err(format!(
        "The link's chapter parameter {} is not a chapter: it must be a \
         number from 1 to {} or a chapter name such as \"{}\". Showing chapter 1 instead.",
        crate::view::format::quote(value),
        CHAPTERS.len(),
        CHAPTERS[6].slug
    ))
}

fn problem(field: &'static str, message: String) -> LinkError {
    LinkError { field, message }
}

fn unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}

/// The value with `%XX` escapes of unreserved characters undone (some mail clients
/// escape more than they must); any other character, or escape, is an error.
fn clean(name: &'static str, raw: &str) -> Result<String, LinkError> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        let escaped = rest.get(1..3).filter(|_| c == '%');
        let byte = escaped.and_then(|hex| u8::from_str_radix(hex, 16).ok());
        let (c, len) = byte.map_or((c, c.len_utf8()), |b| (char::from(b), 3));
        if !unreserved(c) {
            let message = format!(
                "The link's {name} parameter {} has characters a link value cannot have: \
                 only letters, digits and - . _ ~ are allowed.",
                quote(raw)
            );
            return Err(problem(name, message));
        }
        out.push(c);
        rest = &rest[len..];
    }
    Ok(out)
}

/// A whole decimal number that fits in a `u64`; nothing else (no sign, no spaces).
fn number(text: &str) -> Option<u64> {
    text.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| text.parse().ok())
        .flatten()
}

fn preset_slugs() -> String {
    PRESETS
        .iter()
        .map(|p| p.slug)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The names of the runs of `chapter` the page can load (none when the link names no
/// chapter): each setup's first run, as a chapter's second runs only ever play as side B.
/// Chapter runs that moved when a chapter was split, as (the chapter an older link names,
/// the run, the chapter that has it now): chapter 10's `Task.Run` and partial-async
/// comparisons went to chapter 11, "Async in name only".
const MOVED_RUNS: &[(&str, &str, &str)] = &[
    ("anti-patterns", "task-run", "async-in-name-only"),
    ("anti-patterns", "partial", "async-in-name-only"),
];

/// The chapter that now has run `run`, when a link names it as chapter `chapter`'s and it
/// has moved.
fn moved_run(chapter: usize, run: &str) -> Option<usize> {
    let from = CHAPTERS.get(chapter)?.slug;
    let (_, _, to) = MOVED_RUNS
        .iter()
        .find(|(f, r, _)| *f == from && *r == run)?;
    CHAPTERS.iter().position(|c| c.slug == *to)
}

fn runs_of(chapter: Option<usize>) -> Vec<&'static str> {
    let mut runs: Vec<&'static str> = chapter
        .and_then(|c| CHAPTERS.get(c))
        .map(|c| c.setups.iter().map(|s| s.a).collect())
        .unwrap_or_default();
    runs.dedup();
    runs
}

/// Minified JSON of `s` with every field equal to its default left out (the parser fills
/// defaults back in), which keeps links short; `version` always stays. Written by the
/// engine's one writer ([`sim::write`]).
pub(crate) fn scenario_json(s: &Scenario) -> String {
    s.to_json_as(sim::JsonForm::SHORT)
}

/// Reads `s`: base64url, then UTF-8, then the engine's own parser and validation.
fn scenario_param(text: &str) -> Result<Scenario, Vec<LinkError>> {
    let broken = |why: String| {
        vec![problem(
            "s",
            format!("The link's s parameter (the scenario) is broken: {why}."),
        )]
    };
    let bytes = base64url_decode(text).map_err(|bad| {
        broken(match bad {
            Some(c) => format!(
                "{} is not a base64url character (A–Z a–z 0–9 - _)",
                quote(&c.to_string())
            ),
            None => "it is cut off (its length cannot be base64url); the link may have been \
                     shortened when it was copied"
                .to_owned(),
        })
    })?;
    let json =
        String::from_utf8(bytes).map_err(|_| broken("it does not decode to text".to_owned()))?;
    sim::parse_scenario(&json).map_err(|list| {
        let not_a_scenario = |_: &str, message: &str| {
            format!("The link's s parameter (the scenario) is broken: {message}.")
        };
        field_problems(&list, "The link's scenario (s)", "s.", not_a_scenario)
            .into_iter()
            .map(|message| problem("s", message))
            .collect()
    })
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// RFC 4648 §5 base64url without padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(BASE64URL[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// The bytes of unpadded base64url text; `Err(Some(c))` names the first character outside
/// the alphabet, `Err(None)` means a length no encoding has (one character too many).
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, Option<char>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.chars() {
        let six = BASE64URL
            .iter()
            .position(|&b| char::from(b) == c)
            .ok_or(Some(c))?;
        acc = (acc << 6 | six as u32) & 0xff_ffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    if text.len() % 4 == 1 {
        return Err(None);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::{Burst, Dist, LoadKind, Resource, Step, Style, Wait};

    #[test]
    fn the_link_keys_are_the_decoders_parameters() {
        let mut read: Vec<&str> = Param::ALL.iter().map(|p| p.key()).collect();
        read.push("chapter");
        read.sort_unstable();
        let mut listed = LINK_KEYS.to_vec();
        listed.sort_unstable();
        assert_eq!(read, listed);
    }

    #[test]
    fn chapter_parameter_takes_slugs_and_numbers_and_names_the_range() {
        assert_eq!(chapter_param("starvation"), Ok(6));
        assert_eq!(chapter_param("1"), Ok(0));
        assert_eq!(chapter_param("10"), Ok(9));
        // 11 was the sandbox's number, and links to it still open it; so does 12.
        assert_eq!(chapter_param("11"), Ok(CHAPTERS.len() - 1));
        assert_eq!(chapter_param("12"), Ok(CHAPTERS.len() - 1));
        assert_eq!(chapter_param("async-in-name-only"), Ok(10));
        for bad in ["0", "13", "", "<b>x</b>", "-1"] {
            let err = chapter_param(bad).unwrap_err();
            assert!(err.contains("chapter parameter"), "{err}");
            assert!(err.contains("from 1 to 12"), "{err}");
        }
        let long = "x".repeat(5000);
        assert!(chapter_param(&long).unwrap_err().len() < 300);
    }

    use crate::test_support::{every_scenario, Rng};

    fn random_scenario(rng: &mut Rng) -> Scenario {
        let mut s = Scenario {
            seed: rng.next(),
            duration_ms: rng.range(1, 120_000),
            sample_window_ms: rng.range(1, 1_000),
            ..Scenario::default()
        };
        let m = &mut s.machine;
        m.cores = rng.range(1, 64) as u32;
        m.context_switch_us = rng.range(0, 100);
        m.time_slice_ms = rng.range(1, 100);
        m.stack_reserve_kb = rng.range(64, 4096);
        m.stack_commit_kb = rng.range(4, m.stack_reserve_kb);
        let p = &mut s.pool;
        p.max_threads = rng.range(1, 2_000) as u32;
        p.min_threads = if rng.coin() {
            Some(rng.range(1, p.max_threads.into()) as u32)
        } else {
            None
        };
        p.starvation_injection = rng.coin();
        p.cooperative_blocking = rng.coin();
        p.hill_climbing = rng.coin();
        p.synchronization_context = rng.coin();
        p.idle_timeout_ms = rng.range(1, 60_000);
        p.work_item_us = rng.range(0, 10);
        p.gate_jitter_ms = rng.range(0, 100);
        p.runtime =
            [sim::Runtime::Net6, sim::Runtime::Net8, sim::Runtime::Net10][rng.range(0, 2) as usize];
        p.queue_limit = if rng.coin() {
            Some(rng.range(0, 10_000) as u32)
        } else {
            None
        };
        let dists = [Dist::Fixed, Dist::Exponential, Dist::Lognormal];
        let l = &mut s.load;
        l.kind = rng.pick(&[LoadKind::Closed, LoadKind::Open]);
        l.users = rng.range(1, 5_000) as u32;
        l.think_ms = rng.milli(0, 10_000_000);
        l.think_dist = rng.pick(&dists);
        l.ramp_ms = rng.range(0, 5_000);
        l.retry_ms = rng.range(1, 1_000);
        l.rate_per_s = rng.milli(1, 10_000_000);
        l.timeout_ms = rng.range(1, 60_000);
        l.attempt_timeout_ms = if rng.coin() {
            Some(rng.range(1, 60_000))
        } else {
            None
        };
        l.attempts = rng.range(1, 10) as u32;
        for _ in 0..rng.range(0, 3) {
            l.bursts.push(Burst {
                start_ms: rng.range(0, 60_000),
                duration_ms: rng.range(1, 10_000),
                rate_per_s: rng.milli(0, 1_000_000),
            });
        }
        let e = &mut s.endpoint;
        e.style = rng.pick(&[
            Style::Blocking,
            Style::Async,
            Style::SyncOverAsync,
            Style::TaskRunWrap,
            Style::CpuBound,
        ]);
        e.wait = rng.pick(&[Wait::Result, Wait::SleepPoll]);
        e.poll_ms = rng.range(1, 100);
        e.server_items = rng.range(1, 4) as u32;
        e.steps.clear();
        for _ in 0..rng.range(1, 8) {
            let step = if rng.coin() {
                Step {
                    task_run: rng.coin(),
                    ..Step::cpu(rng.milli(0, 50_000))
                }
            } else {
                let resource = rng.pick(&[None, Some("db"), Some("cache")]);
                let mut step = Step::io(rng.milli(0, 1_000_000), rng.pick(&dists), resource);
                if step.dist == Dist::Lognormal && rng.coin() {
                    step.sigma = Some(rng.milli(0, 4_000));
                }
                if rng.coin() {
                    step.complete_sync = rng.milli(0, 1_000);
                }
                if rng.coin() {
                    step.completes_via = sim::CompletesVia::Timer;
                }
                step
            };
            e.steps.push(step);
        }
        for name in ["db", "cache", "spare"] {
            if name == "spare" && rng.coin() {
                continue;
            }
            let capacity = rng.range(1, 1_000) as u32;
            s.resources.insert(name.to_owned(), Resource { capacity });
        }
        let limits = &mut s.limits;
        limits.max_in_flight = rng.range(1, 1_000_000) as u32;
        limits.trace_events = rng.range(0, 100_000) as u32;
        limits.samples = rng.range(0, 100_000) as u32;
        limits.max_events = rng.range(1, 10_000_000_000);
        s
    }

    /// A random valid link state; `scenario` is used when the coin says so.
    fn random_state(rng: &mut Rng, scenario: Option<Scenario>) -> LinkState {
        let chapter = if rng.coin() {
            Some(rng.range(0, CHAPTERS.len() as u64 - 1) as usize)
        } else {
            None
        };
        let presets: Vec<&str> = PRESETS.iter().map(|p| p.slug).collect();
        let run_chapter = if rng.coin() {
            chapter.unwrap_or(0)
        } else {
            rng.range(0, CHAPTERS.len() as u64 - 1) as usize
        };
        let runs = runs_of(Some(run_chapter));
        let mut state = LinkState {
            chapter,
            preset: rng.coin().then(|| rng.pick(&presets).to_owned()),
            run: (!runs.is_empty() && rng.coin())
                .then(|| (run_chapter, rng.pick(&runs).to_owned())),
            seed: match rng.range(0, 3) {
                0 => None,
                1 => Some(u64::MAX),
                _ => Some(rng.next()),
            },
            compare: match rng.range(0, 3) {
                0 => None,
                1 => Some("off".to_owned()),
                _ => Some(rng.pick(PRESETS).slug.to_owned()),
            },
            scenario: scenario.filter(|_| rng.range(0, 4) > 0),
            time_us: None,
            events: rng.coin().then(|| rng.range(0, LINK_EVENTS_MAX)),
            follow: match rng.range(0, 3) {
                0 => None,
                1 => Some(None),
                _ => Some(Some(rng.next())),
            },
            knob: None,
        };
        if let Some((_, k)) = state.knob_of_run().filter(|_| rng.coin()) {
            let steps = u64::from((k.max - k.min) / k.step);
            state.knob = Some(k.min + k.step * rng.range(0, steps) as u32);
        }
        if rng.coin() {
            let end_us = state.base_scenario().duration_ms * 1000;
            state.time_us = Some(if rng.coin() {
                end_us
            } else {
                rng.range(0, end_us)
            });
        }
        state
    }

    fn round_trip(state: &LinkState) {
        let link = encode(state);
        assert!(link.starts_with("v=1"), "{link}");
        assert!(
            link.chars().all(|c| unreserved(c) || c == '=' || c == '&'),
            "{link}"
        );
        assert_eq!(decode(&link).as_ref(), Ok(state), "{link}");
        assert_eq!(decode(&format!("?{link}")).as_ref(), Ok(state));
    }

    #[test]
    fn base64url_matches_rfc4648_and_round_trips_every_byte() {
        let vectors = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, coded) in vectors {
            assert_eq!(base64url_encode(plain.as_bytes()), coded);
            assert_eq!(base64url_decode(coded), Ok(plain.as_bytes().to_vec()));
        }
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        let all: Vec<u8> = (0..=255).collect();
        for len in 0..all.len() {
            assert_eq!(
                base64url_decode(&base64url_encode(&all[len..])),
                Ok(all[len..].to_vec())
            );
        }
        assert_eq!(base64url_decode("Zm9v="), Err(Some('=')));
        assert_eq!(base64url_decode("Zm9vY"), Err(None));
    }

    #[test]
    fn encode_writes_the_documented_format() {
        let state = LinkState {
            chapter: Some(6),
            preset: None,
            run: Some((6, "result".to_owned())),
            seed: Some(7),
            compare: Some("async".to_owned()),
            time_us: Some(1_500_000),
            events: Some(5120),
            follow: Some(Some(3)),
            scenario: Some(Scenario::default()),
            knob: None,
        };
        let link = encode(&state);
        assert_eq!(
            link,
            "v=1&ch=starvation&r=result&seed=7&ab=async&t=1500000&e=5120&f=3&s=eyJ2ZXJzaW9uIjoxfQ"
        );
        // A knob's value goes after the run it sets.
        let knob = LinkState {
            chapter: Some(6),
            run: Some((6, "cooperative".to_owned())),
            knob: Some(200),
            seed: Some(7),
            ..LinkState::default()
        };
        assert_eq!(
            encode(&knob),
            "v=1&ch=starvation&r=cooperative&k=200&seed=7"
        );
        assert_eq!(decode(&encode(&knob)), Ok(knob));
        // Another chapter's run is qualified; "off" turns a chapter's own side B off.
        let sandbox = LinkState {
            chapter: Some(CHAPTERS.len() - 1),
            run: Some((6, "cooperative".to_owned())),
            compare: Some("off".to_owned()),
            ..LinkState::default()
        };
        assert_eq!(
            encode(&sandbox),
            "v=1&ch=sandbox&r=starvation.cooperative&ab=off"
        );
        assert_eq!(decode(&encode(&sandbox)), Ok(sandbox));
        // A preset and a chapter's run may share a name; the key says which is meant.
        assert_eq!(
            decode("ch=1&p=blocking").unwrap().base_scenario(),
            presets::scenario(&PRESETS[0])
        );
        assert_eq!(
            decode("ch=1&r=blocking").unwrap().base_scenario(),
            lesson_scenario(0, "blocking").unwrap()
        );
        let none = LinkState {
            follow: Some(None),
            ..LinkState::default()
        };
        assert_eq!(encode(&none), "v=1&f=none");
        assert_eq!(decode("f=none"), Ok(none));
        assert_eq!(decode(&link), Ok(state));
        assert_eq!(encode(&LinkState::default()), "v=1");
        assert_eq!(decode("v=1"), Ok(LinkState::default()));
        assert_eq!(decode(""), Ok(LinkState::default()));
        // Values the page cannot have made are left out rather than written broken.
        let odd = LinkState {
            chapter: Some(99),
            preset: Some("a b".to_owned()),
            ..LinkState::default()
        };
        assert_eq!(encode(&odd), "v=1");
    }

    #[test]
    fn only_changed_fields_travel_and_the_json_round_trips_through_the_engine() {
        let mut s = Scenario::default();
        s.load.users = 40;
        assert_eq!(scenario_json(&s), r#"{"version":1,"load":{"users":40}}"#);
        let runs: Vec<Scenario> = every_scenario().into_iter().map(|(_, s)| s).collect();
        for s in &runs {
            let full = serde_json::to_string(s).unwrap();
            assert_eq!(sim::parse_scenario(&full).as_ref(), Ok(s));
            assert_eq!(sim::parse_scenario(&scenario_json(s)).as_ref(), Ok(s));
            let link = encode(&LinkState {
                scenario: Some(s.clone()),
                ..LinkState::default()
            });
            assert!(link.len() < 1_000, "{} characters: {link}", link.len());
        }
    }

    #[test]
    fn random_states_and_scenarios_round_trip() {
        let mut rng = Rng(0x5eed_1ab5);
        let (mut tried, mut valid) = (0, 0);
        while valid < 2_000 {
            tried += 1;
            let s = random_scenario(&mut rng);
            if s.validate().is_err() {
                continue;
            }
            valid += 1;
            round_trip(&random_state(&mut rng, Some(s)));
        }
        assert!(
            tried < 4 * valid,
            "too few random scenarios are valid: {valid} of {tried}"
        );
    }

    #[test]
    fn presets_and_chapter_runs_mutated_round_trip() {
        let mut rng = Rng(42);
        let runs: Vec<Scenario> = every_scenario().into_iter().map(|(_, s)| s).collect();
        let mut valid = 0;
        for base in &runs {
            for _ in 0..50 {
                let mut s = base.clone();
                s.seed = rng.next();
                s.load.users = rng.range(1, 100_000) as u32;
                s.load.think_ms = rng.milli(0, 3_600_000_000);
                s.machine.cores = rng.range(1, 1024) as u32;
                s.endpoint.style = rng.pick(&[
                    Style::Blocking,
                    Style::Async,
                    Style::SyncOverAsync,
                    Style::TaskRunWrap,
                    Style::CpuBound,
                ]);
                s.duration_ms = rng.range(1, 86_400_000);
                if let Some(step) = s.endpoint.steps.iter_mut().find(|st| st.io_ms.is_some()) {
                    step.io_ms = Some(rng.milli(0, 3_600_000_000));
                }
                if s.validate().is_ok() {
                    round_trip(&random_state(&mut rng, Some(s)));
                    valid += 1;
                }
            }
        }
        // Some mutations are refused by the engine (more cores than max_threads, say).
        assert!(
            valid * 10 >= runs.len() * 50 * 8,
            "{valid} of {}",
            runs.len() * 50
        );
    }

    #[test]
    fn old_chapter_links_still_open() {
        let seventh = LinkState {
            chapter: Some(6),
            ..LinkState::default()
        };
        assert_eq!(decode("?chapter=7"), Ok(seventh.clone()));
        assert_eq!(decode("chapter=starvation"), Ok(seventh.clone()));
        assert_eq!(
            decode("chapter=starvation&embed=1&utm_source=mail"),
            Ok(seventh.clone())
        );
        assert_eq!(decode("ch=7"), Ok(seventh.clone()));
        assert_eq!(decode("v=1&ch=starvation"), Ok(seventh));
        assert_eq!(decode("chapter=1").map(|s| s.chapter), Ok(Some(0)));
        // Chapter 10 was split: its slug and its `.Result` runs stayed, its `Task.Run` and
        // partial-async runs went to chapter 11, and the sandbox, once chapter 11, is 12.
        let sandbox = CHAPTERS.len() - 1;
        assert_eq!(CHAPTERS[sandbox].slug, "sandbox");
        assert_eq!(decode("chapter=11").map(|s| s.chapter), Ok(Some(sandbox)));
        assert_eq!(decode("ch=12").map(|s| s.chapter), Ok(Some(sandbox)));
        assert_eq!(
            decode("chapter=anti-patterns").map(|s| s.chapter),
            Ok(Some(9))
        );
        assert_eq!(
            decode("ch=10&r=sync-context").map(|s| (s.chapter, s.run)),
            Ok((Some(9), Some((9, "sync-context".to_owned()))))
        );
        for old in [
            "ch=10&r=task-run",
            "chapter=anti-patterns&r=task-run",
            "v=1&ch=anti-patterns&r=task-run&seed=10",
        ] {
            let link = decode(old).unwrap_or_else(|e| panic!("{old}: {e:?}"));
            assert_eq!(link.chapter, Some(10), "{old}");
            assert_eq!(CHAPTERS[10].slug, "async-in-name-only");
            assert_eq!(link.run, Some((10, "task-run".to_owned())), "{old}");
            assert_eq!(
                link.base_scenario(),
                lesson_scenario(10, "task-run").unwrap()
            );
        }
        assert_eq!(
            decode("ch=anti-patterns&r=partial").map(|s| (s.chapter, s.run)),
            Ok((Some(10), Some((10, "partial".to_owned()))))
        );
        // Named with its old chapter from elsewhere: the run moves, the chapter stays.
        assert_eq!(
            decode("ch=sandbox&r=anti-patterns.task-run").map(|s| (s.chapter, s.run)),
            Ok((Some(sandbox), Some((10, "task-run".to_owned()))))
        );
        // A link made today names the new chapter and reads back the same.
        let today = decode("ch=async-in-name-only&r=partial").unwrap();
        assert_eq!(encode(&today), "v=1&ch=async-in-name-only&r=partial");
    }

    #[test]
    fn small_tolerances_of_links_in_the_wild() {
        // Escaped unreserved characters, empty pairs, a trailing '&', leading zeros.
        let state = decode("?&v=01&ch=%73tarvation&&seed=007&p=task%2Drun%2Dwrap&").unwrap();
        assert_eq!(state.chapter, Some(6));
        assert_eq!(state.seed, Some(7));
        assert_eq!(state.preset.as_deref(), Some("task-run-wrap"));
        // `p` names presets only; a chapter's run is `r`, of the link's chapter or qualified.
        assert!(decode("p=result").is_err());
        assert!(
            decode("r=result").is_err(),
            "chapter 1 has no run named result"
        );
        assert_eq!(
            decode("ch=7&r=result").unwrap().base_scenario(),
            lesson_scenario(6, "result").unwrap()
        );
        assert_eq!(
            decode("r=starvation.result").unwrap().run,
            Some((6, "result".to_owned()))
        );
        assert_eq!(
            decode("r=7.result").unwrap().run,
            Some((6, "result".to_owned()))
        );
        // Other parameters (tracking, embed options) do not count toward the length.
        let tracked = format!("ch=7&utm_campaign={}", "x".repeat(20_000));
        assert_eq!(decode(&tracked).unwrap().chapter, Some(6));
        assert_eq!(
            decode("ch=10&p=heavy-async").unwrap().base_scenario(),
            presets::scenario(&PRESETS[4])
        );
        // Chapter 1's run, where the page opens, bounds the time of a link that names no run.
        assert_eq!(decode("t=10000000").unwrap().time_us, Some(10_000_000));
        assert!(decode("t=10000001").is_err());
    }

    /// Decodes `query` leniently and compares every error with `expected` (field, message).
    fn check(query: &str, expected: &[(&str, &str)]) {
        let (_, errors) = decode_lenient(query);
        let got: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field, e.message.as_str()))
            .collect();
        assert_eq!(got, expected, "{query}");
    }

    #[test]
    fn each_error_kind_has_its_message() {
        check(
            &format!("p={}", "x".repeat(8191)),
            &[(
                "link",
                "The link is 8193 characters long; a link may have at most 8192.",
            )],
        );
        check("v=2&ch=7&seed=<b>", &[("v", "This link was made by a newer Await Lab (link version 2); this page reads links up to version 1. Reload the page to update it, or ask for a new link.")]);
        check(
            "v=abc",
            &[(
                "v",
                "The link's v parameter \"abc\" is not a link version: it must be 1.",
            )],
        );
        check(
            "v=0",
            &[(
                "v",
                "The link's v parameter \"0\" is not a link version: it must be 1.",
            )],
        );
        check(
            "seed=1&seed=2&seed=3",
            &[(
                "seed",
                "The link's seed parameter appears more than once; a link may give it once.",
            )],
        );
        check(
            "ch=2&chapter=2",
            &[(
                "ch",
                "The link gives its chapter (as ch and as chapter) more than once; a link may give it once.",
            )],
        );
        check("chapter=13", &[("chapter", "The link's chapter parameter \"13\" is not a chapter: it must be a number from 1 to 12 or a chapter name such as \"starvation\". Showing chapter 1 instead.")]);
        check("ch=0", &[("ch", "The link's ch parameter \"0\" is not a chapter: it must be a number from 1 to 12 or a chapter name such as \"starvation\". Showing chapter 1 instead.")]);
        check("ch=%3Cscript%3E", &[("ch", "The link's ch parameter \"%3Cscript%3E\" is not a chapter: it must be a number from 1 to 12 or a chapter name such as \"starvation\". Showing chapter 1 instead.")]);
        check("p=<script>alert(1)</script>", &[("p", "The link's p parameter \"<script>alert(1)</script>\" has characters a link value cannot have: only letters, digits and - . _ ~ are allowed.")]);
        check("seed=%zz", &[("seed", "The link's seed parameter \"%zz\" has characters a link value cannot have: only letters, digits and - . _ ~ are allowed.")]);
        check("p=nope", &[("p", "The link's p parameter \"nope\" is not a preset: it must be one of blocking, async, sync-over-async, task-run-wrap, heavy-async, heavy-blocking.")]);
        check("ch=7&r=nope", &[("r", "The link's r parameter \"nope\" is not a run of chapter 7 (they are result, cooperative, local-net6); another chapter's run is written chapter.run, as in starvation.result.")]);
        check("ch=7&r=sandbox.x", &[("r", "The link's r parameter \"sandbox.x\" is not a run of chapter 12 (it has none); another chapter's run is written chapter.run, as in starvation.result.")]);
        check("seed=18446744073709551616", &[("seed", "The link's seed parameter \"18446744073709551616\" is not a seed: it must be a whole number from 0 to 18446744073709551615.")]);
        check("seed=-1", &[("seed", "The link's seed parameter \"-1\" is not a seed: it must be a whole number from 0 to 18446744073709551615.")]);
        check("seed=1e9", &[("seed", "The link's seed parameter \"1e9\" is not a seed: it must be a whole number from 0 to 18446744073709551615.")]);
        check("ab=fast", &[("ab", "The link's ab parameter \"fast\" is not a preset to compare with: it must be one of blocking, async, sync-over-async, task-run-wrap, heavy-async, heavy-blocking, or off.")]);
        check("p=blocking&t=20000001", &[("t", "The link's t parameter \"20000001\" is not a time in the run: it must be a whole number of microseconds from 0 to 20000000 (the run's end).")]);
        check(&format!("t={}", "9".repeat(60)), &[("t", "The link's t parameter \"9999999999999999999999999999999999999999…\" is not a time in the run: it must be a whole number of microseconds from 0 to 10000000 (the run's end).")]);
        check("e=20000001", &[("e", "The link's e parameter \"20000001\" is not a step: it must be a whole number of events from 0 to 20000000.")]);
        check("ch=7&k=6", &[("k", "The link's k parameter \"6\" is not a value of chapter 7's knob (Minimum threads (SetMinThreads)): it must be a whole number from 4 to 256 in steps of 4.")]);
        check("ch=5&k=17", &[("k", "The link's k parameter \"17\" is not a value of chapter 5's knob (Threads in the pool): it must be a whole number from 4 to 16.")]);
        check("ch=8&k=-4", &[("k", "The link's k parameter \"-4\" is not a value of chapter 8's knob (Users): it must be a whole number from 4 to 400 in steps of 4.")]);
        check("ch=7&r=local-net6&k=8", &[("k", "The link's k parameter \"8\" sets a knob, but the run the link opens has none to set.")]);
        check("ch=7&p=blocking&k=8", &[("k", "The link's k parameter \"8\" sets a knob, but the run the link opens has none to set.")]);
        check("f=all", &[("f", "The link's f parameter \"all\" is not a request to follow: it must be a request number from 0 to 18446744073709551615, or none.")]);
        check("s=eyJ2ZXJzaW9uIjoxfQ.", &[("s", "The link's s parameter (the scenario) is broken: \".\" is not a base64url character (A–Z a–z 0–9 - _).")]);
        check("s=eyJ2ZXJzaW9uIjoxf", &[("s", "The link's s parameter (the scenario) is broken: it is cut off (its length cannot be base64url); the link may have been shortened when it was copied.")]);
        check(
            "s=_w",
            &[(
                "s",
                "The link's s parameter (the scenario) is broken: it does not decode to text.",
            )],
        );
        check("s=eyJ2ZXJzaW9uIjox", &[("s", "The link's s parameter (the scenario) is broken: not valid JSON: EOF while parsing an object at line 1 column 12.")]);
        let users0 = base64url_encode(br#"{"version":1,"load":{"users":0},"machine":{"corse":4}}"#);
        check(&format!("s={users0}"), &[
            ("s", "The link's scenario (s) has a bad field: s.machine.corse: unknown field (did you mean \"cores\"?)."),
            ("s", "The link's scenario (s) has a bad field: s.load.users = \"0\": must be between 1 and 100000."),
        ]);
        let many: String = (0..30).map(|i| format!(",\"x{i}\":1")).collect();
        let many = base64url_encode(format!("{{\"version\":1{many}}}").as_bytes());
        let (_, errors) = decode_lenient(&format!("s={many}"));
        assert_eq!(errors.len(), crate::view::format::FIELD_ERRORS_MAX + 1);
        assert_eq!(
            errors[crate::view::format::FIELD_ERRORS_MAX].message,
            "The link's scenario (s) has 20 more bad fields."
        );
    }

    #[test]
    fn lenient_decoding_keeps_every_valid_part() {
        let (state, errors) =
            decode_lenient("v=1&ch=starvation&p=nope&seed=12&ab=<i>&t=1000&s=%%%");
        assert_eq!(
            errors.iter().map(|e| e.field).collect::<Vec<_>>(),
            ["p", "ab", "s"]
        );
        assert_eq!(
            state,
            LinkState {
                chapter: Some(6),
                seed: Some(12),
                time_us: Some(1000),
                ..LinkState::default()
            }
        );
        assert!(decode("v=1&ch=starvation&p=nope").is_err());
        // A newer version keeps only the chapter, whose slugs never change.
        let (state, errors) = decode_lenient("v=99999999999999999999999&ch=starvation&seed=1");
        assert_eq!(
            state,
            LinkState {
                chapter: Some(6),
                ..LinkState::default()
            }
        );
        assert_eq!(errors.len(), 1);
        // The time is checked against the run that is really used: the valid parts.
        let (state, errors) = decode_lenient("p=blocking&t=20000000&s=AAAA");
        assert_eq!((state.time_us, errors.len()), (Some(20_000_000), 1));
    }

    #[test]
    fn embed_options_round_trip_and_name_what_is_wrong() {
        assert_eq!(decode_embed("chapter=7"), (None, vec![]));
        assert_eq!(decode_embed("embed=0&panels=code"), (None, vec![]));
        assert_eq!(
            decode_embed("?ch=7&embed=1"),
            (Some(Embed::default()), vec![])
        );
        let all = Embed {
            panels: 0b11111,
            autoplay: true,
            controls: EmbedControls::None,
            theme: Theme::Dark,
        };
        assert_eq!(
            all.encode(),
            "embed=1&panels=stage-figures-code-log-charts&autoplay=1&controls=none&theme=dark"
        );
        let themes = [Theme::System, Theme::Light, Theme::Dark];
        for panels in 1..32u8 {
            for controls in [EmbedControls::Full, EmbedControls::Min, EmbedControls::None] {
                let e = Embed {
                    panels,
                    autoplay: panels % 2 == 0,
                    controls,
                    theme: themes[usize::from(panels) % 3],
                };
                assert_eq!(decode_embed(&e.encode()), (Some(e), vec![]));
            }
        }
        assert!(Embed::default().shows("stage") && !Embed::default().shows("code"));
        let (embed, errors) =
            decode_embed("embed=1&panels=stage-<b>&autoplay=yes&controls=all&theme=blue");
        assert_eq!(embed, Some(Embed::default()));
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["panels", "autoplay", "controls", "theme"]);
        assert_eq!(
            errors[3].message,
            "The link's theme parameter \"blue\" must be system (the reader's setting), light \
             or dark."
        );
        assert_eq!(
            decode_embed("embed=1&panels=stage-dance").1[0].message,
            "The link's panels parameter \"stage-dance\" is not a list of panels: it must be \
             one or more of stage, figures, code, log, charts, joined by -."
        );
        assert_eq!(
            decode_embed("embed=yes").1[0].message,
            "The link's embed parameter \"yes\" must be 1 (on) or 0 (off)."
        );
        assert_eq!(decode_embed("embed=yes").0, None);
    }

    #[test]
    fn merging_keeps_other_parameters_as_written() {
        assert_eq!(
            merge_query(
                "v=1&ch=starvation",
                "?chapter=2&utm=a%20b&embed=1&t=5",
                &LINK_KEYS
            ),
            "v=1&ch=starvation&utm=a%20b&embed=1"
        );
        assert_eq!(
            merge_query("v=1", "v=1&embed=1&panels=code&x", &EMBED_KEYS),
            "v=1&v=1&x"
        );
        assert_eq!(merge_query("", "embed=1&ch=2", &EMBED_KEYS), "ch=2");
    }

    /// Every input, however broken, decodes without a panic; every error names a known
    /// parameter, stays short, and whatever was kept is itself a valid link.
    fn fuzz_one(query: &str) {
        let (_, embed_errors) = decode_embed(query);
        for e in &embed_errors {
            assert!(e.message.contains(e.field) && e.message.chars().count() <= 400);
        }
        let (state, errors) = decode_lenient(query);
        for e in &errors {
            assert!(
                ["link", "v", "ch", "chapter", "p", "r", "k", "seed", "ab", "t", "s", "e", "f"]
                    .contains(&e.field),
                "{e:?}"
            );
            assert!(e.message.contains(e.field), "{e:?}");
            assert!(e.message.chars().count() <= 400, "{e:?}");
            assert!(!e.message.chars().any(char::is_control), "{e:?}");
        }
        assert_eq!(decode(&encode(&state)), Ok(state), "{query:?}");
    }

    #[test]
    fn no_input_panics_the_decoder() {
        let mut rng = Rng(0xf022);
        let mut links: Vec<String> = Vec::new();
        while links.len() < 60 {
            let s = random_scenario(&mut rng);
            if s.validate().is_ok() {
                let mut state = random_state(&mut rng, Some(s.clone()));
                state.scenario = Some(s);
                links.push(encode(&state));
            }
        }
        let keys = [
            "v", "ch", "chapter", "p", "seed", "ab", "t", "s", "k", "embed", "", "S", "v ",
        ];
        let values = [
            "1",
            "2",
            "0",
            "7",
            "starvation",
            "blocking",
            "async",
            "result",
            "",
            "-1",
            "+1",
            "1.5",
            "1e3",
            "99999999999999999999999999",
            "18446744073709551615",
            "18446744073709551616",
            "%",
            "%2",
            "%zz",
            "%41",
            "%2541",
            "%C3%A9",
            "%00",
            "%3Cscript%3E",
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "javascript:alert(1)",
            "ééé",
            "\u{0}\u{1b}[2J",
            "a=b=c",
            "eyJ2ZXJzaW9uIjoxfQ",
            "eyJ2ZXJzaW9uIjox",
            "____",
            "AAAA",
            "e30",
            "bnVsbA",
            "W10",
        ];
        let mut count = 0;
        let mut feed = |query: &str| {
            fuzz_one(query);
            count += 1;
        };
        for link in &links {
            // Every truncation of a valid link.
            for cut in (0..link.len()).step_by(5) {
                feed(&link[..cut]);
            }
        }
        for round in 0..3_000u64 {
            let link = &links[round as usize % links.len()];
            // Random bytes, read as text.
            let bytes: Vec<u8> = (0..rng.range(0, 120)).map(|_| rng.next() as u8).collect();
            feed(&String::from_utf8_lossy(&bytes));
            // Random pairs of known and unknown keys and hostile values.
            let pairs: Vec<String> = (0..rng.range(1, 6))
                .map(|_| format!("{}={}", rng.pick(&keys), rng.pick(&values)))
                .collect();
            feed(&pairs.join("&"));
            // One character of the scenario's base64 changed, or a bit of its JSON flipped.
            let (head, s) = link.split_once("&s=").unwrap();
            let mut chars: Vec<char> = s.chars().collect();
            let at = rng.range(0, chars.len() as u64 - 1) as usize;
            chars[at] = char::from(rng.pick(BASE64URL));
            feed(&format!("{head}&s={}", chars.iter().collect::<String>()));
            let mut json = base64url_decode(s).unwrap();
            let at = rng.range(0, json.len() as u64 - 1) as usize;
            json[at] ^= 1 << rng.range(0, 7);
            feed(&format!("{head}&s={}", base64url_encode(&json)));
            // One byte dropped or a hostile fragment inserted anywhere.
            let mut broken = link.clone();
            let at = rng.range(0, broken.len() as u64 - 1) as usize;
            if rng.coin() {
                broken.remove(at);
            } else {
                broken.insert_str(at, rng.pick(&values));
            }
            feed(&broken);
            if round % 200 == 0 {
                feed(&format!("{link}&{}", "x".repeat(LINK_CHARS_MAX)));
                feed(&"%".repeat(LINK_CHARS_MAX + round as usize));
                feed(&format!("s={}", "A".repeat(LINK_CHARS_MAX - 2)));
            }
        }
        assert!(count >= 20_000, "only {count} inputs");
        eprintln!("{count} inputs decoded");
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod props;
