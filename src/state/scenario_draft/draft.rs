//! The draft itself: every field of a scenario as the text the reader typed, the lists as
//! rows, and the edits that change it.

use sim::schema::{self, Val, When};
use sim::{Dist, Scenario, Step};

use super::fields::{burst_fields, fields, split_row_slot, step_fields, FieldSpec, StepKind};

/// The resource an I/O step goes through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceRef {
    None,
    /// A row of [`Draft::resources`], by its id, so renaming the row carries the step along.
    Row(u32),
    /// A name with no row (its row was removed); sent as it is so the engine reports it.
    Missing(String),
}

/// One row of a list: a stable id (for keys and references) and its fields' text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: u32,
    pub fields: Texts,
}

/// Field texts by key, in a fixed order. The lists are short, so a linear search is as quick
/// as a map and keeps the page's wasm smaller.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Texts(Vec<(&'static str, String)>);

impl Texts {
    pub fn get(&self, key: &str) -> Option<&String> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut String> {
        self.0.iter_mut().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

impl FromIterator<(&'static str, String)> for Texts {
    fn from_iter<I: IntoIterator<Item = (&'static str, String)>>(iter: I) -> Texts {
        Texts(iter.into_iter().collect())
    }
}

impl Row {
    /// The text of one of the row's fields.
    pub fn text(&self, key: &str) -> &str {
        self.fields.get(key).map(String::as_str).unwrap_or("")
    }
}

/// One step of the endpoint's program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepDraft {
    pub kind: StepKind,
    pub row: Row,
    pub resource: ResourceRef,
}

/// One named resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceDraft {
    pub id: u32,
    pub name: String,
    pub capacity: String,
}

/// Every field of a scenario as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub(super) fields: Texts,
    pub bursts: Vec<Row>,
    pub steps: Vec<StepDraft>,
    pub resources: Vec<ResourceDraft>,
    pub(super) next_id: u32,
}

/// A change the reader makes.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Sets the text of a slot. For a flag the text is `true` or `false`; for a step's
    /// `resource` it is a resource row id, or empty for none.
    Set(String, String),
    AddBurst,
    RemoveBurst(usize),
    AddCpuStep,
    AddIoStep,
    RemoveStep(usize),
    /// Swaps step `i` with step `i - 1`.
    MoveStepUp(usize),
    /// Swaps step `i` with step `i + 1`.
    MoveStepDown(usize),
    AddResource,
    RemoveResource(usize),
}

/// A value of the engine's as the form's text: numbers as the shortest text that reads
/// back as the same value (`0.1`, `200`), `true`/`false`, names; empty when absent.
fn text_of(value: Val<'_>) -> String {
    match value {
        Val::Absent => String::new(),
        Val::Int(n) => n.to_string(),
        Val::Float(x) => sim::decimal::shortest(x),
        Val::Bool(b) => b.to_string(),
        Val::Name(name) => name.to_owned(),
        Val::Text(text) => text.to_owned(),
    }
}

/// The texts of a record's fields, as the form shows them.
fn texts_of<T>(fields: &[FieldSpec], table: &[schema::Field<T>], record: &T) -> Texts {
    fields
        .iter()
        .filter_map(|spec| {
            let f = table.iter().find(|f| f.path == spec.path)?;
            Some((spec.path, text_of((f.get)(record))))
        })
        .collect()
}

impl Draft {
    /// The draft of a scenario: every field as text, the lists as rows.
    pub fn from_scenario(scenario: &Scenario) -> Draft {
        let mut draft = Draft {
            fields: texts_of(&fields(), schema::SCENARIO, scenario),
            bursts: Vec::new(),
            steps: Vec::new(),
            resources: Vec::new(),
            next_id: 0,
        };
        for (name, resource) in &scenario.resources {
            let id = draft.new_id();
            draft.resources.push(ResourceDraft {
                id,
                name: name.clone(),
                capacity: resource.capacity.to_string(),
            });
        }
        for burst in &scenario.load.bursts {
            draft.push_burst(burst);
        }
        for step in &scenario.endpoint.steps {
            draft.push_step_row(step);
        }
        draft
    }

    fn push_burst(&mut self, burst: &sim::Burst) {
        let id = self.new_id();
        let fields = texts_of(&burst_fields(), schema::BURST, burst);
        self.bursts.push(Row { id, fields });
    }

    fn push_step_row(&mut self, step: &Step) {
        let id = self.new_id();
        let kind = if step.io_ms.is_some() {
            StepKind::Io
        } else {
            StepKind::Cpu
        };
        let fields = texts_of(&step_fields(kind), schema::STEP, step);
        let resource = match &step.resource {
            None => ResourceRef::None,
            Some(name) => match self.resources.iter().find(|r| &r.name == name) {
                Some(r) => ResourceRef::Row(r.id),
                None => ResourceRef::Missing(name.clone()),
            },
        };
        self.steps.push(StepDraft {
            kind,
            row: Row { id, fields },
            resource,
        });
    }

