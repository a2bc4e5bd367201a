//! What the page keeps outside itself: the chapter in the address (a deep link per
//! chapter) and the reader's progress in localStorage. The parsing is pure and tested
//! natively; the browser calls are thin and fail quietly (a private window may refuse
//! storage, and the page must work without it).

use crate::curriculum::content::{chapter_index, CHAPTERS};

/// The localStorage key; the value is
/// `2:<visited>:<answered>:<last chapter>:<right first time>:<not right first time>:<solved>`,
/// each but the last chapter a bit set: over the chapters of [`CHAPTERS`], or over the
/// sandbox's challenges for `solved`. A value without `solved` reads with none solved.
/// Version 1 values (bits over the eleven chapters of [`V1_CHAPTERS`], with four or six
/// fields) are read and moved to today's chapters by slug.
pub const PROGRESS_KEY: &str = "await-lab:progress";
/// The localStorage key of the reader's own scenario (its JSON), so that no link and no
/// reload can lose it.
pub const OWN_KEY: &str = "await-lab:own";

/// The reader's progress, one bit per chapter in each set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Chapters opened.
    pub visited: u32,
    /// Chapters whose question the reader has answered.
    pub answered: u32,
    /// Questions whose first answer was the simulation's.
    pub right_first: u32,
    /// Questions whose first answer was not. A question in `answered` and in neither of
    /// these was answered before first answers were recorded.
    pub wrong_first: u32,
    /// The sandbox's challenges the reader has passed (`challenges::CHALLENGES`).
    pub solved: u32,
}

impl Progress {
    /// Whether chapter `idx`'s first answer is already recorded, or cannot be any more
    /// (the question was answered before first answers were kept).
    pub fn first_answer_taken(&self, idx: usize) -> bool {
        (self.answered | self.right_first | self.wrong_first) & (1 << idx) != 0
    }

    /// Records an answer to chapter `idx`'s question: only the first one counts.
    pub fn record_answer(&mut self, idx: usize, right: bool) {
        if !self.first_answer_taken(idx) {
            match right {
                true => self.right_first |= 1 << idx,
                false => self.wrong_first |= 1 << idx,
            }
        }
        self.answered |= 1 << idx;
    }

    /// `self` with what `stored` holds added: sets are joined, and a first answer
    /// recorded in `stored` wins over one recorded here.
    pub fn merged(self, stored: Progress) -> Progress {
        let stored_first = stored.right_first | stored.wrong_first;
        Progress {
            visited: self.visited | stored.visited,
            answered: self.answered | stored.answered,
            right_first: stored.right_first | (self.right_first & !stored_first),
            wrong_first: stored.wrong_first | (self.wrong_first & !stored_first),
            solved: self.solved | stored.solved,
        }
    }
}

/// The chapters of version 1 of the progress value, in their order then: chapter 10 was
/// one chapter of anti-patterns, and the sandbox was chapter 11. Its bits move to the
/// chapter of the same slug today. Chapter 10 kept its slug and its question, so a first
/// answer stored for it is still its own.
pub const V1_CHAPTERS: [&str; 11] = [
    "blocked-is-not-busy",
    "async-is-not-threads",
    "task-is-a-receipt",
    "await-is-syntax",
    "one-request-one-thread",
    "eight-hundred-requests",
    "starvation",
    "blocking-io-is-the-killer",
    "where-performance-comes-from",
    "anti-patterns",
    "sandbox",
];

/// A version 1 bit set over [`V1_CHAPTERS`], as a bit set over today's chapters; a chapter
/// that no longer exists drops out.
fn from_v1(set: u32) -> u32 {
    V1_CHAPTERS
        .iter()
        .enumerate()
        .filter(|(i, _)| set & (1 << i) != 0)
        .filter_map(|(_, slug)| chapter_index(slug))
        .fold(0, |out, idx| out | (1 << idx))
}

