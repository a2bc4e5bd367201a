//! Writing a link: [`encode`] a state, the scenario's short JSON, and [`merge_query`],
//! which puts the link among the parameters of a page that are not ours.

use sim::Scenario;

use super::base64url::base64url_encode;
use super::link_state::{unreserved, LinkState, LINK_VERSION};
use crate::curriculum::content::CHAPTERS;

/// The query string for `state`, without `?`, starting with `v=1`. Values the page cannot
/// have made (a chapter out of range, a slug with characters outside `A–Z a–z 0–9 - . _ ~`)
/// are left out rather than written broken. A scenario with very many steps, resources or
/// bursts can make the link longer than `LINK_CHARS_MAX`, which `decode` refuses: the
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

/// Every parameter [`encode`] and `decode` own; the rest of a query belongs to others.
pub const LINK_KEYS: [&str; 12] = [
    "v", "ch", "chapter", "p", "r", "k", "seed", "ab", "t", "e", "f", "s",
];

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

/// Minified JSON of `s` with every field equal to its default left out (the parser fills
/// defaults back in), which keeps links short; `version` always stays. Written by the
/// engine's one writer ([`sim::write`]).
pub(super) fn scenario_json(s: &Scenario) -> String {
    s.to_json_as(sim::JsonForm::SHORT)
}
