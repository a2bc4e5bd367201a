use std::rc::Rc;

use sim::Scenario;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScenarioEditorProps {
    /// The scenario now running; the editor starts from it.
    pub scenario: Rc<Scenario>,
    /// Called with a scenario the engine accepted, when the reader applies it.
    pub on_apply: Callback<Rc<Scenario>>,
}

/// Every field of the scenario, editable and validated as typed (being built; see issue 4).
#[component]
pub fn ScenarioEditor(props: &ScenarioEditorProps) -> Html {
    html! {
        <section class="scenario-editor" aria-labelledby="editor-title">
            <h2 id="editor-title">{ "Scenario" }</h2>
            <p>{ format!("{} users, style {:?}.", props.scenario.load.users, props.scenario.endpoint.style) }</p>
        </section>
    }
}
