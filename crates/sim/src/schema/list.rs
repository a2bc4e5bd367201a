//! The scenario's lists (bursts, steps, resources): the one place that reaches a list's
//! items by their type, so the parser, the checks and the writer handle every list alike.

use serde_json::Value;

use super::{Field, BURST, RESOURCE, STEP};
use crate::scenario::{Burst, Endpoint, Resource, Scenario, Step};

/// One of the scenario's lists of records. Each knows its items' type and field table,
/// so that the code reaching a list's items is here, once, and the parser, the checks
/// and the writer handle every list alike through [`Records`] and [`ReadRecords`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    /// `load.bursts`: [`Burst`]s, fields [`BURST`].
    Bursts,
    /// `endpoint.steps`: [`Step`]s, fields [`STEP`].
    Steps,
    /// `resources`: named [`Resource`]s, fields [`RESOURCE`].
    Resources,
}

/// Where an item sits in its list: the index in a JSON array, or the name in an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key<'a> {
    /// `load.bursts[2]`.
    Index(usize),
    /// `resources.db`.
    Name(&'a str),
}

impl Key<'_> {
    /// The item's path in the scenario, as messages name it: `endpoint.steps[1]`,
    /// `resources.db`.
    pub fn path(self, list: &str) -> String {
        match self {
            Key::Index(i) => format!("{list}[{i}]"),
            Key::Name(name) => format!("{list}.{name}"),
        }
    }
}

/// Visits a list's items with their field table and default, for the checks and the
/// writer. The method is generic (one copy per item type, three in all) rather than
/// `dyn`, which cannot be generic.
pub trait Records {
    /// One item: where it sits, its record type's fields, the item and that type's
    /// default.
    fn record<T>(&mut self, key: Key<'_>, fields: &'static [Field<T>], item: &T, default: &T);
}

/// Reads a list's items from JSON, for the parser.
pub trait ReadRecords {
    /// Reads the item at `key` from `value` into `item`, which holds its defaults.
    fn read<T>(&mut self, key: Key<'_>, value: &Value, fields: &'static [Field<T>], item: &mut T);
}

impl List {
    /// How many items the scenario's list has.
    pub fn len(self, s: &Scenario) -> usize {
        match self {
            List::Bursts => s.load.bursts.len(),
            List::Steps => s.endpoint.steps.len(),
            List::Resources => s.resources.len(),
        }
    }

    /// Whether the scenario's list is its default, so the short form may leave it out.
    pub fn is_default(self, s: &Scenario) -> bool {
        match self {
            List::Bursts => s.load.bursts.is_empty(),
            List::Steps => s.endpoint.steps == Endpoint::default().steps,
            List::Resources => s.resources.is_empty(),
        }
    }

    /// Whether an item leaves out its fields equal to the default in every written form,
    /// not only the short one: a step's I/O fields are refused on a CPU step and the
    /// other way round, so a CPU step is written `{"cpu_ms": 1}`.
    pub fn items_skip_defaults(self) -> bool {
        self == List::Steps
    }

    /// Visits the scenario's items in order (a map's by name).
    pub fn each(self, s: &Scenario, v: &mut impl Records) {
        match self {
            List::Bursts => {
                let default = Burst::default();
                for (i, b) in s.load.bursts.iter().enumerate() {
                    v.record(Key::Index(i), BURST, b, &default);
                }
            }
            List::Steps => {
                let default = Step::default();
                for (i, step) in s.endpoint.steps.iter().enumerate() {
                    v.record(Key::Index(i), STEP, step, &default);
                }
            }
            List::Resources => {
                let default = Resource::default();
                for (name, r) in &s.resources {
                    v.record(Key::Name(name), RESOURCE, r, &default);
                }
            }
        }
    }

    /// Sets the scenario's list to the items of `value` (an array, or an object for a
    /// map), each read by `r` onto its type's default. A value of the wrong shape leaves
    /// the list as it is: the parser has reported it.
    pub fn read(self, s: &mut Scenario, value: &Value, r: &mut impl ReadRecords) {
        match (self, value) {
            (List::Bursts, Value::Array(items)) => {
                s.load.bursts = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let mut b = Burst::default();
                        r.read(Key::Index(i), v, BURST, &mut b);
                        b
                    })
                    .collect();
            }
            (List::Steps, Value::Array(items)) => {
                s.endpoint.steps = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let mut step = Step::default();
                        r.read(Key::Index(i), v, STEP, &mut step);
                        step
                    })
                    .collect();
            }
            (List::Resources, Value::Object(map)) => {
                for (name, v) in map {
                    let mut res = Resource::default();
                    r.read(Key::Name(name), v, RESOURCE, &mut res);
                    s.resources.insert(name.clone(), res);
                }
            }
            _ => {}
        }
    }
}
