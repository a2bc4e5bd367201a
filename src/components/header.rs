use yew::prelude::*;

use crate::state::Theme;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub theme: Theme,
    pub on_cycle_theme: Callback<MouseEvent>,
}

/// The page banner: the name, what it is, and the theme switch.
#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let label = match props.theme {
        Theme::System => "Theme: system",
        Theme::Light => "Theme: light",
        Theme::Dark => "Theme: dark",
    };
    html! {
        <header class="banner">
            <div class="banner-title">
                <h1>{ "Await Lab" }</h1>
                <p class="tagline">
                    { "Watch a web server's thread pool under load, and see where async/await's gain really comes from." }
                </p>
            </div>
            <button
                type="button"
                class="theme-switch"
                onclick={props.on_cycle_theme.clone()}
                title="Switch between the system, light and dark themes"
            >
                { label }
            </button>
        </header>
    }
}
