//! Reading and checking scenarios. The JSON is walked by hand (not with `serde`'s derive)
//! so that one pass reports *every* problem at once: wrong types, unknown fields (with the
//! closest known name) and out-of-range values, each naming its field path, the value given
//! and what is allowed. The walk and the range checks follow the field table
//! ([`crate::schema`]); the checks that relate fields are code, in `check_relations`.
//! Nothing here panics on any input.

use std::fmt;

use serde_json::{Map, Value};

use crate::decimal::shortest;
use crate::scenario::{Dist, Scenario, SCENARIO_VERSION};
use crate::schema::{self, split, Field, Key, Kind, ReadRecords, Records, Val, RESOURCE_NAME_MAX};
pub use crate::schema::{MAX_THREADS_LIMIT, STEPS_MAX};

/// One problem with a scenario.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldError {
    /// The field's path, like `load.users` or `endpoint.steps[1].io_ms`.
    pub field: String,
    /// The value given, as JSON text (empty when the problem is a missing or whole document).
    pub value: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}: {}", self.field, self.message)
        } else {
            write!(f, "{} = {}: {}", self.field, self.value, self.message)
        }
    }
}

impl std::error::Error for FieldError {}

/// Longest value text quoted back in an error.
const VALUE_TEXT_MAX: usize = 60;

