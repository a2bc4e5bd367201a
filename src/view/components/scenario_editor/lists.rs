//! The form's lists, a row per item: the open load's bursts, the endpoint's steps and the
//! resources; and the pieces a row is built of.

use yew::prelude::*;

use super::field::{field_html, Control, Field};
use super::state::{row_button_id, Editor};
use crate::state::scenario_draft::{
    burst_fields, dom_id, step_fields, Checked, Edit, FieldSpec, ResourceRef, Row, StepKind,
};

/// The message about a whole list or row (not one of its fields), if any.
fn row_message(slot: &str, checked: &Checked) -> Html {
    match checked.message(slot) {
        Some(message) => html! {
            <p id={format!("{}-msg", dom_id(slot))} class="ed-message ed-row-message">
                { message }
            </p>
        },
        None => Html::default(),
    }
}

/// A button that sends one edit when pressed. One function (and so one kind of closure)
/// for every such button keeps the form's code small.
fn edit_button(
    on_edit: &Callback<Edit>,
    edit: Edit,
    id: String,
    words: &'static str,
    aria_label: Option<String>,
    disabled: bool,
) -> Html {
    let onclick = on_edit.reform(move |_: MouseEvent| edit.clone());
    html! {
        <button type="button" class="ed-small" {id} {disabled} aria-label={aria_label} {onclick}>
            { words }
        </button>
    }
}

/// A row's Remove button, named for the row ("Remove step 2").
fn remove_button(on_edit: &Callback<Edit>, edit: Edit, row_id: u32, what: String) -> Html {
    edit_button(
        on_edit,
        edit,
        row_button_id(row_id, "remove"),
        "Remove",
        Some(format!("Remove {what}")),
        false,
    )
}

/// One row of a list: its title and buttons, its own message, then its fields.
fn row_html(key: u32, class: &'static str, title: String, buttons: Html, body: Html) -> Html {
    html! {
        <li {key} {class}>
            <div class="ed-row-head">
                <span class="ed-row-title">{ title }</span>
                { buttons }
            </div>
            { body }
        </li>
    }
}

/// A titled list of rows, with the list's message, the words shown when it is empty, and
/// its Add buttons.
fn list_html(
    title_id: &'static str,
    title: &'static str,
    message: Html,
    empty: Option<&'static str>,
    rows: Html,
    add: Html,
) -> Html {
    html! {
        <div class="ed-list">
            <p class="ed-list-title" id={title_id}>{ title }</p>
            { message }
            if let Some(empty) = empty {
                <p class="ed-empty">{ empty }</p>
            }
            <ol class="ed-rows" aria-labelledby={title_id}>{ rows }</ol>
            { add }
        </div>
    }
}

/// The fields of one list row, by spec, each in its row slot (`load.bursts[0].rate_per_s`).
fn row_fields(
    editor: &Editor,
    row_slot: String,
    specs: &[FieldSpec],
    row: &Row,
    title: &str,
    on_edit: &Callback<Edit>,
) -> Html {
    let (draft, checked) = (&editor.draft, &editor.checked);
    let message = row_message(&row_slot, checked);
    let fields: Html = specs
        .iter()
        .filter_map(|f| {
            let slot = format!("{row_slot}.{}", f.path);
            draft
                .hidden_because(&slot)
                .is_none()
                .then(|| field_html(f, slot, row.text(f.path), title, checked, on_edit))
        })
        .collect();
    html! { <>{ message }{ fields }</> }
}

/// The open load's bursts, a row each.
pub(super) fn bursts_html(editor: &Editor, on_edit: &Callback<Edit>) -> Html {
    let draft = &editor.draft;
    let rows: Html = draft
        .bursts
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let title = format!("Burst {}", i + 1);
            let fields = row_fields(
                editor,
                format!("load.bursts[{i}]"),
                &burst_fields(),
                row,
                &title,
                on_edit,
            );
            let remove = remove_button(
                on_edit,
                Edit::RemoveBurst(i),
                row.id,
                format!("burst {}", i + 1),
            );
            row_html(row.id, "ed-row", title, remove, fields)
        })
        .collect();
    list_html(
        "ed-bursts-title",
        "Bursts",
        row_message("load.bursts", &editor.checked),
        draft
            .bursts
            .is_empty()
            .then_some("None: the rate stays the same."),
        rows,
        edit_button(
            on_edit,
            Edit::AddBurst,
            "ed-add-burst".to_owned(),
            "Add a burst",
            None,
            false,
        ),
    )
}

