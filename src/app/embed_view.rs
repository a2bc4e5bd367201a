//! The embedded view's frame: a bar with the way to the full page, the notice, and the
//! panels the embed asks for, in an iframe's page or an `<await-lab>` element.

use yew::prelude::*;

/// The embedded view around `panels`: `title` names it (and the way to the full page at
/// `full`, which opens in a new tab, as the host page stays); `in_element` when it sits in
/// someone else's page, where it is a named region rather than a second `<main>`.
pub(super) fn embed_view(
    title: String,
    full: String,
    notice: Option<Html>,
    panels: Html,
    in_element: bool,
) -> Html {
    html! {
        <>
            <div class="embed-bar">
                <a href={full} target="_blank" rel="noopener">
                    { title.clone() }{ " ↗" }
                    <span class="visually-hidden">{ " (opens the full page of Await Lab in a new tab)" }</span>
                </a>
            </div>
            { notice.unwrap_or_default() }
            if in_element {
                <section class="embed-main" aria-label={title}>{ panels }</section>
            } else {
                <main id="main" class="embed-main">{ panels }</main>
            }
        </>
    }
}
