use yew::prelude::*;

use crate::curriculum::content::OPENING_QUESTIONS;

/// The opening, as an aside of chapter 1: the questions the page answers and how to read
/// it. It sits inside the first chapter rather than above every chapter, so that it never
/// pushes a lesson below the first screen.
/// A plain function: it has no state, and a component type would cost bundle bytes.
pub fn intro() -> Html {
    html! {
        <aside class="intro" aria-labelledby="intro-title">
            <h3 id="intro-title">{ "What this page answers" }</h3>
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
        </aside>
    }
}
