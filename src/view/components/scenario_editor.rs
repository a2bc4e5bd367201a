//! The scenario panel: every field of the scenario, checked by the engine as it is typed.
//! The model (the draft, its JSON and the placing of errors) is in
//! [`crate::state::scenario_draft`]; the parts of the form are in `scenario_editor/`.

use std::rc::Rc;

use sim::Scenario;
use yew::prelude::*;

mod field;
mod form;
mod lists;
mod state;

use form::EditorForm;

#[derive(Properties, PartialEq)]
pub struct ScenarioEditorProps {
    /// The scenario now running; the editor starts from it.
    pub scenario: Rc<Scenario>,
    /// Called with a scenario the engine accepted, when the reader applies it.
    pub on_apply: Callback<Rc<Scenario>>,
}

/// Every field of the scenario, editable and validated as typed.
///
/// The parent may hand a new `on_apply` callback on every render (the app renders on every
/// animation frame while playing). This wrapper keeps the newest one in a cell and gives the
/// form a callback that never changes, so the form renders only when the scenario changes
/// or the reader types.
#[component]
pub fn ScenarioEditor(props: &ScenarioEditorProps) -> Html {
    let latest = use_mut_ref(|| props.on_apply.clone());
    *latest.borrow_mut() = props.on_apply.clone();
    let on_apply = use_callback((), move |scenario: Rc<Scenario>, _| {
        let on_apply = latest.borrow().clone();
        on_apply.emit(scenario);
    });
    html! {
        <EditorForm scenario={props.scenario.clone()} {on_apply} />
    }
}
