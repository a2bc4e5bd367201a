//! Reading a link: [`decode`] and [`decode_lenient`], which take any string without
//! panicking, read each parameter once and name every problem; and [`chapter_param`],
//! the chapter a link's `ch` names.

use sim::Scenario;

use super::base64url::base64url_decode;
use super::encode::LINK_KEYS;
use super::link_state::{
    problem, unreserved, LinkError, LinkState, LINK_CHARS_MAX, LINK_EVENTS_MAX, LINK_VERSION,
};
use crate::curriculum::content::{chapter_index, CHAPTERS};
use crate::curriculum::presets::PRESETS;
use crate::view::format::{field_problems, quote, shorten, QUOTE_CHARS_MAX};

/// Reads a query (with or without its `?`): the state, or every problem found.
pub fn decode(query: &str) -> Result<LinkState, Vec<LinkError>> {
    match decode_lenient(query) {
        (state, errors) if errors.is_empty() => Ok(state),
        (_, errors) => Err(errors),
    }
}

/// A link's parameters, each read once; `ch` and `chapter` are one parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Param {
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
    pub(super) const ALL: [Param; 11] = [
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
    pub(super) fn key(self) -> &'static str {
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

/// A query's parameters of ours, each as written (`ch` or `chapter`) the first time it is
/// given; one given more than once is reported, and then read as not given at all.
struct Given<'q> {
    first: [Option<(&'static str, &'q str)>; Param::ALL.len()],
    repeated: [bool; Param::ALL.len()],
}

impl<'q> Given<'q> {
    fn read(query: &'q str, errors: &mut Vec<LinkError>) -> Given<'q> {
        let mut given = Given {
            first: [None; Param::ALL.len()],
            repeated: [false; Param::ALL.len()],
        };
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let Some(param) = Param::of_key(key) else {
                continue;
            };
            let i = param as usize;
            let name = if key == "chapter" {
                "chapter"
            } else {
                param.key()
            };
            match given.first[i] {
                Some((first, _)) if !given.repeated[i] => {
                    given.repeated[i] = true;
                    let what = if first == name {
                        format!("The link's {name} parameter appears")
                    } else {
                        "The link gives its chapter (as ch and as chapter)".to_owned()
                    };
                    let message = format!("{what} more than once; a link may give it once.");
                    errors.push(problem(first, message));
                }
                Some(_) => {}
                None => given.first[i] = Some((name, value)),
            }
        }
        given
    }

    /// The parameter as written, with the name it was given by, unless it was repeated.
    fn raw(&self, param: Param) -> Option<(&'static str, &'q str)> {
        let i = param as usize;
        self.first[i].filter(|_| !self.repeated[i])
    }

    /// The parameter's value with its escapes undone; a value with characters a link
    /// cannot carry is reported and read as not given.
    fn value(&self, param: Param, errors: &mut Vec<LinkError>) -> Option<(&'static str, String)> {
        let (name, raw) = self.raw(param)?;
        clean(name, raw)
            .map_err(|e| errors.push(e))
            .ok()
            .map(|v| (name, v))
    }

    /// Reads `param` into `state` with `read` (see [`apply`]).
    fn read_into(
        &self,
        param: Param,
        read: Reader,
        state: &mut LinkState,
        errors: &mut Vec<LinkError>,
    ) {
        apply(self.value(param, errors), read, state, errors);
    }
}

/// What reads one parameter's value into the state, or says why it cannot.
type Reader = fn(&mut LinkState, String) -> Result<(), String>;

