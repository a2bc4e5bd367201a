use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::scenario_draft::{dom_id, Edit};

#[derive(Properties, PartialEq)]
pub struct CheckFieldProps {
    pub slot: AttrValue,
    pub label: AttrValue,
    /// Words read before the label but not shown (see `TextField`).
    #[prop_or_default]
    pub context: AttrValue,
    pub checked: bool,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    pub on_edit: Callback<Edit>,
}

/// A labelled checkbox for a true/false field.
#[component]
pub fn CheckField(props: &CheckFieldProps) -> Html {
    let id = dom_id(&props.slot);
    let message_id = format!("{id}-msg");
    let onchange = {
        let slot = props.slot.to_string();
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_edit.emit(Edit::Set(slot.clone(), input.checked().to_string()));
        })
    };
    let invalid = props.error.is_some();
    html! {
        <div class={classes!("ed-field", "ed-check", invalid.then_some("ed-invalid"))}>
            <input
                id={id.clone()}
                type="checkbox"
                checked={props.checked}
                aria-invalid={invalid.then_some("true")}
                aria-describedby={message_id.clone()}
                {onchange}
            />
            <label for={id}>
                if !props.context.is_empty() {
                    <span class="ed-vh">{ format!("{} ", props.context) }</span>
                }
                { props.label.clone() }
            </label>
            <p id={message_id} class="ed-message">
                { props.error.clone().unwrap_or_default() }
            </p>
        </div>
    }
}
