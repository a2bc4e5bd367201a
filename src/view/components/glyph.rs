use sim::ThreadState;
use yew::prelude::*;

/// The CSS class and the word for a thread state; the stage and its key share them.
pub fn state_name(state: ThreadState) -> (&'static str, &'static str) {
    match state {
        ThreadState::Idle => ("idle", "Idle"),
        ThreadState::Ready => ("ready", "Ready"),
        ThreadState::Running => ("running", "Running"),
        ThreadState::Blocked => ("blocked", "Blocked"),
    }
}

/// A thread state's symbol: each state has its own outline (circle, triangle, square,
/// barred square) as well as its colour, so colour is never the only signal. Plain HTML:
/// the stage draws many of them, and a function costs the page's wasm less than a
/// component type.
pub fn glyph(state: ThreadState) -> Html {
    let (css, _) = state_name(state);
    let shape = match state {
        ThreadState::Idle => html! { <circle cx="8" cy="8" r="5.5" /> },
        ThreadState::Ready => html! { <polygon points="8,2 14,14 2,14" /> },
        ThreadState::Running => html! { <rect x="2.5" y="2.5" width="11" height="11" /> },
        ThreadState::Blocked => html! {
            <>
                <rect x="2.5" y="2.5" width="11" height="11" />
                <line x1="2.5" y1="13.5" x2="13.5" y2="2.5" />
            </>
        },
    };
    html! {
        <svg class={format!("glyph {css}")} viewBox="0 0 16 16" width="16" height="16"
             aria-hidden="true" focusable="false">
            { shape }
        </svg>
    }
}