/// Reads a parameter's value, if the link gives one, with `read`; a value refused is
/// reported under the name the link gave the parameter.
fn apply(
    value: Option<(&'static str, String)>,
    read: Reader,
    state: &mut LinkState,
    errors: &mut Vec<LinkError>,
) {
    if let Some((name, v)) = value {
        if let Err(message) = read(state, v) {
            errors.push(problem(name, message));
        }
    }
}
/// Reads a query, keeping every part that is valid and listing every problem: what the
/// page uses when it must open *something*. Never panics.
pub fn decode_lenient(query: &str) -> (LinkState, Vec<LinkError>) {
    let mut state = LinkState::default();
    let query = query.strip_prefix('?').unwrap_or(query);
    if let Err(long) = check_length(query) {
        return (state, vec![long]);
    }
    let mut errors = Vec::new();
    let given = Given::read(query, &mut errors);
    if let Some((name, v)) = given.value(Param::Version, &mut errors) {
        if let Err(message) = check_version(&v) {
            errors.push(problem(name, message));
        } else if v.trim_start_matches('0') != "1" {
            // A newer link's parameters may mean something else: keep only the chapter,
            // whose slugs never change, and report nothing but the version.
            let message = format!(
                "This link was made by a newer Await Lab (link version {}); this page \
                 reads links up to version {LINK_VERSION}. Reload the page to update it, \
                 or ask for a new link.",
                shorten(&v, QUOTE_CHARS_MAX)
            );
            let (_, raw) = given.first[Param::Chapter as usize].unwrap_or(("ch", ""));
            state.chapter =
                given.first[Param::Chapter as usize].and_then(|_| chapter_param(raw).ok());
            return (state, vec![problem(name, message)]);
        }
    }
    // A chapter value with odd characters is still answered with what a chapter can be,
    // since that is what the reader needs to fix the link.
    let chapter = given
        .raw(Param::Chapter)
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
    let (s, e) = (&mut state, &mut errors);
    given.read_into(Param::Preset, read_preset, s, e);
    given.read_into(Param::Run, read_run, s, e);
    given.read_into(Param::Seed, read_seed, s, e);
    given.read_into(Param::Ab, read_ab, s, e);
    // The time's characters are checked here, in the parameters' order; its value last.
    let time = given.value(Param::Time, e);
    given.read_into(Param::Step, read_step, s, e);
    given.read_into(Param::Follow, read_follow, s, e);
    if let Some((_, v)) = given.value(Param::Scenario, e) {
        match scenario_param(&v) {
            Ok(scenario) => s.scenario = Some(scenario),
            Err(mut list) => e.append(&mut list),
        }
    }
    // The knob is checked against the run the link loads: `r`'s, else the chapter's first.
    given.read_into(Param::Knob, read_knob, s, e);
    // The time is checked against the run the caller will actually use: the valid parts.
    apply(time, read_time, s, e);
    (state, errors)
}

/// Refuses a query longer than a link may be, counting only the page's own parameters:
/// others (tracking, embed options) are not read.
fn check_length(query: &str) -> Result<(), LinkError> {
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
        return Err(problem("link", message));
    }
    Ok(())
}

/// Refuses a `v` that is not a link version at all; a version, even a newer one, passes.
fn check_version(v: &str) -> Result<(), String> {
    if v.bytes().all(|b| b.is_ascii_digit()) && !v.trim_start_matches('0').is_empty() {
        return Ok(());
    }
    Err(format!(
        "The link's v parameter {} is not a link version: it must be {LINK_VERSION}.",
        quote(v)
    ))
}

fn read_preset(state: &mut LinkState, v: String) -> Result<(), String> {
    if !PRESETS.iter().any(|p| p.slug == v) {
        return Err(format!(
            "The link's p parameter {} is not a preset: it must be one of {}.",
            quote(&v),
            preset_slugs()
        ));
    }
    state.preset = Some(v);
    Ok(())
}

fn read_run(state: &mut LinkState, v: String) -> Result<(), String> {
    // `name` alone is a run of the link's chapter (chapter 1 when it names none, as the
    // page opens there); `chapter.name` is a run of that chapter.
    let (mut chapter, run) = match v.split_once('.') {
        Some((c, r)) => (chapter_param(c).ok(), r),
        None => (Some(state.chapter.unwrap_or(0)), v.as_str()),
    };
    // A run that has moved to another chapter opens there; a link that names it with its
    // old chapter alone opens the new chapter.
    if let Some(to) = chapter.and_then(|c| moved_run(c, run)) {
        if !v.contains('.') {
            state.chapter = Some(to);
        }
        chapter = Some(to);
    }
    match chapter {
        Some(c) if runs_of(Some(c)).contains(&run) => {
            state.run = Some((c, run.to_owned()));
            Ok(())
        }
        _ => {
            let c = chapter.unwrap_or(state.chapter.unwrap_or(0));
            let runs = runs_of(Some(c));
            let listed = if runs.is_empty() {
                "it has none".to_owned()
            } else {
                format!("they are {}", runs.join(", "))
            };
            Err(format!(
                "The link's r parameter {} is not a run of chapter {} ({listed}); another \
                 chapter's run is written chapter.run, as in starvation.result.",
                quote(&v),
                c + 1
            ))
        }
    }
}

