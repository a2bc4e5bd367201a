//! The form itself ([`EditorForm`]): the draft's fields grouped as the scenario is, the
//! problems no field shows, and Apply and Revert. Its state is in `state.rs`, its lists
//! in `lists.rs`, a field in `field.rs`.

use std::rc::Rc;

use sim::Scenario;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use super::field::field_html;
use super::lists::{bursts_html, resources_html, steps_html};
use super::state::{Editor, Msg};
use crate::state::scenario_draft::{fields, Edit};

#[derive(Properties, PartialEq)]
pub struct EditorFormProps {
    /// The scenario now running.
    pub scenario: Rc<Scenario>,
    /// Called only with a scenario that `sim::parse_scenario` accepted.
    pub on_apply: Callback<Rc<Scenario>>,
}

fn problems_words(n: usize) -> String {
    match n {
        0 => "No problems".to_owned(),
        1 => "1 problem".to_owned(),
        n => format!("{n} problems"),
    }
}

/// The groups of the form: (legend, the first path segment of its fields). The Limits
/// group is drawn apart, collapsed.
const GROUPS: [(&str, &str); 6] = [
    ("Run", ""),
    ("Machine", "machine"),
    ("Pool", "pool"),
    ("Load", "load"),
    ("Endpoint", "endpoint"),
    ("Resources", "resources"),
];

/// The form itself: the draft, grouped as the scenario is, with Apply and Revert.
#[component]
pub fn EditorForm(props: &EditorFormProps) -> Html {
    let editor = use_reducer({
        let scenario = props.scenario.clone();
        move || Editor::new(scenario)
    });
    {
        let editor = editor.clone();
        use_effect_with(props.scenario.clone(), move |scenario| {
            editor.dispatch(Msg::Running(scenario.clone()));
        });
    }
    let section = use_node_ref();
    use_effect_with(editor.focus.clone(), {
        let section = section.clone();
        move |focus| {
            // Looked up inside this editor, not the whole document.
            let element = focus.as_ref().and_then(|(_, id)| {
                section
                    .cast::<Element>()
                    .and_then(|s| s.query_selector(&format!("#{id}")).ok().flatten())
            });
            if let Some(element) = element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                let _ = element.focus();
            }
        }
    });
    // One callback for every field, made once, so unchanged fields skip their render.
    let on_edit = {
        let dispatcher = editor.dispatcher();
        use_callback((), move |edit: Edit, _| {
            dispatcher.dispatch(Msg::Edit(edit))
        })
    };
    let onsubmit = {
        let editor = editor.clone();
        let on_apply = props.on_apply.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Only a scenario the engine accepted is ever handed on.
            if let Some(scenario) = editor.checked.scenario.clone() {
                let scenario = Rc::new(scenario);
                editor.dispatch(Msg::Applied(scenario.clone()));
                on_apply.emit(scenario);
            }
        })
    };
    let revert = {
        let editor = editor.clone();
        let running = props.scenario.clone();
        Callback::from(move |_: MouseEvent| editor.dispatch(Msg::Revert(running.clone())))
    };
    let on_toggle = {
        let editor = editor.clone();
        Callback::from(move |e: Event| {
            let details: Element = e.target_unchecked_into();
            editor.dispatch(Msg::LimitsOpen(details.has_attribute("open")));
        })
    };

    let ed = &*editor;
    let dirty = ed.dirty();
    let can_apply = ed.checked.scenario.is_some();
    let stale = *ed.base != *props.scenario;
    let unplaced = ed.checked.unplaced(&ed.draft);
    let n_problems = ed.checked.problems.len();
    let status = if dirty && can_apply {
        format!("{} · changes not applied yet", problems_words(n_problems))
    } else {
        problems_words(n_problems)
    };
    // The fields of one group, in the order of the engine's table: so a field added there
    // shows up.
    let all = fields();
    let group = |prefix: &str| -> Html {
        all.iter()
            .filter(|f| {
                f.path.split_once('.').map_or("", |(head, _)| head) == prefix
                    && ed.draft.hidden_because(f.path).is_none()
            })
            .map(|f| {
                field_html(
                    f,
                    f.path.to_owned(),
                    ed.draft.text(f.path),
                    "",
                    &ed.checked,
                    &on_edit,
                )
            })
            .collect()
    };
    let closed = ed.draft.text("load.kind") != "open";
    let groups: Html = GROUPS
        .iter()
        .map(|&(legend, prefix)| {
            let (class, list) = match prefix {
                "load" if !closed => ("ed-group", bursts_html(ed, &on_edit)),
                "endpoint" => ("ed-group ed-wide", steps_html(ed, &on_edit)),
                "resources" => ("ed-group", resources_html(ed, &on_edit)),
                _ => ("ed-group", Html::default()),
            };
            html! {
                <fieldset {class}>
                    <legend>{ legend }</legend>
                    { group(prefix) }
                    { list }
                </fieldset>
            }
        })
        .collect();

    html! {
        <section class="scenario-editor" aria-labelledby="editor-title" ref={section}>
            <h2 id="editor-title">{ "Scenario" }</h2>
            <p class="ed-intro">
                { "Every setting of the run. The engine checks each value as you type; Apply runs it." }
            </p>
            if stale {
                <div class="ed-notice" role="status">
                    <p>
                        { "The running scenario has changed since you started editing. Your edits are kept; Revert replaces them with the running scenario." }
                    </p>
                    <button type="button" onclick={revert.clone()}>
                        { "Revert to the running scenario" }
                    </button>
                </div>
            }
            <form class="ed-form" {onsubmit} novalidate=true aria-describedby="ed-status">
                if !unplaced.is_empty() {
                    <div class="ed-summary">
                        <h3 class="ed-summary-title">{ "Problems not shown beside a field" }</h3>
                        <ul>
                            { for unplaced.iter().map(|(error, why)| html! {
                                <li>
                                    { error.to_string() }
                                    if let Some(why) = why {
                                        { format!(" (hidden now: {why})") }
                                    }
                                </li>
                            }) }
                        </ul>
                    </div>
                }
                <div class="ed-groups">
                    { groups }
                    <details class="ed-group ed-more" open={ed.limits_open} ontoggle={on_toggle}>
                        <summary>{ "Limits" }</summary>
                        <fieldset>
                            <legend class="ed-vh">{ "Limits" }</legend>
                            { group("limits") }
                        </fieldset>
                    </details>
                </div>
                <div class="ed-actions">
                    <p id="ed-status" class="ed-status" role="status" aria-live="polite"
                       aria-atomic="true">
                        { status }
                    </p>
                    <button type="submit" id="ed-apply" class="ed-apply" disabled={!can_apply}>
                        { "Apply" }
                    </button>
                    <button type="button" onclick={revert} disabled={!dirty && !stale}>
                        { "Revert" }
                    </button>
                </div>
            </form>
        </section>
    }
}