    fn new_id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// The text of a fixed field (see [`fields`]); empty for an unknown path.
    pub fn text(&self, path: &str) -> &str {
        self.fields.get(path).map(String::as_str).unwrap_or("")
    }

    /// The name of the resource row with this id.
    pub fn resource_name(&self, id: u32) -> Option<&str> {
        self.resources
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name.as_str())
    }

    /// Applies one edit. Edits that name a row or slot that does not exist do nothing.
    pub fn apply(&mut self, edit: Edit) {
        match edit {
            Edit::Set(slot, text) => self.set(&slot, text),
            Edit::AddBurst => self.push_burst(&sim::Burst::default()),
            Edit::RemoveBurst(i) if i < self.bursts.len() => {
                self.bursts.remove(i);
            }
            // New steps: 1 ms of CPU, or a 100 ms call.
            Edit::AddCpuStep => self.push_step_row(&Step::cpu(1.0)),
            Edit::AddIoStep => self.push_step_row(&Step::io(100.0, Dist::Fixed, None)),
            Edit::RemoveStep(i) if i < self.steps.len() => {
                self.steps.remove(i);
            }
            Edit::MoveStepUp(i) if i > 0 && i < self.steps.len() => self.steps.swap(i - 1, i),
            Edit::MoveStepDown(i) if i + 1 < self.steps.len() => self.steps.swap(i, i + 1),
            Edit::AddResource => {
                let id = self.new_id();
                let name = (1..)
                    .map(|n| format!("resource{n}"))
                    .find(|name| self.resources.iter().all(|r| &r.name != name))
                    .unwrap_or_default();
                self.resources.push(ResourceDraft {
                    id,
                    name,
                    capacity: "100".to_owned(),
                });
            }
            Edit::RemoveResource(i) if i < self.resources.len() => {
                let removed = self.resources.remove(i);
                // Steps that used it keep its name, so the engine says what is wrong.
                for step in &mut self.steps {
                    if step.resource == ResourceRef::Row(removed.id) {
                        step.resource = ResourceRef::Missing(removed.name.clone());
                    }
                }
            }
            _ => {}
        }
    }

    fn set(&mut self, slot: &str, text: String) {
        if let Some(value) = self.fields.get_mut(slot) {
            *value = text;
            return;
        }
        let Some((list, i, key)) = split_row_slot(slot) else {
            return;
        };
        match list {
            "load.bursts" => {
                if let Some(value) = self
                    .bursts
                    .get_mut(i)
                    .and_then(|row| row.fields.get_mut(key))
                {
                    *value = text;
                }
            }
            "endpoint.steps" => {
                let Some(step) = self.steps.get_mut(i) else {
                    return;
                };
                if key == "resource" {
                    step.resource = match text.parse::<u32>() {
                        Ok(id) if self.resources.iter().any(|r| r.id == id) => ResourceRef::Row(id),
                        _ if text.is_empty() => ResourceRef::None,
                        _ => return,
                    };
                } else if let Some(value) = step.row.fields.get_mut(key) {
                    *value = text;
                }
            }
            "resources" => {
                if let Some(r) = self.resources.get_mut(i) {
                    match key {
                        "name" => r.name = text,
                        "capacity" => r.capacity = text,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    /// Why a slot is not shown with the current choices, or `None` if it is shown.
    pub fn hidden_because(&self, slot: &str) -> Option<&'static str> {
        let when = match split_row_slot(slot) {
            None => schema::field(slot)?.when,
            Some(("load.bursts", _, _)) => schema::field("load.bursts")?.when,
            Some(("endpoint.steps", i, key)) => {
                let when = schema::STEP.iter().find(|f| f.path == key)?.when;
                let lognormal = self
                    .steps
                    .get(i)
                    .is_some_and(|s| s.row.text("dist") == "lognormal");
                if when == When::Lognormal && !lognormal {
                    return Some("it applies to log-normal latency");
                }
                return None;
            }
            Some(_) => return None,
        };
        let closed = self.text("load.kind") != "open";
        let sync_over_async = self.text("endpoint.style") == "sync_over_async";
        match when {
            When::ClosedLoad if !closed => Some("it applies to a closed load"),
            When::OpenLoad if closed => Some("it applies to an open load"),
            When::SyncOverAsync if !sync_over_async => {
                Some("it applies to the sync_over_async style")
            }
            When::SleepPoll if !sync_over_async || self.text("endpoint.wait") != "sleep_poll" => {
                Some("it applies to sync_over_async with the sleep_poll wait")
            }
            _ => None,
        }
    }
}
