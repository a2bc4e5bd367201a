//! The form's own state ([`Editor`]): the draft, what the engine said about it, the
//! scenario it started from; how each message moves it, and where keyboard focus goes
//! after a list edit.

use std::rc::Rc;

use sim::Scenario;
use yew::prelude::*;

use crate::state::scenario_draft::{check, dom_id, Checked, Draft, Edit};

/// The editor's own state: the draft, what the engine said about it, and the scenario the
/// draft started from (`base`), which tells whether there are unapplied edits.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Editor {
    pub(super) base: Rc<Scenario>,
    pub(super) draft: Draft,
    pub(super) checked: Checked,
    pub(super) limits_open: bool,
    /// The element to focus once this state is drawn, with a counter so that the same id
    /// twice in a row still moves focus.
    pub(super) focus: Option<(u32, String)>,
}

/// What changes the editor's state.
pub(super) enum Msg {
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
    pub(super) fn new(base: Rc<Scenario>) -> Editor {
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
    pub(super) fn dirty(&self) -> bool {
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

/// Problems inside the collapsed Limits group.
fn limits_problems(checked: &Checked) -> usize {
    checked
        .problems
        .iter()
        .filter(|p| p.slot.as_deref().is_some_and(|s| s.starts_with("limits.")))
        .count()
}

/// A button of a list row, by the row's stable id: `up`, `down` or `remove`.
pub(super) fn row_button_id(row_id: u32, which: &str) -> String {
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
