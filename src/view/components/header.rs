use yew::prelude::*;

use crate::state::{Motion, Theme};

pub struct HeaderProps {
    pub theme: Theme,
    pub on_cycle_theme: Callback<MouseEvent>,
    pub motion: Motion,
    pub on_cycle_motion: Callback<MouseEvent>,
    pub on_help: Callback<MouseEvent>,
}

/// The page banner: the name, what it is, and the theme switch.
/// A plain function: it has no state, and a component type would cost bundle bytes.
pub fn header(props: &HeaderProps) -> Html {
    let label = match props.theme {
        Theme::System => "Theme: system",
        Theme::Light => "Theme: light",
        Theme::Dark => "Theme: dark",
    };
    let motion_label = match props.motion {
        Motion::System => "Motion: system",
        Motion::Reduced => "Motion: reduced",
        Motion::Full => "Motion: full",
    };
    html! {
        <header class="banner">
            <div class="banner-title">
                <h1>{ "Await Lab" }</h1>
                <p class="tagline">
                    { "Watch a web server's thread pool under load, and see where async/await's gain really comes from." }
                </p>
            </div>
            <div class="banner-buttons">
                <button type="button" class="help-button" onclick={props.on_help.clone()}
                        aria-keyshortcuts="?">
                    { "Shortcuts" }
                </button>
                <button
                    type="button"
                    class="motion-switch"
                    onclick={props.on_cycle_motion.clone()}
                    title="Switch between following the system, reduced motion and full motion"
                >
                    { motion_label }
                </button>
                <button
                    type="button"
                    class="theme-switch"
                    onclick={props.on_cycle_theme.clone()}
                    title="Switch between the system, light and dark themes"
                >
                    { label }
                </button>
            </div>
        </header>
    }
}
