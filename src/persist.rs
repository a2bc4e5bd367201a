//! What the page keeps outside itself: the chapter in the address (a deep link per
//! chapter) and the reader's progress in localStorage. The parsing is pure and tested
//! natively; the browser calls are thin and fail quietly (a private window may refuse
//! storage, and the page must work without it).

use crate::content::CHAPTERS;

/// The localStorage key; the value is `1:<visited>:<answered>:<last chapter>`.
pub const PROGRESS_KEY: &str = "await-lab:progress";
/// The localStorage key of the reader's own scenario (its JSON), so that no link and no
/// reload can lose it.
pub const OWN_KEY: &str = "await-lab:own";

/// Reads a stored progress value: (visited, answered, last chapter). Anything malformed,
/// from another version, or out of range is ignored as a whole.
pub fn parse_progress(text: &str) -> Option<(u32, u32, usize)> {
    let mut parts = text.split(':');
    if parts.next()? != "1" {
        return None;
    }
    let all = (1u32 << CHAPTERS.len()) - 1;
    let visited: u32 = parts.next()?.parse().ok()?;
    let answered: u32 = parts.next()?.parse().ok()?;
    let last: usize = parts.next()?.parse().ok()?;
    if parts.next().is_some() || visited & !all != 0 || answered & !all != 0 {
        return None;
    }
    (last < CHAPTERS.len()).then_some((visited, answered, last))
}

pub fn format_progress(visited: u32, answered: u32, last: usize) -> String {
    format!("1:{visited}:{answered}:{last}")
}

/// Reads the `chapter` parameter of a link: a chapter's slug or its number (1–11).
/// The error names the parameter and what it accepts; the value is quoted (shortened) as
/// text only.
pub fn chapter_param(value: &str) -> Result<usize, String> {
    if let Some(idx) = CHAPTERS.iter().position(|c| c.slug == value) {
        return Ok(idx);
    }
    if let Ok(n) = value.parse::<usize>() {
        if (1..=CHAPTERS.len()).contains(&n) {
            return Ok(n - 1);
        }
    }
    Err(format!(
        "The link's chapter parameter {} is not a chapter: it must be a \
         number from 1 to {} or a chapter name such as \"{}\". Showing chapter 1 instead.",
        crate::format::quote(value),
        CHAPTERS.len(),
        CHAPTERS[6].slug
    ))
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::*;

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    /// The query of the page's address, with its `?` (empty when there is none).
    pub fn address_query() -> String {
        web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default()
    }

    /// Puts the link `query` (from `share::encode`) in the address without a reload or a
    /// new history entry, keeping every parameter that is not the page's and the fragment.
    pub fn show_link_in_address(query: &str) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let location = window.location();
        let (Ok(search), Ok(hash)) = (location.search(), location.hash()) else {
            return;
        };
        let url = format!(
            "?{}{hash}",
            crate::share::merge_query(query, &search, &crate::share::LINK_KEYS)
        );
        if url != format!("{search}{hash}") {
            if let Ok(history) = window.history() {
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
        }
    }

    /// The scenario the reader last applied, as saved by [`save_own`]; anything that no
    /// longer parses is ignored.
    pub fn load_own() -> Option<sim::Scenario> {
        sim::parse_scenario(&storage()?.get_item(OWN_KEY).ok()??).ok()
    }

    pub fn save_own(scenario: &sim::Scenario) {
        if let Some(storage) = storage() {
            let json = crate::scenario_draft::Draft::from_scenario(scenario).to_json();
            let _ = storage.set_item(OWN_KEY, &json);
        }
    }

    pub fn load_progress() -> Option<(u32, u32, usize)> {
        parse_progress(&storage()?.get_item(PROGRESS_KEY).ok()??)
    }

    pub fn save_progress(visited: u32, answered: u32, last: usize) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(PROGRESS_KEY, &format_progress(visited, answered, last));
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips_and_rejects_anything_odd() {
        let text = format_progress(0b101, 0b1, 2);
        assert_eq!(parse_progress(&text), Some((0b101, 0b1, 2)));
        for bad in [
            "",
            "1",
            "2:1:1:0",
            "1:x:0:0",
            "1:1:1:11",
            "1:1:1:0:9",
            "1:4096:0:0",
            "1:-1:0:0",
        ] {
            assert_eq!(parse_progress(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn chapter_parameter_takes_slugs_and_numbers_and_names_the_range() {
        assert_eq!(chapter_param("starvation"), Ok(6));
        assert_eq!(chapter_param("1"), Ok(0));
        assert_eq!(chapter_param("11"), Ok(10));
        for bad in ["0", "12", "", "<b>x</b>", "-1"] {
            let err = chapter_param(bad).unwrap_err();
            assert!(err.contains("chapter parameter"), "{err}");
            assert!(err.contains("from 1 to 11"), "{err}");
        }
        let long = "x".repeat(5000);
        assert!(chapter_param(&long).unwrap_err().len() < 300);
    }
}