fn read_seed(state: &mut LinkState, v: String) -> Result<(), String> {
    let seed = number(&v).ok_or_else(|| {
        format!(
            "The link's seed parameter {} is not a seed: it must be a whole number from 0 \
             to {}.",
            quote(&v),
            u64::MAX
        )
    })?;
    state.seed = Some(seed);
    Ok(())
}

fn read_ab(state: &mut LinkState, v: String) -> Result<(), String> {
    if v != "off" && !PRESETS.iter().any(|p| p.slug == v) {
        return Err(format!(
            "The link's ab parameter {} is not a preset to compare with: it must be one of \
             {}, or off.",
            quote(&v),
            preset_slugs()
        ));
    }
    state.compare = Some(v);
    Ok(())
}

fn read_step(state: &mut LinkState, v: String) -> Result<(), String> {
    let events = number(&v)
        .filter(|e| *e <= LINK_EVENTS_MAX)
        .ok_or_else(|| {
            format!(
                "The link's e parameter {} is not a step: it must be a whole number of events \
             from 0 to {LINK_EVENTS_MAX}.",
                quote(&v)
            )
        })?;
    state.events = Some(events);
    Ok(())
}

fn read_follow(state: &mut LinkState, v: String) -> Result<(), String> {
    match number(&v) {
        Some(r) => state.follow = Some(Some(r)),
        None if v == "none" => state.follow = Some(None),
        None => {
            return Err(format!(
                "The link's f parameter {} is not a request to follow: it must be a request \
                 number from 0 to {}, or none.",
                quote(&v),
                u64::MAX
            ))
        }
    }
    Ok(())
}

fn read_knob(state: &mut LinkState, v: String) -> Result<(), String> {
    let knob = state.knob_of_run();
    let value = number(&v).and_then(|n| u32::try_from(n).ok());
    match (knob, value) {
        (Some((_, k)), Some(n)) if k.allows(n) => {
            state.knob = Some(n);
            Ok(())
        }
        (Some((c, k)), _) => Err(format!(
            "The link's k parameter {} is not a value of chapter {}'s knob ({}): it must be \
             {}.",
            quote(&v),
            c + 1,
            k.label,
            k.range()
        )),
        (None, _) => Err(format!(
            "The link's k parameter {} sets a knob, but the run the link opens has none to \
             set.",
            quote(&v)
        )),
    }
}

fn read_time(state: &mut LinkState, v: String) -> Result<(), String> {
    let end_us = state.base_scenario().duration_ms.saturating_mul(1000);
    let time_us = number(&v).filter(|t| *t <= end_us).ok_or_else(|| {
        format!(
            "The link's t parameter {} is not a time in the run: it must be a whole number \
             of microseconds from 0 to {end_us} (the run's end).",
            quote(&v)
        )
    })?;
    state.time_us = Some(time_us);
    Ok(())
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

/// The value with `%XX` escapes of unreserved characters undone (some mail clients
/// escape more than they must); any other character, or escape, is an error.
pub(super) fn clean(name: &'static str, raw: &str) -> Result<String, LinkError> {
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

/// The presets' slugs, for a message that lists what a parameter may be.
fn preset_slugs() -> String {
    PRESETS
        .iter()
        .map(|p| p.slug)
        .collect::<Vec<_>>()
        .join(", ")
}

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

/// The names of the runs of `chapter` the page can load (none when the link names no
/// chapter): each setup's first run, as a chapter's second runs only ever play as side B.
pub(super) fn runs_of(chapter: Option<usize>) -> Vec<&'static str> {
    let mut runs: Vec<&'static str> = chapter
        .and_then(|c| CHAPTERS.get(c))
        .map(|c| c.setups.iter().map(|s| s.a).collect())
        .unwrap_or_default();
    runs.dedup();
    runs
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
