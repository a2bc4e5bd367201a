use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::scenario_draft::{dom_id, Edit};

#[derive(Properties, PartialEq)]
pub struct SelectFieldProps {
    pub slot: AttrValue,
    pub label: AttrValue,
    /// Words read before the label but not shown (see `TextField`).
    #[prop_or_default]
    pub context: AttrValue,
    /// (value, words shown) for each choice.
    pub options: Vec<(AttrValue, AttrValue)>,
    pub value: AttrValue,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    pub on_edit: Callback<Edit>,
}

/// A labelled `<select>` for a field with named values.
#[component]
pub fn SelectField(props: &SelectFieldProps) -> Html {
    let id = dom_id(&props.slot);
    let message_id = format!("{id}-msg");
    let onchange = {
        let slot = props.slot.to_string();
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            on_edit.emit(Edit::Set(slot.clone(), select.value()));
        })
    };
    let invalid = props.error.is_some();
    html! {
        <div class={classes!("ed-field", "ed-select", invalid.then_some("ed-invalid"))}>
            <label for={id.clone()}>
                if !props.context.is_empty() {
                    <span class="ed-vh">{ format!("{} ", props.context) }</span>
                }
                { props.label.clone() }
            </label>
            <select
                id={id}
                aria-invalid={invalid.then_some("true")}
                aria-describedby={message_id.clone()}
                {onchange}
            >
                { for props.options.iter().map(|(value, words)| html! {
                    <option value={value.clone()} selected={*value == props.value}>
                        { words.clone() }
                    </option>
                }) }
            </select>
            <p id={message_id} class="ed-message">
                { props.error.clone().unwrap_or_default() }
            </p>
        </div>
    }
}
