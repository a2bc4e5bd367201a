//! The embedded view's options in a link (`embed=1&panels=…&autoplay=…&controls=…&theme=…`):
//! [`Embed`], written by [`Embed::encode`] and read by [`decode_embed`].

use super::decode::clean;
use super::link_state::{problem, LinkError};
use crate::state::theme::Theme;
use crate::view::format::quote;

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

    /// Its parameters, to append to a link made by `encode`; defaults are left out.
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

/// Parameters that only shape an embedded view.
pub const EMBED_KEYS: [&str; 5] = ["embed", "panels", "autoplay", "controls", "theme"];