fn value_text(value: &Value) -> String {
    let mut text = value.to_string();
    if text.len() > VALUE_TEXT_MAX {
        let mut cut = VALUE_TEXT_MAX;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

fn range_message(min: u64, max: u64) -> String {
    if min == max {
        format!("must be {min}")
    } else if max == u64::MAX {
        format!("must be a whole number ≥ {min}")
    } else {
        format!("must be between {min} and {max}")
    }
}

fn float_range_message(min: f64, max: f64) -> String {
    format!(
        "must be a number between {} and {}",
        shortest(min),
        shortest(max)
    )
}

/// What a list of `len` items is called in a message: `[3 items]`, or `{3 entries}` for
/// an object of named ones.
fn count_text(kind: Kind, len: usize) -> String {
    match kind {
        Kind::Map { .. } => format!("{{{len} entries}}"),
        _ => format!("[{len} items]"),
    }
}

/// The problem with a list's length, if it has one.
fn length_problem(kind: Kind, len: usize) -> Option<String> {
    match kind {
        Kind::List { min, max, noun, .. } if len < min || len > max => Some(if min == 0 {
            format!("at most {max} {noun}")
        } else {
            format!("must have between {min} and {max} {noun}")
        }),
        Kind::Map { max, noun, .. } if len > max => Some(format!("at most {max} {noun}")),
        _ => None,
    }
}

/// Collects errors while walking or checking.
#[derive(Default)]
struct Errors {
    list: Vec<FieldError>,
}

impl Errors {
    fn push(&mut self, field: &str, value: String, message: String) {
        self.list.push(FieldError {
            field: field.to_owned(),
            value,
            message,
        });
    }

    /// Checks a typed value against its field's range.
    fn check<T>(&mut self, path: &str, f: &Field<T>, value: Val<'_>) {
        if f.allows(value) {
            return;
        }
        match (f.kind, value) {
            (Kind::Int { min, max }, Val::Int(n)) => {
                self.push(path, n.to_string(), range_message(min, max));
            }
            (Kind::Float { min, max }, Val::Float(x)) => {
                self.push(path, shortest(x), float_range_message(min, max));
            }
            _ => {}
        }
    }

    /// Checks every field of a list's item.
    fn check_record<T>(&mut self, path: &str, fields: &[Field<T>], item: &T) {
        for f in fields {
            self.check(&join(path, f.path), f, (f.get)(item));
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Edit distance, for "did you mean" hints. Inputs are short field names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    if name.chars().count() > 64 {
        return None;
    }
    let limit = (name.len() / 3).max(2);
    known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// The JSON walker: reads typed values with defaults, recording every problem.
struct Walker {
    errors: Errors,
}

impl Walker {
    /// Returns the object at `value`, reporting a wrong type and any unknown keys.
    fn object<'v>(
        &mut self,
        path: &str,
        value: &'v Value,
        known: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Some(map) = value.as_object() else {
            let field = if path.is_empty() { "(document)" } else { path };
            self.errors.push(
                field,
                value_text(value),
                "must be an object ({ ... })".to_owned(),
            );
            return None;
        };
        for key in map.keys() {
            if !known.contains(&key.as_str()) {
                let message = match closest(key, known) {
                    Some(guess) => format!("unknown field (did you mean \"{guess}\"?)"),
                    None => format!("unknown field (known fields: {})", known.join(", ")),
                };
                // An empty key is named as JSON writes it, so the field is never blank.
                let name = if key.is_empty() { "\"\"" } else { key.as_str() };
                self.errors.push(&join(path, name), String::new(), message);
            }
        }
        Some(map)
    }

    fn present<'v>(map: Option<&'v Map<String, Value>>, key: &str) -> Option<&'v Value> {
        map.and_then(|m| m.get(key)).filter(|v| !v.is_null())
    }

    /// Reads a value of a field's kind, or reports why it cannot be one.
    fn read<'v>(&mut self, path: &str, kind: Kind, value: &'v Value) -> Option<Val<'v>> {
        let problem = match kind {
            Kind::Int { min, max } => match value.as_u64() {
                Some(n) if n >= min && n <= max => return Some(Val::Int(n)),
                _ if value.is_number() => range_message(min, max),
                _ => format!("must be a whole number; {}", range_message(min, max)),
            },
            Kind::Float { min, max } => match value.as_f64() {
                Some(x) if x.is_finite() && x >= min && x <= max => return Some(Val::Float(x)),
                _ => float_range_message(min, max),
            },
            Kind::Bool => match value.as_bool() {
                Some(b) => return Some(Val::Bool(b)),
                None => "must be true or false".to_owned(),
            },
            Kind::Name(names) => {
                let text = value.as_str();
                if let Some(name) = names.iter().find(|n| Some(**n) == text) {
                    return Some(Val::Name(name));
                }
                let choices = names
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                let hint = text
                    .and_then(|s| closest(s, names))
                    .map(|g| format!(" (did you mean \"{g}\"?)"))
                    .unwrap_or_default();
                format!("must be one of {choices}{hint}")
            }
            Kind::ResourceName => match value {
                Value::String(name) => return Some(Val::Text(name)),
                _ => "must be the name of a resource (a string)".to_owned(),
            },
            Kind::List { .. } | Kind::Map { .. } => return None,
        };
        self.errors.push(path, value_text(value), problem);
        None
    }

    /// Reads a list's item (a burst, a step, a resource) into `target`, which holds its
    /// defaults.
    fn record<T>(&mut self, path: &str, value: &Value, fields: &[Field<T>], target: &mut T) {
        let known: Vec<&str> = fields.iter().map(|f| f.path).collect();
        let map = self.object(path, value, &known);
        for f in fields {
            let Some(v) = Self::present(map, f.path) else {
                continue;
            };
            if let Some(val) = self.read(&join(path, f.path), f.kind, v) {
                (f.set)(target, val);
            }
        }
    }

    /// The scenario: its fields in the table's order, a group's (`machine.…`) read from the
    /// group's own object; what is absent keeps its default.
    fn scenario(&mut self, value: &Value) -> Scenario {
        let mut s = Scenario::default();
        let mut known: Vec<&str> = Vec::new();
        for f in schema::SCENARIO {
            let top = match split(f.path) {
                ("", key) => key,
                (group, _) => group,
            };
            if !known.contains(&top) {
                known.push(top);
            }
        }
        let map = self.object("", value, &known);
        if map.is_some() && Self::present(map, "version").is_none() {
            self.errors.push(
                "version",
                String::new(),
                format!("missing; must be {SCENARIO_VERSION}"),
            );
        }
        let mut rest = schema::SCENARIO;
        while let Some(first) = rest.first() {
            let group = split(first.path).0;
            let n = if group.is_empty() {
                1
            } else {
                rest.iter().take_while(|f| split(f.path).0 == group).count()
            };
            let (these, after) = rest.split_at(n);
            rest = after;
            let inner = if group.is_empty() {
                map
            } else {
                let Some(v) = Self::present(map, group) else {
                    continue;
                };
                let keys: Vec<&str> = these.iter().map(|f| f.key()).collect();
                match self.object(group, v, &keys) {
                    Some(inner) => Some(inner),
                    None => continue,
                }
            };
            for f in these {
                let Some(v) = Self::present(inner, f.key()) else {
                    continue;
                };
                if matches!(f.kind, Kind::List { .. } | Kind::Map { .. }) {
                    self.list(f, v, &mut s);
                } else if let Some(val) = self.read(f.path, f.kind, v) {
                    (f.set)(&mut s, val);
                }
            }
        }
        s
    }

    /// A list of the scenario (`load.bursts`, `endpoint.steps`, `resources`): its shape and
    /// length, then its items, which [`schema::List::read`] puts in their place.
    fn list(&mut self, f: &Field<Scenario>, value: &Value, s: &mut Scenario) {
        let len = match (f.kind, value) {
            (Kind::Map { .. }, Value::Object(map)) => map.len(),
            (Kind::List { .. }, Value::Array(items)) => items.len(),
            (Kind::Map { noun, .. }, _) => {
                let message = format!("must be an object of named {noun}");
                self.errors.push(f.path, value_text(value), message);
                return;
            }
            (Kind::List { noun, .. }, _) => {
                let message = format!("must be a list of {noun}");
                self.errors.push(f.path, value_text(value), message);
                return;
            }
            _ => return,
        };
        if let Some(message) = length_problem(f.kind, len) {
            self.errors.push(f.path, count_text(f.kind, len), message);
            return;
        }
        if let Some(list) = f.kind.list() {
            let mut items = ItemReader {
                walker: self,
                path: f.path,
            };
            list.read(s, value, &mut items);
        }
    }
}

