//! One labelled field of the form: a text box, a checkbox or a select, with the engine's
//! message beside it. Plain functions rather than components: the whole form renders only
//! when the reader edits it, and fewer component types keep the page's wasm smaller.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::scenario_draft::{dom_id, Edit};

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

impl Field {
    fn label(&self, id: &str) -> Html {
        html! {
            <label for={id.to_owned()}>
                if !self.context.is_empty() {
                    <span class="ed-vh">{ format!("{} ", self.context) }</span>
                }
                { self.label }
            </label>
        }
    }

    fn message(&self, message_id: String) -> Html {
        html! {
            <p id={message_id} class="ed-message">{ self.error.clone().unwrap_or_default() }</p>
        }
    }

    fn class(&self, kind: &'static str) -> Classes {
        classes!(
            "ed-field",
            kind,
            self.error.is_some().then_some("ed-invalid")
        )
    }

    /// A text box for a number or a name. It keeps whatever is typed: the draft is text.
    /// `unit` is shown after the label, `placeholder` says what leaving it empty means.
    pub fn text(
        self,
        unit: &'static str,
        placeholder: &'static str,
        inputmode: &'static str,
        on_edit: &Callback<Edit>,
    ) -> Html {
        let id = dom_id(&self.slot);
        let message_id = format!("{id}-msg");
        let oninput = {
            let slot = self.slot.clone();
            let on_edit = on_edit.clone();
            Callback::from(move |e: InputEvent| {
                let input: HtmlInputElement = e.target_unchecked_into();
                on_edit.emit(Edit::Set(slot.clone(), input.value()));
            })
        };
        let invalid = self.error.is_some();
        html! {
            <div class={self.class("ed-text")}>
                <label for={id.clone()}>
                    if !self.context.is_empty() {
                        <span class="ed-vh">{ format!("{} ", self.context) }</span>
                    }
                    { self.label }
                    if !unit.is_empty() {
                        <span class="ed-unit">{ format!(" ({unit})") }</span>
                    }
                </label>
                <input
                    id={id}
                    type="text"
                    {inputmode}
                    autocomplete="off"
                    spellcheck="false"
                    value={self.value.clone()}
                    placeholder={(!placeholder.is_empty()).then_some(placeholder)}
                    aria-invalid={invalid.then_some("true")}
                    aria-describedby={message_id.clone()}
                    {oninput}
                />
                { self.message(message_id) }
            </div>
        }
    }

    /// A checkbox for a true/false field.
    pub fn check(self, on_edit: &Callback<Edit>) -> Html {
        let id = dom_id(&self.slot);
        let message_id = format!("{id}-msg");
        let onchange = {
            let slot = self.slot.clone();
            let on_edit = on_edit.clone();
            Callback::from(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                on_edit.emit(Edit::Set(slot.clone(), input.checked().to_string()));
            })
        };
        let invalid = self.error.is_some();
        html! {
            <div class={self.class("ed-check")}>
                <input
                    id={id.clone()}
                    type="checkbox"
                    checked={self.value == "true"}
                    aria-invalid={invalid.then_some("true")}
                    aria-describedby={message_id.clone()}
                    {onchange}
                />
                { self.label(&id) }
                { self.message(message_id) }
            </div>
        }
    }

    /// A select; `options` are (value, words shown).
    pub fn select(self, options: &[(String, String)], on_edit: &Callback<Edit>) -> Html {
        let id = dom_id(&self.slot);
        let message_id = format!("{id}-msg");
        let onchange = {
            let slot = self.slot.clone();
            let on_edit = on_edit.clone();
            Callback::from(move |e: Event| {
                let select: HtmlSelectElement = e.target_unchecked_into();
                on_edit.emit(Edit::Set(slot.clone(), select.value()));
            })
        };
        let invalid = self.error.is_some();
        html! {
            <div class={self.class("ed-select")}>
                { self.label(&id) }
                <select
                    id={id}
                    aria-invalid={invalid.then_some("true")}
                    aria-describedby={message_id.clone()}
                    {onchange}
                >
                    { for options.iter().map(|(value, words)| html! {
                        <option value={value.clone()} selected={*value == self.value}>
                            { words.clone() }
                        </option>
                    }) }
                </select>
                { self.message(message_id) }
            </div>
        }
    }
}
