use std::rc::Rc;

use sim::Scenario;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use super::field::{Control, Field};
use crate::state::scenario_draft::{
    burst_fields, check, dom_id, fields, option_words, step_fields, Checked, Draft, Edit,
    FieldSpec, Kind, ResourceRef, Row, StepKind,
};

#[derive(Properties, PartialEq)]
pub struct EditorFormProps {
    /// The scenario now running.
    pub scenario: Rc<Scenario>,
    /// Called only with a scenario that `sim::parse_scenario` accepted.
    pub on_apply: Callback<Rc<Scenario>>,
}

/// The editor's own state: the draft, what the engine said about it, and the scenario the
/// draft started from (`base`), which tells whether there are unapplied edits.
#[derive(Clone, Debug, PartialEq)]
struct Editor {
    base: Rc<Scenario>,
    draft: Draft,
    checked: Checked,
    limits_open: bool,
    /// The element to focus once this state is drawn, with a counter so that the same id
    /// twice in a row still moves focus.
    focus: Option<(u32, String)>,
}

enum Msg {
    Edit(Edit),
    /// The running scenario is now this one (a preset, a seed, or what was applied).
    Running(Rc<Scenario>),
    /// Back to this scenario, dropping the draft.
    Revert(Rc<Scenario>),
    /// The reader applied this scenario (the engine accepted it).
    Applied(Rc<Scenario>),
    LimitsOpen(bool),
}

impl Editor {
    fn new(base: Rc<Scenario>) -> Editor {
        let draft = Draft::from_scenario(&base);
        let checked = check(&draft);
        Editor {
            base,
            draft,
            checked,
            limits_open: false,
            focus: None,
        }
    }

    /// Whether the draft says something other than the scenario it started from.
    fn dirty(&self) -> bool {
        self.checked.scenario.as_ref() != Some(&*self.base)
    }
}

impl Reducible for Editor {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        match msg {
            Msg::Edit(edit) => {
                let mut next = (*self).clone();
                let focus = focus_after(&self.draft, &edit);
                next.draft.apply(edit);
                if let Some(id) = focus {
                    let seq = self.focus.as_ref().map_or(0, |(n, _)| n + 1);
                    next.focus = Some((seq, id));
                }
                next.checked = check(&next.draft);
                // A new problem inside the collapsed group opens it, so its message is seen;
                // the reader may close it again.
                next.limits_open |= limits_problems(&next.checked) > limits_problems(&self.checked);
                Rc::new(next)
            }
            Msg::Running(scenario) if *scenario == *self.base => self,
            // The draft already says exactly this: nothing is lost by adopting it as the base.
            Msg::Running(scenario) if self.checked.scenario.as_ref() == Some(&*scenario) => {
                Rc::new(Editor {
                    base: scenario,
                    ..(*self).clone()
                })
            }
            // Edits not yet applied are never dropped silently: the form keeps them and
            // offers Revert instead.
            Msg::Running(_) if self.dirty() => self,
            Msg::Revert(scenario) => Rc::new(Editor {
                limits_open: self.limits_open,
                // The button pressed is now disabled or gone; Apply is where to go next.
                focus: Some((
                    self.focus.as_ref().map_or(0, |(n, _)| n + 1),
                    "ed-apply".to_owned(),
                )),
                ..Editor::new(scenario)
            }),
            Msg::Running(scenario) | Msg::Applied(scenario) => Rc::new(Editor {
                limits_open: self.limits_open,
                ..Editor::new(scenario)
            }),
            Msg::LimitsOpen(open) if open == self.limits_open => self,
            Msg::LimitsOpen(open) => Rc::new(Editor {
                limits_open: open,
                ..(*self).clone()
            }),
        }
    }
}

fn limits_problems(checked: &Checked) -> usize {
    checked
        .problems
        .iter()
        .filter(|p| p.slot.as_deref().is_some_and(|s| s.starts_with("limits.")))
        .count()
}

/// A button of a list row, by the row's stable id: `up`, `down` or `remove`.
fn row_button_id(row_id: u32, which: &str) -> String {
    format!("ed-row-{row_id}-{which}")
}