/// Reads the items of the list at `path` with the walker, each named by its own path.
struct ItemReader<'w> {
    walker: &'w mut Walker,
    path: &'static str,
}

impl ReadRecords for ItemReader<'_> {
    fn read<T>(&mut self, key: Key<'_>, value: &Value, fields: &'static [Field<T>], item: &mut T) {
        self.walker
            .record(&key.path(self.path), value, fields, item);
    }
}

/// Checks the ranges of the items of the list at `path`.
struct ItemChecker<'e> {
    errors: &'e mut Errors,
    path: &'static str,
}

impl Records for ItemChecker<'_> {
    fn record<T>(&mut self, key: Key<'_>, fields: &'static [Field<T>], item: &T, _: &T) {
        self.errors.check_record(&key.path(self.path), fields, item);
    }
}

/// Parses scenario JSON, filling defaults for missing fields and reporting every problem.
pub fn parse_scenario(text: &str) -> Result<Scenario, Vec<FieldError>> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Err(vec![FieldError {
                field: "(document)".to_owned(),
                value: String::new(),
                message: format!("not valid JSON: {e}"),
            }])
        }
    };
    let mut walker = Walker {
        errors: Errors::default(),
    };
    let scenario = walker.scenario(&value);
    // Ranges were checked while walking; only the checks that relate fields remain.
    check_relations(&scenario, &mut walker.errors);
    if walker.errors.list.is_empty() {
        Ok(scenario)
    } else {
        Err(walker.errors.list)
    }
}

fn check_ranges(s: &Scenario, e: &mut Errors) {
    for f in schema::SCENARIO {
        let Some(list) = f.kind.list() else {
            e.check(f.path, f, (f.get)(s));
            continue;
        };
        let len = list.len(s);
        if let Some(message) = length_problem(f.kind, len) {
            e.push(f.path, count_text(f.kind, len), message);
        }
        let mut items = ItemChecker {
            errors: e,
            path: f.path,
        };
        list.each(s, &mut items);
    }
}

