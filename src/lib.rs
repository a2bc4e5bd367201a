//! Await Lab: a Yew app that draws what the `sim` engine computes.
//!
//! The app never computes model behaviour itself. It keeps UI state in one reducer
//! ([`state`]), asks the engine for numbers, and hands plain data to components as props.

pub mod app;
pub mod challenges;
pub mod chart_math;
pub mod components;
pub mod content;
pub mod download;
pub mod export;
pub mod fatal;
pub mod format;
pub mod glossary;
pub mod hooks;
pub mod knobs;
pub mod lessons;
pub mod listings;
pub mod model_notes;
pub mod narrate;
pub mod persist;
pub mod presets;
pub mod scenario_draft;
pub mod share;
pub mod simulation;
pub mod stage_layout;
pub mod state;
pub mod sweep;
#[cfg(test)]
mod test_support;

pub use app::App;

/// Mounts the app into the page's `#app` element (or `<body>` if it is missing) after
/// installing the panic hook, so that a panic shows a visible message instead of a blank page.
pub fn start() {
    fatal::install_panic_hook();
    let document = web_sys::window().and_then(|w| w.document());
    match document.as_ref().and_then(|d| d.get_element_by_id("app")) {
        Some(root) => {
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}
