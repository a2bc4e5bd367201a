use yew::prelude::*;

/// The keyboard-shortcut overlay, opened with "?" or its button and closed with Escape or
/// its own button. A labelled region rather than a modal, so nothing traps focus.
/// A plain function: it has no state, and a component type would cost bundle bytes.
pub fn shortcuts_help(
    shortcuts: &'static [(&'static str, &'static str)],
    on_close: Callback<MouseEvent>,
) -> Html {
    html! {
        <section class="shortcuts-help" role="region" aria-labelledby="shortcuts-title">
            <h2 id="shortcuts-title">{ "Keyboard shortcuts" }</h2>
            <p>{ "They work anywhere on the page except while typing in a field." }</p>
            <dl>
                { for shortcuts.iter().map(|(keys, what)| html! {
                    <div><dt><kbd>{ *keys }</kbd></dt><dd>{ *what }</dd></div>
                }) }
            </dl>
            <button type="button" onclick={on_close}>{ "Close shortcuts" }</button>
        </section>
    }
}