fn check_relations(s: &Scenario, e: &mut Errors) {
    let m = &s.machine;
    if m.stack_commit_kb > m.stack_reserve_kb {
        e.push(
            "machine.stack_commit_kb",
            m.stack_commit_kb.to_string(),
            format!(
                "must not exceed machine.stack_reserve_kb ({})",
                m.stack_reserve_kb
            ),
        );
    }
    if let Some(min) = s.pool.min_threads {
        if min > s.pool.max_threads {
            e.push(
                "pool.min_threads",
                min.to_string(),
                format!("must not exceed pool.max_threads ({})", s.pool.max_threads),
            );
        }
    } else if m.cores > s.pool.max_threads {
        e.push(
            "pool.max_threads",
            s.pool.max_threads.to_string(),
            format!(
                "must be at least pool.min_threads, which defaults to machine.cores ({})",
                m.cores
            ),
        );
    }
    for name in s.resources.keys() {
        if name.is_empty() || name.chars().count() > RESOURCE_NAME_MAX {
            e.push(
                "resources",
                format!("\"{name}\""),
                format!("resource names must have 1 to {RESOURCE_NAME_MAX} characters"),
            );
        }
    }
    if s.load.kind == crate::scenario::LoadKind::Closed
        && crate::time::ms_to_us(s.load.think_ms) == 0
        && s.pool.work_item_us == 0
        && s.endpoint.steps.iter().all(|step| {
            // A call that always completes synchronously takes no time whatever its io_ms.
            let io_us = if step.complete_sync >= 1.0 {
                0
            } else {
                crate::time::ms_to_us(step.io_ms.unwrap_or(0.0))
            };
            crate::time::ms_to_us(step.cpu_ms.unwrap_or(0.0)) == 0 && io_us == 0
        })
    {
        // Every request would take zero time and every user would send the next one at
        // once: the clock could never move.
        e.push(
            "endpoint.steps",
            String::new(),
            "every step costs 0 µs (an I/O step with complete_sync = 1 never waits), pool.work_item_us is 0 and load.think_ms is 0: closed-loop users would send requests endlessly at one instant; give a step some cost or set load.think_ms above 0".to_owned(),
        );
    }
    let names: Vec<&str> = s.resources.keys().map(String::as_str).collect();
    for (i, step) in s.endpoint.steps.iter().enumerate() {
        let p = format!("endpoint.steps[{i}]");
        match (step.cpu_ms, step.io_ms) {
            (Some(_), Some(_)) => e.push(
                &p,
                String::new(),
                "has both cpu_ms and io_ms; a step is either CPU work or an I/O call".to_owned(),
            ),
            (None, None) => e.push(
                &p,
                String::new(),
                "needs cpu_ms (CPU work) or io_ms (an I/O call)".to_owned(),
            ),
            (Some(_), None) => {
                if step.dist != Dist::Fixed
                    || step.sigma.is_some()
                    || step.resource.is_some()
                    || step.complete_sync != 0.0
                {
                    e.push(
                        &p,
                        String::new(),
                        "dist, sigma, resource and complete_sync belong to I/O steps (io_ms), not CPU steps"
                            .to_owned(),
                    );
                }
            }
            (None, Some(_)) => {
                if step.task_run {
                    e.push(
                        &join(&p, "task_run"),
                        "true".to_owned(),
                        "applies to CPU steps; to wrap I/O in Task.Run use endpoint.style = \"task_run_wrap\"".to_owned(),
                    );
                }
            }
        }
        if let Some(res) = &step.resource {
            if !s.resources.contains_key(res) {
                let hint = closest(res, &names)
                    .map(|g| format!(" (did you mean \"{g}\"?)"))
                    .unwrap_or_default();
                e.push(
                    &join(&p, "resource"),
                    format!("\"{res}\""),
                    format!("is not a key of resources{hint}"),
                );
            }
        }
    }
}

impl Scenario {
    /// Checks every range and relation; returns every problem at once.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::default();
        check_ranges(self, &mut errors);
        check_relations(self, &mut errors);
        if errors.list.is_empty() {
            Ok(())
        } else {
            Err(errors.list)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_and_suggestion() {
        assert_eq!(edit_distance("usres", "users"), 2);
        assert_eq!(closest("usres", &["users", "kind"]), Some("users"));
        assert_eq!(closest("zzzzzz", &["users", "kind"]), None);
    }

    #[test]
    fn an_empty_key_is_named_as_json_writes_it() {
        // Found by the parser's property test: the field of such an error was blank.
        let err = parse_scenario(r#"{ "version": 1, "": 1, "machine": { "": 2 } }"#)
            .expect_err("unknown keys");
        let fields: Vec<&str> = err.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["\"\"", "machine.\"\""]);
    }
}
