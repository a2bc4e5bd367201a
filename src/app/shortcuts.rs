//! The page's keyboard shortcuts: the table the help lists and the map from keys to actions.

use crate::state::{Action, SPEEDS};

/// The keyboard shortcuts, as (key, what it does); the help text lists the same table.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("?", "show or hide this list"),
    ("Escape", "close this list"),
    ("Space or k", "play or pause"),
    ("→ or l", "step one event"),
    ("← or j", "step back one event"),
    ("+ / −", "faster / slower"),
    ("r", "reset the run"),
];

/// Maps a key to an action, given the current speed and whether the shortcut list is open.
/// `None` leaves the key to the browser.
pub fn shortcut(key: &str, speed_idx: usize, help_open: bool) -> Option<Action> {
    match key {
        "?" => Some(Action::SetHelp(!help_open)),
        "Escape" if help_open => Some(Action::SetHelp(false)),
        " " | "k" => Some(Action::TogglePlay),
        "ArrowRight" | "l" => Some(Action::StepForward),
        "ArrowLeft" | "j" => Some(Action::StepBack),
        "+" | "=" => Some(Action::SetSpeed((speed_idx + 1).min(SPEEDS.len() - 1))),
        "-" | "_" => Some(Action::SetSpeed(speed_idx.saturating_sub(1))),
        "r" => Some(Action::Reset),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_map_to_actions_and_clamp_speed() {
        assert_eq!(shortcut(" ", 0, false), Some(Action::TogglePlay));
        assert_eq!(shortcut("ArrowLeft", 0, false), Some(Action::StepBack));
        assert_eq!(
            shortcut("+", SPEEDS.len() - 1, false),
            Some(Action::SetSpeed(SPEEDS.len() - 1))
        );
        assert_eq!(shortcut("-", 0, false), Some(Action::SetSpeed(0)));
        assert_eq!(shortcut("Tab", 3, false), None);
        assert_eq!(shortcut("?", 0, false), Some(Action::SetHelp(true)));
        assert_eq!(shortcut("?", 0, true), Some(Action::SetHelp(false)));
        assert_eq!(shortcut("Escape", 0, true), Some(Action::SetHelp(false)));
        assert_eq!(shortcut("Escape", 0, false), None);
    }
}
