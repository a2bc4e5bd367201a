use yew::prelude::*;

use crate::content::OPENING_QUESTIONS;

/// The opening: the questions the page answers and how to read it.
/// A plain function: it has no state, and a component type would cost bundle bytes.
pub fn intro() -> Html {
    html! {
        <section class="intro" aria-labelledby="intro-title">
            <h2 id="intro-title">{ "Where does the performance of async come from?" }</h2>
            <p>
                { "A database query takes just as long with " }
                <code>{ "await" }</code>
                { " as without it. What changes is who waits. This page runs a small, \
                   deterministic model of a server's thread pool in your browser, so you can \
                   watch threads, tasks, the request queue and I/O completions move, and \
                   compare code that blocks a thread with code that gives it back." }
            </p>
            <p>{ "By the last chapter you should be able to answer:" }</p>
            <ol class="questions">
                { for OPENING_QUESTIONS.iter().map(|q| html! { <li>{ *q }</li> }) }
            </ol>
        </section>
    }
}