/// Where keyboard focus should go after a list edit. Moving a row moves its DOM node, which
/// drops focus, and removing one deletes the focused button; without this, focus would fall
/// back to the top of the page.
fn focus_after(draft: &Draft, edit: &Edit) -> Option<String> {
    let remove_target = |ids: Vec<u32>, i: usize, add: &str| {
        let rest: Vec<u32> = ids
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, id)| *id)
            .collect();
        match rest.get(i.min(rest.len().saturating_sub(1))) {
            Some(id) => row_button_id(*id, "remove"),
            None => add.to_owned(),
        }
    };
    let n_steps = draft.steps.len();
    match *edit {
        Edit::MoveStepUp(i) if i > 0 && i < n_steps => {
            let which = if i == 1 { "down" } else { "up" };
            Some(row_button_id(draft.steps[i].row.id, which))
        }
        Edit::MoveStepDown(i) if i + 1 < n_steps => {
            let which = if i + 2 == n_steps { "up" } else { "down" };
            Some(row_button_id(draft.steps[i].row.id, which))
        }
        Edit::RemoveStep(i) if i < n_steps => Some(remove_target(
            draft.steps.iter().map(|s| s.row.id).collect(),
            i,
            "ed-add-cpu",
        )),
        Edit::RemoveBurst(i) if i < draft.bursts.len() => Some(remove_target(
            draft.bursts.iter().map(|r| r.id).collect(),
            i,
            "ed-add-burst",
        )),
        Edit::RemoveResource(i) if i < draft.resources.len() => Some(remove_target(
            draft.resources.iter().map(|r| r.id).collect(),
            i,
            "ed-add-resource",
        )),
        // A new row: its first field, ready to type in.
        Edit::AddCpuStep => Some(dom_id(&format!("endpoint.steps[{n_steps}].cpu_ms"))),
        Edit::AddIoStep => Some(dom_id(&format!("endpoint.steps[{n_steps}].io_ms"))),
        Edit::AddBurst => Some(dom_id(&format!(
            "load.bursts[{}].start_ms",
            draft.bursts.len()
        ))),
        Edit::AddResource => Some(dom_id(&format!(
            "resources[{}].name",
            draft.resources.len()
        ))),
        _ => None,
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
fn field_html(
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

fn bursts_html(editor: &Editor, on_edit: &Callback<Edit>) -> Html {
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

fn steps_html(editor: &Editor, on_edit: &Callback<Edit>) -> Html {
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

fn resources_html(editor: &Editor, on_edit: &Callback<Edit>) -> Html {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curriculum::presets::{self, PRESETS};

    fn editor(preset: usize) -> Rc<Editor> {
        Rc::new(Editor::new(Rc::new(presets::scenario(&PRESETS[preset]))))
    }

    fn set(slot: &str, text: &str) -> Msg {
        Msg::Edit(Edit::Set(slot.to_owned(), text.to_owned()))
    }

    #[test]
    fn a_new_running_scenario_replaces_a_clean_draft_but_never_an_edited_one() {
        let other = Rc::new(presets::scenario(&PRESETS[1]));
        // Clean: the new scenario is loaded.
        let e = editor(0).reduce(Msg::Running(other.clone()));
        assert_eq!(e.base, other);
        assert_eq!(e.draft.text("endpoint.style"), "async");
        assert!(!e.dirty());
        // Edited: the draft and its base stay; the form shows the notice (base != running).
        let e = editor(0).reduce(set("machine.cores", "12"));
        assert!(e.dirty());
        let kept = e.clone().reduce(Msg::Running(other.clone()));
        assert_eq!(kept.draft.text("machine.cores"), "12");
        assert_eq!(kept.draft.text("endpoint.style"), "blocking");
        assert_ne!(*kept.base, *other);
        // Revert loads the running scenario.
        let reverted = kept.reduce(Msg::Revert(other.clone()));
        assert_eq!(reverted.draft.text("machine.cores"), "4");
        assert!(!reverted.dirty());
        // An invalid draft counts as edited too.
        let e = editor(0).reduce(set("load.users", "1e"));
        let kept = e.reduce(Msg::Running(other.clone()));
        assert_eq!(kept.draft.text("load.users"), "1e");
        // A draft that already says the new scenario just adopts it.
        let e = editor(0).reduce(set("endpoint.style", "async"));
        let adopted = e.reduce(Msg::Running(other.clone()));
        assert_eq!(adopted.base, other);
        assert!(!adopted.dirty());
    }

    #[test]
    fn applying_makes_the_draft_clean() {
        let e = editor(0).reduce(set("load.users", "7"));
        let applied = Rc::new(e.checked.scenario.clone().unwrap());
        let e = e.reduce(Msg::Applied(applied.clone()));
        assert_eq!(e.base, applied);
        assert!(!e.dirty());
        // The app then reports the same scenario as running: nothing changes.
        let again = e.clone().reduce(Msg::Running(Rc::new((*applied).clone())));
        assert!(Rc::ptr_eq(&e, &again));
    }

    #[test]
    fn focus_follows_list_edits() {
        let e = editor(0);
        let ids: Vec<u32> = e.draft.steps.iter().map(|s| s.row.id).collect();
        let up = |i| row_button_id(ids[i], "up");
        let down = |i| row_button_id(ids[i], "down");
        // Moved to the top, its Up button is disabled, so focus goes to Down; and back.
        assert_eq!(focus_after(&e.draft, &Edit::MoveStepUp(1)), Some(down(1)));
        assert_eq!(focus_after(&e.draft, &Edit::MoveStepUp(2)), Some(up(2)));
        assert_eq!(focus_after(&e.draft, &Edit::MoveStepDown(1)), Some(up(1)));
        assert_eq!(focus_after(&e.draft, &Edit::MoveStepDown(0)), Some(down(0)));
        assert_eq!(focus_after(&e.draft, &Edit::MoveStepUp(0)), None);
        // Removing focuses the row that takes its place, or the one before at the end.
        assert_eq!(
            focus_after(&e.draft, &Edit::RemoveStep(0)),
            Some(row_button_id(ids[1], "remove"))
        );
        assert_eq!(
            focus_after(&e.draft, &Edit::RemoveStep(2)),
            Some(row_button_id(ids[1], "remove"))
        );
        // The last resource gone, focus goes to the Add button.
        assert_eq!(
            focus_after(&e.draft, &Edit::RemoveResource(0)),
            Some("ed-add-resource".to_owned())
        );
        assert_eq!(
            focus_after(&e.draft, &Edit::AddIoStep),
            Some(dom_id("endpoint.steps[3].io_ms"))
        );
    }
}