/// The endpoint's steps, in order, each with its Up, Down and Remove buttons.
pub(super) fn steps_html(editor: &Editor, on_edit: &Callback<Edit>) -> Html {
    let draft = &editor.draft;
    let n_steps = draft.steps.len();
    let rows: Html = draft
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let n = i + 1;
            let title = format!("Step {n}");
            let io = step.kind == StepKind::Io;
            let what = if io { "I/O call" } else { "CPU work" };
            let specs = step_fields(step.kind);
            let mut body = row_fields(
                editor,
                format!("endpoint.steps[{i}]"),
                &specs,
                &step.row,
                &title,
                on_edit,
            );
            if io {
                let mut choices = vec![(AttrValue::Static(""), AttrValue::Static("none"))];
                choices.extend(draft.resources.iter().map(|r| {
                    let name = if r.name.is_empty() {
                        AttrValue::Static("(no name)")
                    } else {
                        AttrValue::from(r.name.clone())
                    };
                    (AttrValue::from(r.id.to_string()), name)
                }));
                let value = match &step.resource {
                    ResourceRef::None => String::new(),
                    ResourceRef::Row(id) => id.to_string(),
                    ResourceRef::Missing(name) => {
                        choices.push((
                            AttrValue::Static("missing"),
                            AttrValue::from(format!("{name} (removed)")),
                        ));
                        "missing".to_owned()
                    }
                };
                let slot = format!("endpoint.steps[{i}].resource");
                let resource = Field {
                    error: editor.checked.message(&slot),
                    slot,
                    label: "Through resource",
                    context: title.clone(),
                    value,
                }
                .html(Control::Select(choices), on_edit);
                body = html! { <>{ body }{ resource }</> };
            }
            let id = step.row.id;
            let buttons = html! {
                <span class="ed-row-buttons">
                    { edit_button(on_edit, Edit::MoveStepUp(i), row_button_id(id, "up"), "Up",
                                  Some(format!("Move step {n} up")), i == 0) }
                    { edit_button(on_edit, Edit::MoveStepDown(i), row_button_id(id, "down"), "Down",
                                  Some(format!("Move step {n} down")), n == n_steps) }
                    { remove_button(on_edit, Edit::RemoveStep(i), id, format!("step {n}")) }
                </span>
            };
            let class = if io { "ed-row ed-io" } else { "ed-row ed-cpu" };
            row_html(id, class, format!("{title}: {what}"), buttons, body)
        })
        .collect();
    let add = html! {
        <div class="ed-row-buttons">
            { edit_button(on_edit, Edit::AddCpuStep, "ed-add-cpu".to_owned(), "Add a CPU step", None, false) }
            { edit_button(on_edit, Edit::AddIoStep, "ed-add-io".to_owned(), "Add an I/O step", None, false) }
        </div>
    };
    list_html(
        "ed-steps-title",
        "Steps, run in order",
        row_message("endpoint.steps", &editor.checked),
        None,
        rows,
        add,
    )
}

/// The resources, each a name and how many calls it takes at once.
pub(super) fn resources_html(editor: &Editor, on_edit: &Callback<Edit>) -> Html {
    let rows: Html = editor
        .draft
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let title = format!("Resource {}", i + 1);
            let field = |key: &str, label, value: &String, inputmode| {
                let slot = format!("resources[{i}].{key}");
                Field {
                    error: editor.checked.message(&slot),
                    slot,
                    label,
                    context: title.clone(),
                    value: value.clone(),
                }
                .html(
                    Control::Text {
                        unit: "",
                        placeholder: "",
                        inputmode,
                    },
                    on_edit,
                )
            };
            let body = html! {
                <>
                    { field("name", "Name", &r.name, "text") }
                    { field("capacity", "Calls at once", &r.capacity, "numeric") }
                </>
            };
            let remove = remove_button(
                on_edit,
                Edit::RemoveResource(i),
                r.id,
                format!("resource {}", i + 1),
            );
            row_html(r.id, "ed-row", title, remove, body)
        })
        .collect();
    html! {
        <>
            { row_message("resources", &editor.checked) }
            if editor.draft.resources.is_empty() {
                <p class="ed-empty">{ "None: I/O calls never wait for a free slot." }</p>
            }
            <ol class="ed-rows" aria-label="Resources">{ rows }</ol>
            { edit_button(on_edit, Edit::AddResource, "ed-add-resource".to_owned(), "Add a resource", None, false) }
        </>
    }
}
