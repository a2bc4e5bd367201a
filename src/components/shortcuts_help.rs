use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShortcutsHelpProps {
    pub shortcuts: &'static [(&'static str, &'static str)],
    pub on_close: Callback<MouseEvent>,
}

/// The keyboard-shortcut overlay, opened with "?" or its button and closed with Escape or
/// its own button. A labelled region rather than a modal, so nothing traps focus.
#[component]
pub fn ShortcutsHelp(props: &ShortcutsHelpProps) -> Html {
    html! {
        <section class="shortcuts-help" role="region" aria-labelledby="shortcuts-title">
            <h2 id="shortcuts-title">{ "Keyboard shortcuts" }</h2>
            <p>{ "They work anywhere on the page except while typing in a field." }</p>
            <dl>
                { for props.shortcuts.iter().map(|(keys, what)| html! {
                    <div><dt><kbd>{ *keys }</kbd></dt><dd>{ *what }</dd></div>
                }) }
            </dl>
            <button type="button" onclick={props.on_close.clone()}>{ "Close shortcuts" }</button>
        </section>
    }
}
