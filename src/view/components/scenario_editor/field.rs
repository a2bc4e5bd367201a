//! One labelled field of the form: a text box, a checkbox or a select, with the engine's
//! message beside it. One plain function for all three rather than a component or a
//! function per kind: the whole form renders only when the reader edits it, and one place
//! that builds a field keeps the page's wasm smaller.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::state::scenario_draft::{dom_id, option_words, Checked, Edit, FieldSpec, Kind};

/// What every kind of field needs.
pub struct Field {
    /// The slot it edits (`load.users`, `endpoint.steps[1].io_ms`); also gives its id.
    pub slot: String,
    pub label: &'static str,
    /// Words read before the label but not shown, such as "Step 2", so that repeated
    /// labels in lists still have distinct accessible names.
    pub context: String,
    /// The draft's text for it (`true`/`false` for a checkbox).
    pub value: String,
    /// The engine's message about it, if any.
    pub error: Option<String>,
}

/// The control a field shows.
pub enum Control {
    /// A text box for a number or a name. It keeps whatever is typed: the draft is text.
    /// `unit` is shown after the label, `placeholder` says what leaving it empty means.
    Text {
        unit: &'static str,
        placeholder: &'static str,
        inputmode: &'static str,
    },
    /// A checkbox for a true/false field.
    Check,
    /// A select; the options are (value, words shown).
    Select(Vec<(AttrValue, AttrValue)>),
}

impl Field {
    /// The field as HTML: its label, its control and its message, in one `ed-field` box.
    pub fn html(self, control: Control, on_edit: &Callback<Edit>) -> Html {
        let id = dom_id(&self.slot);
        let message_id = format!("{id}-msg");
        let invalid = self.error.is_some();
        let (kind, unit) = match &control {
            Control::Text { unit, .. } => ("ed-text", *unit),
            Control::Check => ("ed-check", ""),
            Control::Select(_) => ("ed-select", ""),
        };
        let class = format!(
            "ed-field {kind}{}",
            if invalid { " ed-invalid" } else { "" }
        );
        let label = html! {
            <label for={id.clone()}>
                if !self.context.is_empty() {
                    <span class="ed-vh">{ format!("{} ", self.context) }</span>
                }
                { self.label }
                if !unit.is_empty() {
                    <span class="ed-unit">{ format!(" ({unit})") }</span>
                }
            </label>
        };
        // One reader for every kind: the new text of the slot, from the control's element.
        let read = {
            let slot = self.slot;
            let is_check = matches!(control, Control::Check);
            let is_select = matches!(control, Control::Select(_));
            on_edit.reform(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                let text = if is_check {
                    input.checked().to_string()
                } else if is_select {
                    wasm_bindgen::JsCast::unchecked_into::<HtmlSelectElement>(input).value()
                } else {
                    input.value()
                };
                Edit::Set(slot.clone(), text)
            })
        };
        let aria_invalid = invalid.then_some("true");
        let (first, control) = match control {
            Control::Text {
                placeholder,
                inputmode,
                ..
            } => (
                label,
                html! {
                    <input
                        id={id}
                        type="text"
                        {inputmode}
                        autocomplete="off"
                        spellcheck="false"
                        value={self.value}
                        placeholder={(!placeholder.is_empty()).then_some(placeholder)}
                        aria-invalid={aria_invalid}
                        aria-describedby={message_id.clone()}
                        oninput={read.reform(Event::from)}
                    />
                },
            ),
            Control::Check => (
                html! {
                    <input
                        id={id}
                        type="checkbox"
                        checked={self.value == "true"}
                        aria-invalid={aria_invalid}
                        aria-describedby={message_id.clone()}
                        onchange={read}
                    />
                },
                label,
            ),
            Control::Select(options) => (
                label,
                html! {
                    <select
                        id={id}
                        aria-invalid={aria_invalid}
                        aria-describedby={message_id.clone()}
                        onchange={read}
                    >
                        { for options.into_iter().map(|(value, words)| {
                            let selected = *value == *self.value;
                            html! { <option {value} {selected}>{ words }</option> }
                        }) }
                    </select>
                },
            ),
        };
        html! {
            <div {class}>
                { first }
                { control }
                <p id={message_id} class="ed-message">{ self.error.unwrap_or_default() }</p>
            </div>
        }
    }
}

/// The control for a field of this spec.
fn control(spec: &FieldSpec) -> Control {
    let text = |inputmode| Control::Text {
        unit: spec.unit,
        placeholder: spec.empty,
        inputmode,
    };
    match spec.kind {
        Kind::Flag => Control::Check,
        Kind::Name(names) => Control::Select(
            names
                .iter()
                .map(|name| {
                    (
                        AttrValue::Static(name),
                        AttrValue::Static(option_words(name)),
                    )
                })
                .collect(),
        ),
        Kind::Int | Kind::OptInt => text("numeric"),
        Kind::Float | Kind::OptFloat => text("decimal"),
    }
}

/// One field of a spec, in a slot, with its draft text.
pub(super) fn field_html(
    spec: &FieldSpec,
    slot: String,
    value: &str,
    context: &str,
    checked: &Checked,
    on_edit: &Callback<Edit>,
) -> Html {
    Field {
        error: checked.message(&slot),
        slot,
        label: spec.label,
        context: context.to_owned(),
        value: value.to_owned(),
    }
    .html(control(spec), on_edit)
}
