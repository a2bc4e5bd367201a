use yew::prelude::*;

use crate::state::Tab;

#[derive(Properties, PartialEq)]
pub struct WorkbenchProps {
    pub tab: Tab,
    pub on_tab: Callback<Tab>,
    /// Each tab's content, in [`Tab::ALL`]'s order. A closed tab whose content keeps
    /// nothing of the reader's (the charts, the log, the glossary) is passed empty, so it
    /// costs nothing while a run plays; one that keeps work (the editor's draft, a sweep's
    /// results, the share options) stays mounted, hidden.
    pub panels: [Html; 6],
}

/// The tab after `tab` for a key of the ARIA tabs pattern (arrows wrap, Home and End go
/// to the ends), or `None` for any other key.
pub fn tab_for_key(tab: Tab, key: &str) -> Option<Tab> {
    let n = Tab::ALL.len();
    let at = Tab::ALL.iter().position(|t| *t == tab).unwrap_or(0);
    let to = match key {
        "ArrowRight" => (at + 1) % n,
        "ArrowLeft" => (at + n - 1) % n,
        "Home" => 0,
        "End" => n - 1,
        _ => return None,
    };
    Some(Tab::ALL[to])
}

/// Puts `tab`'s fragment in the address without scrolling, so the address links to the
/// open tab, and moves the keyboard focus to its button.
fn mark(tab: Tab, focus: bool) {
    let Some(window) = crate::window() else {
        return;
    };
    if let (Ok(history), Ok(search)) = (window.history(), window.location().search()) {
        let url = format!("{search}#{}", tab.fragment());
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    if focus {
        if let Some(button) = window
            .document()
            .and_then(|d| d.get_element_by_id(&format!("tab-{}", tab.fragment())))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = button.focus();
        }
    }
}

/// The workbench: the tools beside the lesson (charts, sweep, scenario editor, event log,
/// share and export, glossary) in tabs, one open at a time, as the ARIA tabs pattern
/// describes: the arrows, Home and End move between tabs and open them; Tab moves into
/// the open panel. Each panel's id is its fragment, so `#sweep` links to it.
#[component]
pub fn Workbench(props: &WorkbenchProps) -> Html {
    let on_key = {
        let on_tab = props.on_tab.clone();
        let tab = props.tab;
        Callback::from(move |e: KeyboardEvent| {
            if let Some(next) = tab_for_key(tab, &e.key()) {
                e.prevent_default();
                on_tab.emit(next);
                mark(next, true);
            }
        })
    };
    html! {
        <section class="workbench" aria-labelledby="workbench-title">
            <h2 id="workbench-title" class="visually-hidden">{ "Workbench" }</h2>
            <div class="tabs" role="tablist" aria-labelledby="workbench-title" onkeydown={on_key}>
                { for Tab::ALL.iter().map(|&tab| {
                    let selected = tab == props.tab;
                    let on_tab = props.on_tab.clone();
                    html! {
                        <button type="button" role="tab" id={format!("tab-{}", tab.fragment())}
                                aria-selected={selected.to_string()}
                                aria-controls={tab.fragment()}
                                tabindex={if selected { "0" } else { "-1" }}
                                onclick={Callback::from(move |_: MouseEvent| {
                                    on_tab.emit(tab);
                                    mark(tab, false);
                                })}>
                            { tab.label() }
                        </button>
                    }
                }) }
            </div>
            { for Tab::ALL.iter().zip(props.panels.iter()).map(|(&tab, panel)| html! {
                <div role="tabpanel" id={tab.fragment()} class="tab-panel"
                     aria-labelledby={format!("tab-{}", tab.fragment())}
                     tabindex="0" hidden={tab != props.tab}>
                    { panel.clone() }
                </div>
            }) }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_move_between_tabs_as_the_aria_pattern_says() {
        assert_eq!(tab_for_key(Tab::Charts, "ArrowRight"), Some(Tab::Sweep));
        assert_eq!(tab_for_key(Tab::Charts, "ArrowLeft"), Some(Tab::Glossary));
        assert_eq!(tab_for_key(Tab::Glossary, "ArrowRight"), Some(Tab::Charts));
        assert_eq!(tab_for_key(Tab::Log, "Home"), Some(Tab::Charts));
        assert_eq!(tab_for_key(Tab::Log, "End"), Some(Tab::Glossary));
        assert_eq!(tab_for_key(Tab::Log, "Enter"), None);
        assert_eq!(tab_for_key(Tab::Log, "ArrowDown"), None);
    }
}
