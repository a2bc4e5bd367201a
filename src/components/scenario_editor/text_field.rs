use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::scenario_draft::{dom_id, Edit};

#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    /// The slot it edits (`load.users`, `endpoint.steps[1].io_ms`); also gives its id.
    pub slot: AttrValue,
    pub label: AttrValue,
    /// Words read before the label but not shown, such as "Step 2", so that repeated
    /// labels in lists still have distinct accessible names.
    #[prop_or_default]
    pub context: AttrValue,
    #[prop_or_default]
    pub unit: AttrValue,
    pub value: AttrValue,
    #[prop_or_default]
    pub placeholder: AttrValue,
    /// The `inputmode`: `numeric`, `decimal` or `text`.
    #[prop_or(AttrValue::Static("decimal"))]
    pub inputmode: AttrValue,
    /// The engine's message about this field, if any.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    pub on_edit: Callback<Edit>,
}

/// A labelled text input for a number or name. It keeps whatever is typed (the draft is
/// text) and shows the engine's message beside it.
#[component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let id = dom_id(&props.slot);
    let message_id = format!("{id}-msg");
    let oninput = {
        let slot = props.slot.to_string();
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_edit.emit(Edit::Set(slot.clone(), input.value()));
        })
    };
    let invalid = props.error.is_some();
    html! {
        <div class={classes!("ed-field", invalid.then_some("ed-invalid"))}>
            <label for={id.clone()}>
                if !props.context.is_empty() {
                    <span class="ed-vh">{ format!("{} ", props.context) }</span>
                }
                { props.label.clone() }
                if !props.unit.is_empty() {
                    <span class="ed-unit">{ format!(" ({})", props.unit) }</span>
                }
            </label>
            <input
                id={id}
                type="text"
                inputmode={props.inputmode.clone()}
                autocomplete="off"
                spellcheck="false"
                value={props.value.clone()}
                placeholder={(!props.placeholder.is_empty()).then(|| props.placeholder.clone())}
                aria-invalid={invalid.then_some("true")}
                aria-describedby={message_id.clone()}
                {oninput}
            />
            <p id={message_id} class="ed-message">
                { props.error.clone().unwrap_or_default() }
            </p>
        </div>
    }
}