/// Reads a stored progress value: the progress and the last chapter. Anything malformed,
/// from an unknown version, or out of range is ignored as a whole; a value without the
/// first-answer fields (stored by an earlier page) reads with none recorded, and one
/// without `solved` with no challenge solved.
pub fn parse_progress(text: &str) -> Option<(Progress, usize)> {
    let mut parts = text.split(':');
    let v1 = match parts.next()? {
        "1" => true,
        "2" => false,
        _ => return None,
    };
    let chapters = if v1 {
        V1_CHAPTERS.len()
    } else {
        CHAPTERS.len()
    };
    let all = (1u32 << chapters) - 1;
    let visited: u32 = parts.next()?.parse().ok()?;
    let answered: u32 = parts.next()?.parse().ok()?;
    let last: usize = parts.next()?.parse().ok()?;
    let (right_first, wrong_first): (u32, u32) = match (parts.next(), parts.next()) {
        (None, _) => (0, 0),
        (Some(right), Some(wrong)) => (right.parse().ok()?, wrong.parse().ok()?),
        (Some(_), None) => return None,
    };
    let solved: u32 = match parts.next() {
        Some(solved) if !v1 => solved.parse().ok()?,
        Some(_) => return None,
        None => 0,
    };
    let sets = [visited, answered, right_first, wrong_first];
    let challenges = (1u32 << crate::curriculum::challenges::CHALLENGES.len()) - 1;
    if parts.next().is_some()
        || sets.iter().any(|set| set & !all != 0)
        || solved & !challenges != 0
        || last >= chapters
    {
        return None;
    }
    // A first answer is of an answered question, and either right or not.
    if (right_first | wrong_first) & !answered != 0 || right_first & wrong_first != 0 {
        return None;
    }
    let progress = Progress {
        visited,
        answered,
        right_first,
        wrong_first,
        solved,
    };
    if !v1 {
        return Some((progress, last));
    }
    let moved = Progress {
        visited: from_v1(visited),
        answered: from_v1(answered),
        right_first: from_v1(right_first),
        wrong_first: from_v1(wrong_first),
        solved: 0,
    };
    Some((moved, chapter_index(V1_CHAPTERS[last]).unwrap_or(0)))
}

