//! All UI state in one place, changed only through [`Action`]s by [`State::reduce`].

use std::rc::Rc;

use yew::Reducible;

use crate::content::CHAPTERS;

/// The colour theme the reader chose; `System` follows `prefers-color-scheme`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    /// The value written to `<html data-theme>`; CSS keys its palettes on it.
    pub fn attribute(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The theme a single "switch theme" press moves to, cycling through all three.
    pub fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Index into [`CHAPTERS`]; always in range.
    pub chapter_idx: usize,
    pub theme: Theme,
}

/// Everything the UI can ask the state to do. The enum is closed on purpose: a new
/// interaction means a new variant here and a test for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    SelectChapter(usize),
    NextChapter,
    PreviousChapter,
    CycleTheme,
}

impl State {
    /// Applies one action. Out-of-range chapter indices are ignored rather than clamped, so
    /// a bad index can never move the reader somewhere they did not ask to go.
    pub fn reduce(&self, action: Action) -> State {
        let mut next = self.clone();
        match action {
            Action::SelectChapter(idx) if idx < CHAPTERS.len() => next.chapter_idx = idx,
            Action::SelectChapter(_) => {}
            Action::NextChapter => {
                next.chapter_idx = (self.chapter_idx + 1).min(CHAPTERS.len() - 1);
            }
            Action::PreviousChapter => next.chapter_idx = self.chapter_idx.saturating_sub(1),
            Action::CycleTheme => next.theme = self.theme.next(),
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
mod tests {
    use super::*;

    #[test]
    fn chapter_navigation_stays_in_range() {
        let last = CHAPTERS.len() - 1;
        let s = State::default();
        assert_eq!(s.reduce(Action::PreviousChapter).chapter_idx, 0);
        let end = s.reduce(Action::SelectChapter(last));
        assert_eq!(end.chapter_idx, last);
        assert_eq!(end.reduce(Action::NextChapter).chapter_idx, last);
        assert_eq!(s.reduce(Action::NextChapter).chapter_idx, 1);
    }

    #[test]
    fn out_of_range_selection_is_ignored() {
        let s = State::default().reduce(Action::SelectChapter(3));
        assert_eq!(s.reduce(Action::SelectChapter(CHAPTERS.len())), s);
        assert_eq!(s.reduce(Action::SelectChapter(usize::MAX)), s);
    }

    #[test]
    fn theme_cycles_through_all_three() {
        let s = State::default();
        assert_eq!(s.theme, Theme::System);
        let s = s.reduce(Action::CycleTheme);
        assert_eq!(s.theme, Theme::Light);
        let s = s.reduce(Action::CycleTheme);
        assert_eq!(s.theme, Theme::Dark);
        assert_eq!(s.reduce(Action::CycleTheme).theme, Theme::System);
    }

    #[test]
    fn unchanged_state_keeps_the_same_rc() {
        let rc = Rc::new(State::default());
        let same = Reducible::reduce(rc.clone(), Action::PreviousChapter);
        assert!(Rc::ptr_eq(&rc, &same));
        let moved = Reducible::reduce(rc.clone(), Action::NextChapter);
        assert!(!Rc::ptr_eq(&rc, &moved));
    }
}
