//! Checking a draft: the engine parses and validates its JSON, and each problem is placed
//! on the slot of the form where it belongs.

use sim::schema;
use sim::{FieldError, Scenario};

use super::draft::Draft;
use super::fields::{burst_fields, split_row_slot, step_fields, StepKind};

/// A problem, placed where the form shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The slot it belongs to; `None` when the form has no place for it.
    pub slot: Option<String>,
    pub error: FieldError,
}

/// The outcome of checking a draft.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    /// The scenario the engine accepted; `None` while any problem exists.
    pub scenario: Option<Scenario>,
    /// Every problem, in the engine's order, then the editor's own.
    pub problems: Vec<Problem>,
}

impl Checked {
    /// The messages to show next to a slot, joined; `None` if it has none.
    pub fn message(&self, slot: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .problems
            .iter()
            .filter(|p| p.slot.as_deref() == Some(slot))
            .map(|p| p.error.message.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join("; "))
    }

    /// Problems that no visible field shows: those with no slot, or whose field the current
    /// choices hide. Each comes with the reason it is hidden, if it is.
    pub fn unplaced<'a>(&'a self, draft: &Draft) -> Vec<(&'a FieldError, Option<&'static str>)> {
        self.problems
            .iter()
            .filter_map(|p| match &p.slot {
                None => Some((&p.error, None)),
                Some(slot) => draft.hidden_because(slot).map(|why| (&p.error, Some(why))),
            })
            .collect()
    }
}

/// Builds the draft's JSON, has the engine parse and validate it, and places each problem.
/// Also reports what JSON cannot say: two resources with the same name.
pub fn check(draft: &Draft) -> Checked {
    let text = draft.to_json();
    let (scenario, errors) = match sim::parse_scenario(&text) {
        Ok(s) => (Some(s), Vec::new()),
        Err(errors) => (None, errors),
    };
    // A step whose only number was rejected is also reported as having neither cpu_ms
    // nor io_ms; that follows from the first problem, so only the first is shown.
    let consequence = |e: &FieldError| {
        e.field.starts_with("endpoint.steps[")
            && e.value.is_empty()
            && errors
                .iter()
                .any(|other| other.field.starts_with(&format!("{}.", e.field)))
    };
    let kept: Vec<FieldError> = errors.iter().filter(|e| !consequence(e)).cloned().collect();
    let mut problems: Vec<Problem> = kept
        .into_iter()
        .map(|error| Problem {
            slot: draft.slot_of(&error),
            error,
        })
        .collect();
    for (i, r) in draft.resources.iter().enumerate() {
        if draft.resources[..i]
            .iter()
            .any(|other| other.name == r.name)
        {
            problems.push(Problem {
                slot: Some(format!("resources[{i}].name")),
                error: FieldError {
                    field: "resources".to_owned(),
                    value: format!("\"{}\"", r.name),
                    message: "another resource already has this name".to_owned(),
                },
            });
        }
    }
    Checked {
        scenario: if problems.is_empty() { scenario } else { None },
        problems,
    }
}

impl Draft {
    /// Whether the form has a place for this slot (shown or hidden by a choice).
    fn has_slot(&self, slot: &str) -> bool {
        let is_list = |f: &schema::Field<Scenario>| {
            matches!(f.kind, schema::Kind::List { .. } | schema::Kind::Map { .. })
        };
        if self.fields.contains_key(slot) || schema::field(slot).is_some_and(is_list) {
            return true;
        }
        let Some((list, i, key)) = split_row_slot(slot) else {
            return false;
        };
        match list {
            "load.bursts" => {
                i < self.bursts.len()
                    && (key.is_empty() || burst_fields().iter().any(|f| f.path == key))
            }
            "endpoint.steps" => self.steps.get(i).is_some_and(|s| {
                let specs = step_fields(s.kind);
                key.is_empty()
                    || specs.iter().any(|f| f.path == key)
                    || (key == "resource" && s.kind == StepKind::Io)
            }),
            "resources" => i < self.resources.len() && matches!(key, "name" | "capacity"),
            _ => false,
        }
    }

    /// The slot where an engine error belongs, if the form has one.
    fn slot_of(&self, error: &FieldError) -> Option<String> {
        if let Some(rest) = error.field.strip_prefix("resources.") {
            // `resources.<name>.capacity` (or the entry itself); names may hold dots, so
            // match whole names rather than splitting.
            let i = self.resources.iter().position(|r| {
                rest == r.name || rest.strip_prefix(r.name.as_str()) == Some(".capacity")
            })?;
            return Some(format!("resources[{i}].capacity"));
        }
        if error.field == "resources" {
            // A bad name is reported on `resources` with the name, quoted, as the value.
            if let Some(i) = self
                .resources
                .iter()
                .position(|r| error.value == format!("\"{}\"", r.name))
            {
                return Some(format!("resources[{i}].name"));
            }
        }
        self.has_slot(&error.field).then(|| error.field.clone())
    }
}