pub fn format_progress(progress: &Progress, last: usize) -> String {
    let Progress {
        visited,
        answered,
        right_first,
        wrong_first,
        solved,
    } = progress;
    format!("2:{visited}:{answered}:{last}:{right_first}:{wrong_first}:{solved}")
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::*;

    fn storage() -> Option<web_sys::Storage> {
        crate::window()?.local_storage().ok()?
    }

    /// The query of the page's address, with its `?` (empty when there is none).
    /// The chapter a build-time chapter page (`<slug>.html`) stands for, read from the
    /// address's file name.
    pub fn chapter_of_page() -> Option<usize> {
        let path = crate::window().and_then(|w| w.location().pathname().ok())?;
        crate::curriculum::content::chapter_of_page_name(path.rsplit('/').next()?)
    }

    pub fn address_query() -> String {
        crate::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default()
    }

    /// Puts the link `query` (from `share::encode`) in the address without a reload or a
    /// new history entry, keeping every parameter that is not in `own` (the page's), and
    /// the fragment.
    pub fn show_link_in_address(query: &str, own: &[&str]) {
        let Some(window) = crate::window() else {
            return;
        };
        let location = window.location();
        let (Ok(search), Ok(hash)) = (location.search(), location.hash()) else {
            return;
        };
        let url = format!(
            "?{}{hash}",
            crate::links::share::merge_query(query, &search, own)
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
            let json = scenario.to_json_as(sim::JsonForm::COMPACT);
            let _ = storage.set_item(OWN_KEY, &json);
        }
    }

    pub fn load_progress() -> Option<(Progress, usize)> {
        parse_progress(&storage()?.get_item(PROGRESS_KEY).ok()??)
    }

    pub fn save_progress(progress: &Progress, last: usize) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(PROGRESS_KEY, &format_progress(progress, last));
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
        let progress = Progress {
            visited: 0b1111,
            answered: 0b111,
            right_first: 0b101,
            wrong_first: 0b10,
            solved: 0,
        };
        let text = format_progress(&progress, 2);
        assert_eq!(text, "2:15:7:2:5:2:0");
        assert_eq!(parse_progress(&text), Some((progress, 2)));
        let solved = Progress {
            solved: 0b101,
            ..progress
        };
        assert_eq!(
            parse_progress(&format_progress(&solved, 11)),
            Some((solved, 11))
        );
        for bad in [
            "1:1:1:0:1",
            "1:1:1:0:0:0:0",
            "2:1:1:0:0:0:8",
            "2:1:1:0:0:0:x",
            "2:1:1:12:0:0:0",
            "2:1:1:0:0:0:0:0",
            "3:1:1:0:0:0:0",
            "1:1:1:0:1:1",
            "1:1:1:0:2:0",
            "1:1:1:0:x:0",
            "",
            "1",
            "3:1:1:0",
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
    fn progress_stored_before_first_answers_were_kept_still_loads() {
        let (old, last) = parse_progress("1:5:1:2").expect("a four-field value loads");
        assert_eq!(last, 2);
        assert_eq!((old.visited, old.answered), (5, 1));
        assert_eq!((old.right_first, old.wrong_first), (0, 0));
        // Its answered question keeps no first answer: a later answer is not a first try.
        let mut later = old;
        later.record_answer(0, true);
        assert_eq!(later, old);
        later.record_answer(2, true);
        assert_eq!((later.right_first, later.answered), (0b100, 0b101));
    }

    #[test]
    fn progress_of_the_eleven_chapter_page_moves_to_the_same_chapters() {
        // Version 1: the sandbox was chapter 11 (bit 10), chapter 10 was "anti-patterns".
        // Visited chapters 1, 10 and the sandbox; answered 10's question right first time;
        // last on the sandbox.
        let v1 = format!("1:{}:{}:10:{}:0", 1 | 1 << 9 | 1 << 10, 1 << 9, 1 << 9);
        let (p, last) = parse_progress(&v1).expect("a version 1 value loads");
        let sandbox = CHAPTERS.len() - 1;
        assert_eq!(CHAPTERS[sandbox].slug, "sandbox");
        assert_eq!(last, sandbox, "the last chapter is still the sandbox");
        assert_eq!(p.visited, 1 | 1 << 9 | 1 << sandbox);
        // Chapter 10 kept its slug and question: the answer stays its own, and the new
        // chapter 11 is neither visited nor answered.
        assert_eq!(CHAPTERS[9].slug, "anti-patterns");
        assert_eq!(
            (p.answered, p.right_first, p.wrong_first),
            (1 << 9, 1 << 9, 0)
        );
        assert_eq!(p.visited & (1 << 10), 0);
        assert_eq!(p.solved, 0);
        // A four-field version 1 value too, and written back it is version 2.
        let (old, last) = parse_progress("1:1024:0:10").unwrap();
        assert_eq!((old.visited, last), (1 << sandbox, sandbox));
        assert!(format_progress(&old, last).starts_with("2:"));
        // Version 2 without the solved field reads with none solved.
        let (p, _) = parse_progress("2:1:1:0:1:0").unwrap();
        assert_eq!((p.right_first, p.solved), (1, 0));
    }

    #[test]
    fn only_the_first_answer_counts() {
        let mut p = Progress::default();
        p.record_answer(3, false);
        p.record_answer(3, true);
        assert_eq!(
            (p.answered, p.right_first, p.wrong_first),
            (0b1000, 0, 0b1000)
        );
        p.record_answer(4, true);
        p.record_answer(4, false);
        assert_eq!((p.right_first, p.wrong_first), (0b10000, 0b1000));
        // Stored first answers win over ones made before the store was read.
        let stored = Progress {
            answered: 0b10000,
            wrong_first: 0b10000,
            ..Progress::default()
        };
        let merged = p.merged(stored);
        assert_eq!((merged.right_first, merged.wrong_first), (0, 0b11000));
        assert_eq!(merged.answered, 0b11000);
    }
}
