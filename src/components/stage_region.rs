use yew::prelude::*;

/// One thread state as the stage will draw it: a colour *and* a shape, so that colour is
/// never the only signal.
struct StateKey {
    name: &'static str,
    css: &'static str,
    meaning: &'static str,
}

const THREAD_STATES: &[StateKey] = &[
    StateKey {
        name: "Idle",
        css: "idle",
        meaning: "parked in the pool with no work",
    },
    StateKey {
        name: "Ready",
        css: "ready",
        meaning: "has work, waiting for a free core",
    },
    StateKey {
        name: "Running",
        css: "running",
        meaning: "on a core, using the CPU",
    },
    StateKey {
        name: "Blocked",
        css: "blocked",
        meaning: "waiting on I/O or a Task: holds its stack, uses no CPU",
    },
];

fn glyph(css: &str) -> Html {
    // Each state has its own outline: circle, triangle, square, and a barred square.
    let shape = match css {
        "idle" => html! { <circle cx="8" cy="8" r="5.5" /> },
        "ready" => html! { <polygon points="8,2 14,14 2,14" /> },
        "running" => html! { <rect x="2.5" y="2.5" width="11" height="11" /> },
        _ => html! {
            <>
                <rect x="2.5" y="2.5" width="11" height="11" />
                <line x1="2.5" y1="13.5" x2="13.5" y2="2.5" />
            </>
        },
    };
    html! {
        <svg class={classes!("glyph", css.to_owned())} viewBox="0 0 16 16" width="16" height="16"
             aria-hidden="true" focusable="false">
            { shape }
        </svg>
    }
}

/// The region the live stage fills: thread lanes, cores, queues and the I/O area. Until the
/// stage is drawn it shows the key every later view uses.
#[component]
pub fn StageRegion() -> Html {
    html! {
        <section id="stage" class="stage" aria-labelledby="stage-title" tabindex="-1">
            <h2 id="stage-title">{ "The simulation" }</h2>
            <p>
                { "Requests arrive, wait in the pool's queue, run on threads, and leave for the \
                   database. The stage draws each part; this key tells the thread states apart \
                   by shape as well as colour." }
            </p>
            <ul class="state-key" aria-label="Thread states">
                { for THREAD_STATES.iter().map(|key| html! {
                    <li class={classes!("state-key-item", key.css)}>
                        { glyph(key.css) }
                        <span><strong>{ key.name }</strong>{ ": " }{ key.meaning }</span>
                    </li>
                }) }
            </ul>
        </section>
    }
}
