//! The scenario editor's model, kept apart from the component so it is tested natively.
//!
//! A [`Draft`] holds every field of a scenario as the text the reader typed, so a half-typed
//! value such as `1e` is kept and reported rather than lost. [`check`] turns the draft into
//! scenario JSON, asks the engine's own parser ([`sim::parse_scenario`]) to read it, and maps
//! each [`FieldError`] back to the place in the form where it belongs. The editor never
//! decides whether a value is allowed: the engine does, with its own messages.
//!
//! The fields, their kinds, labels, units, defaults and when each applies are the engine's
//! field table ([`sim::schema`]); this file adds only words of the page (what each name is
//! called in a select, why a hidden field is hidden). A field added to the engine's table
//! shows up in the form by itself.
//!
//! Places in the form are named by *slots*. A slot is the engine's field path (`load.users`,
//! `endpoint.steps[1].io_ms`, `load.bursts[0].rate_per_s`), except for resources, whose
//! engine path carries the name being edited (`resources.db.capacity`); their slots use the
//! row instead (`resources[0].name`, `resources[0].capacity`), so renaming one does not
//! move its messages.
//!
//! The parts, a file each under `scenario_draft/`: `fields.rs` (the form's fields and
//! slots), `draft.rs` (the [`Draft`] and its [`Edit`]s), `json.rs` (the draft as JSON) and
//! `check.rs` ([`check`], and where each problem goes).

mod check;
mod draft;
mod fields;
mod json;

pub use check::{check, Checked, Problem};
pub use draft::{Draft, Edit, ResourceDraft, ResourceRef, Row, StepDraft, Texts};
pub use fields::{
    burst_fields, dom_id, fields, option_words, spec, split_row_slot, step_fields, FieldSpec, Kind,
    StepKind, OPTION_WORDS,
};

#[cfg(test)]
mod tests {
    use super::json::is_json_number;
    use super::*;
    use crate::curriculum::presets::{self, PRESETS};
    use sim::Scenario;

    const FILES: &[(&str, &str)] = &[
        (
            "async",
            include_str!("../../crates/sim/scenarios/async.json"),
        ),
        (
            "blocking",
            include_str!("../../crates/sim/scenarios/blocking.json"),
        ),
        (
            "cpu-bound-task-run",
            include_str!("../../crates/sim/scenarios/cpu-bound-task-run.json"),
        ),
        (
            "cpu-bound",
            include_str!("../../crates/sim/scenarios/cpu-bound.json"),
        ),
        (
            "db-bottleneck",
            include_str!("../../crates/sim/scenarios/db-bottleneck.json"),
        ),
        (
            "open-burst",
            include_str!("../../crates/sim/scenarios/open-burst.json"),
        ),
        (
            "sync-context-deadlock",
            include_str!("../../crates/sim/scenarios/sync-context-deadlock.json"),
        ),
        (
            "sync-over-async-sleep-poll",
            include_str!("../../crates/sim/scenarios/sync-over-async-sleep-poll.json"),
        ),
        (
            "sync-over-async",
            include_str!("../../crates/sim/scenarios/sync-over-async.json"),
        ),
        (
            "task-run-wrap",
            include_str!("../../crates/sim/scenarios/task-run-wrap.json"),
        ),
        (
            "tutorial-async",
            include_str!("../../crates/sim/scenarios/tutorial-async.json"),
        ),
        (
            "tutorial-result",
            include_str!("../../crates/sim/scenarios/tutorial-result.json"),
        ),
        (
            "tutorial-sleep-wait",
            include_str!("../../crates/sim/scenarios/tutorial-sleep-wait.json"),
        ),
    ];

    fn every_scenario() -> Vec<(String, Scenario)> {
        let mut out: Vec<(String, Scenario)> = PRESETS
            .iter()
            .map(|p| (format!("preset {}", p.slug), presets::scenario(p)))
            .collect();
        for (name, text) in FILES {
            let s = sim::parse_scenario(text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            out.push((format!("file {name}"), s));
        }
        // Every optional field present, a lognormal step, a burst, two resources.
        let mut full = Scenario::default();
        full.pool.min_threads = Some(8);
        full.pool.queue_limit = Some(0);
        full.pool.hill_climbing = true;
        full.load.think_ms = 12.5;
        full.load.bursts.push(sim::Burst::default());
        full.endpoint.steps[0].task_run = true;
        full.endpoint.steps[1].dist = sim::Dist::Lognormal;
        full.endpoint.steps[1].sigma = Some(0.25);
        full.endpoint.steps[1].complete_sync = 0.25;
        full.endpoint.steps[1].resource = Some("db.main".to_owned());
        full.resources
            .insert("db.main".to_owned(), sim::Resource { capacity: 3 });
        full.resources
            .insert("cache".to_owned(), sim::Resource { capacity: 9 });
        // A name that needs escaping in JSON.
        full.resources.insert(
            "say \"hi\" \\ tab\t".to_owned(),
            sim::Resource { capacity: 2 },
        );
        full.seed = u64::MAX;
        out.push(("full".to_owned(), full));
        out
    }

    fn edited(scenario: &Scenario, edits: Vec<Edit>) -> (Draft, Checked) {
        let mut draft = Draft::from_scenario(scenario);
        for edit in edits {
            draft.apply(edit);
        }
        let checked = check(&draft);
        (draft, checked)
    }

    fn set(slot: &str, text: &str) -> Edit {
        Edit::Set(slot.to_owned(), text.to_owned())
    }

    fn fields_of(checked: &Checked) -> Vec<(Option<&str>, &str)> {
        checked
            .problems
            .iter()
            .map(|p| (p.slot.as_deref(), p.error.field.as_str()))
            .collect()
    }

    /// FILES names every example scenario, so a new one is round-tripped too.
    #[test]
    fn every_example_file_is_listed() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/crates/sim/scenarios");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|name| name.strip_suffix(".json").map(str::to_owned))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = FILES.iter().map(|(n, _)| (*n).to_owned()).collect();
        listed.sort();
        assert_eq!(listed, on_disk);
    }

    #[test]
    fn every_preset_and_example_round_trips() {
        for (name, scenario) in every_scenario() {
            let draft = Draft::from_scenario(&scenario);
            let checked = check(&draft);
            assert_eq!(checked.problems, vec![], "{name}");
            assert_eq!(checked.scenario.as_ref(), Some(&scenario), "{name}");
            // And the draft of the result is the same draft, ids aside.
            let again = Draft::from_scenario(checked.scenario.as_ref().unwrap());
            assert_eq!(again, draft, "{name}");
        }
    }

    /// The form is the engine's table: every field but `version` has a place, every name a
    /// select option with words of its own.
    #[test]
    fn the_form_follows_the_engine_table() {
        let lists = ["load.bursts", "endpoint.steps", "resources"];
        for f in sim::schema::SCENARIO {
            let placed = spec(f.path).is_some() || lists.contains(&f.path);
            assert_eq!(placed, f.path != "version", "{}", f.path);
        }
        let steps: Vec<&str> = step_fields(StepKind::Cpu)
            .iter()
            .chain(&step_fields(StepKind::Io))
            .map(|f| f.path)
            .chain(["resource"])
            .collect();
        let engine: Vec<&str> = sim::schema::STEP.iter().map(|f| f.path).collect();
        assert_eq!(steps.len(), engine.len());
        assert!(engine.iter().all(|p| steps.contains(p)));
        // Words are only for names the engine has.
        assert!(OPTION_WORDS.iter().all(|(name, _)| {
            sim::schema::SCENARIO
                .iter()
                .filter_map(|f| match f.kind {
                    sim::schema::Kind::Name(names) => Some(names),
                    _ => None,
                })
                .chain(sim::schema::STEP.iter().filter_map(|f| match f.kind {
                    sim::schema::Kind::Name(names) => Some(names),
                    _ => None,
                }))
                .any(|names| names.contains(name))
        }));
    }

    #[test]
    fn every_fixed_field_reaches_its_engine_path() {
        let base = Scenario::default();
        for f in fields() {
            let bad = match f.kind {
                Kind::Flag => continue,
                Kind::Name(_) => "nonsense",
                _ => "1e",
            };
            let (_, checked) = edited(&base, vec![set(f.path, bad)]);
            assert_eq!(
                fields_of(&checked),
                vec![(Some(f.path), f.path)],
                "{}",
                f.path
            );
            assert!(checked.scenario.is_none());
        }
    }

    #[test]
    fn every_flag_reaches_the_scenario() {
        let base = Scenario::default();
        let (_, checked) = edited(
            &base,
            vec![
                set("pool.starvation_injection", "false"),
                set("pool.cooperative_blocking", "false"),
                set("pool.synchronization_context", "true"),
                set("pool.hill_climbing", "true"),
            ],
        );
        let s = checked.scenario.unwrap();
        assert!(s.pool.hill_climbing);
        assert!(!s.pool.starvation_injection);
        assert!(!s.pool.cooperative_blocking);
        assert!(s.pool.synchronization_context);
    }

    #[test]
    fn a_bad_value_is_reported_on_exactly_its_field_with_the_engine_message() {
        let base = presets::scenario(&PRESETS[0]);
        let (draft, checked) = edited(&base, vec![set("load.users", "0")]);
        assert_eq!(
            fields_of(&checked),
            vec![(Some("load.users"), "load.users")]
        );
        assert_eq!(
            checked.message("load.users").as_deref(),
            Some("must be between 1 and 100000")
        );
        assert_eq!(checked.message("load.think_ms"), None);
        assert!(checked.unplaced(&draft).is_empty());
        // A half-typed number stays in the draft as typed.
        let (draft, checked) = edited(&base, vec![set("load.think_ms", "1e")]);
        assert_eq!(draft.text("load.think_ms"), "1e");
        assert_eq!(
            checked.message("load.think_ms").as_deref(),
            Some("must be a number between 0 and 3600000")
        );
        // Fixing it clears the problem and gives back the scenario.
        let (_, checked) = edited(&base, vec![set("load.users", "0"), set("load.users", "7")]);
        assert!(checked.problems.is_empty());
        assert_eq!(checked.scenario.unwrap().load.users, 7);
    }

    #[test]
    fn empty_required_fields_are_errors_but_empty_optional_fields_mean_absent() {
        let base = Scenario::default();
        let (_, checked) = edited(&base, vec![set("machine.cores", " ")]);
        assert_eq!(
            fields_of(&checked),
            vec![(Some("machine.cores"), "machine.cores")]
        );
        let mut with_min = base.clone();
        with_min.pool.min_threads = Some(6);
        with_min.pool.queue_limit = Some(50);
        let (_, checked) = edited(
            &with_min,
            vec![set("pool.min_threads", ""), set("pool.queue_limit", "")],
        );
        let s = checked.scenario.unwrap();
        assert_eq!(s.pool.min_threads, None);
        assert_eq!(s.pool.queue_limit, None);
        // Numbers as people type them.
        let (_, checked) = edited(&base, vec![set("load.think_ms", " .5 ")]);
        assert_eq!(checked.scenario.unwrap().load.think_ms, 0.5);
    }

    #[test]
    fn relation_errors_land_on_the_field_the_engine_names() {
        let base = Scenario::default();
        let (_, checked) = edited(
            &base,
            vec![
                set("machine.stack_commit_kb", "2048"),
                set("pool.min_threads", "9"),
                set("pool.max_threads", "8"),
            ],
        );
        assert_eq!(
            fields_of(&checked),
            vec![
                (Some("machine.stack_commit_kb"), "machine.stack_commit_kb"),
                (Some("pool.min_threads"), "pool.min_threads"),
            ]
        );
    }

    #[test]
    fn step_errors_follow_the_steps_as_they_move() {
        let base = presets::scenario(&PRESETS[1]);
        // Add an I/O step (index 3) and break it.
        let (draft, checked) = edited(
            &base,
            vec![Edit::AddIoStep, set("endpoint.steps[3].io_ms", "-1")],
        );
        assert_eq!(draft.steps.len(), 4);
        assert_eq!(
            fields_of(&checked),
            vec![(Some("endpoint.steps[3].io_ms"), "endpoint.steps[3].io_ms")]
        );
        // Move it up twice: the engine now names index 1, and so does the form.
        let (draft, checked) = edited(
            &base,
            vec![
                Edit::AddIoStep,
                set("endpoint.steps[3].io_ms", "-1"),
                Edit::MoveStepUp(3),
                Edit::MoveStepUp(2),
            ],
        );
        assert_eq!(draft.steps[1].row.text("io_ms"), "-1");
        assert_eq!(
            fields_of(&checked),
            vec![(Some("endpoint.steps[1].io_ms"), "endpoint.steps[1].io_ms")]
        );
        // Remove the first step: index 0.
        let (_, checked) = edited(
            &base,
            vec![
                Edit::AddIoStep,
                set("endpoint.steps[3].io_ms", "-1"),
                Edit::MoveStepUp(3),
                Edit::MoveStepUp(2),
                Edit::RemoveStep(0),
            ],
        );
        assert_eq!(
            fields_of(&checked),
            vec![(Some("endpoint.steps[0].io_ms"), "endpoint.steps[0].io_ms")]
        );
        // Moving past either end does nothing.
        let (draft, _) = edited(&base, vec![Edit::MoveStepUp(0), Edit::MoveStepDown(2)]);
        assert_eq!(draft, Draft::from_scenario(&base));
    }

    #[test]
    fn added_steps_are_valid_and_reach_the_scenario() {
        let base = presets::scenario(&PRESETS[1]);
        let db = Draft::from_scenario(&base).resources[0].id.to_string();
        let (_, checked) = edited(
            &base,
            vec![
                Edit::AddCpuStep,
                set("endpoint.steps[3].task_run", "true"),
                Edit::AddIoStep,
                set("endpoint.steps[4].dist", "lognormal"),
                set("endpoint.steps[4].sigma", "1.5"),
                set("endpoint.steps[4].resource", &db),
            ],
        );
        let s = checked.scenario.unwrap();
        assert_eq!(s.endpoint.steps.len(), 5);
        assert_eq!(s.endpoint.steps[3].cpu_ms, Some(1.0));
        assert!(s.endpoint.steps[3].task_run);
        assert_eq!(s.endpoint.steps[4].io_ms, Some(100.0));
        assert_eq!(s.endpoint.steps[4].dist, sim::Dist::Lognormal);
        assert_eq!(s.endpoint.steps[4].sigma, Some(1.5));
        assert_eq!(s.endpoint.steps[4].resource.as_deref(), Some("db"));
        // With no steps at all the engine complains about the list.
        let (_, checked) = edited(
            &base,
            vec![
                Edit::RemoveStep(0),
                Edit::RemoveStep(0),
                Edit::RemoveStep(0),
            ],
        );
        assert_eq!(
            fields_of(&checked),
            vec![(Some("endpoint.steps"), "endpoint.steps")]
        );
    }

    #[test]
    fn task_run_on_an_io_step_is_impossible_but_a_sigma_kept_for_later_is_reported() {
        let base = presets::scenario(&PRESETS[1]);
        // Set a bad sigma while lognormal, then switch to fixed: the sigma is hidden but
        // still sent, so its problem is listed with the reason it cannot be seen.
        let (draft, checked) = edited(
            &base,
            vec![
                set("endpoint.steps[1].dist", "lognormal"),
                set("endpoint.steps[1].sigma", "9"),
                set("endpoint.steps[1].dist", "fixed"),
            ],
        );
        let unplaced = checked.unplaced(&draft);
        assert_eq!(unplaced.len(), 1);
        assert_eq!(unplaced[0].0.field, "endpoint.steps[1].sigma");
        assert_eq!(unplaced[0].1, Some("it applies to log-normal latency"));
    }

    #[test]
    fn hidden_fields_keep_their_drafts() {
        let base = presets::scenario(&PRESETS[0]);
        let (draft, checked) = edited(
            &base,
            vec![
                set("load.kind", "open"),
                set("load.rate_per_s", "250"),
                Edit::AddBurst,
                set("load.bursts[0].rate_per_s", "x"),
                set("load.kind", "closed"),
            ],
        );
        assert_eq!(draft.text("load.rate_per_s"), "250");
        assert_eq!(draft.bursts[0].text("rate_per_s"), "x");
        assert_eq!(
            checked.unplaced(&draft),
            vec![(
                &checked.problems[0].error,
                Some("it applies to an open load")
            )]
        );
        let (_, checked) = edited(
            &base,
            vec![
                set("load.kind", "open"),
                set("load.rate_per_s", "250"),
                Edit::AddBurst,
                Edit::AddBurst,
                set("load.bursts[1].start_ms", "500"),
                Edit::RemoveBurst(0),
            ],
        );
        let s = checked.scenario.unwrap();
        assert_eq!(s.load.kind, sim::LoadKind::Open);
        assert_eq!(s.load.rate_per_s, 250.0);
        assert_eq!(s.load.users, base.load.users);
        assert_eq!(s.load.bursts.len(), 1);
        assert_eq!(s.load.bursts[0].start_ms, 500);
    }

    #[test]
    fn resources_rename_remove_and_report_by_row() {
        let base = presets::scenario(&PRESETS[0]);
        // Renaming carries the step that uses it.
        let (_, checked) = edited(&base, vec![set("resources[0].name", "database")]);
        let s = checked.scenario.unwrap();
        assert!(s.resources.contains_key("database"));
        assert_eq!(s.endpoint.steps[1].resource.as_deref(), Some("database"));
        // A bad capacity is shown on its row, whatever the name.
        let (_, checked) = edited(
            &base,
            vec![
                Edit::AddResource,
                set("resources[1].name", "cache.eu"),
                set("resources[1].capacity", "0"),
            ],
        );
        assert_eq!(
            fields_of(&checked),
            vec![(Some("resources[1].capacity"), "resources.cache.eu.capacity")]
        );
        // Empty and repeated names.
        let (_, checked) = edited(&base, vec![Edit::AddResource, set("resources[1].name", "")]);
        assert_eq!(
            fields_of(&checked),
            vec![(Some("resources[1].name"), "resources")]
        );
        let (_, checked) = edited(
            &base,
            vec![Edit::AddResource, set("resources[1].name", "db")],
        );
        assert_eq!(
            fields_of(&checked),
            vec![(Some("resources[1].name"), "resources")]
        );
        assert!(checked.scenario.is_none());
        // Removing a resource a step uses leaves the step pointing at the old name, which the
        // engine reports on the step.
        let (draft, checked) = edited(&base, vec![Edit::RemoveResource(0)]);
        assert_eq!(
            draft.steps[1].resource,
            ResourceRef::Missing("db".to_owned())
        );
        assert_eq!(
            fields_of(&checked),
            vec![(
                Some("endpoint.steps[1].resource"),
                "endpoint.steps[1].resource"
            )]
        );
        // Choosing none clears it.
        let (_, checked) = edited(
            &base,
            vec![
                Edit::RemoveResource(0),
                set("endpoint.steps[1].resource", ""),
            ],
        );
        assert_eq!(checked.scenario.unwrap().endpoint.steps[1].resource, None);
    }

    #[test]
    fn new_resources_get_free_names() {
        let (draft, checked) = edited(
            &Scenario::default(),
            vec![Edit::AddResource, Edit::AddResource],
        );
        assert_eq!(draft.resources[0].name, "resource1");
        assert_eq!(draft.resources[1].name, "resource2");
        assert!(checked.problems.is_empty());
    }

    #[test]
    fn json_numbers_are_recognised_as_serde_json_reads_them() {
        for text in [
            "0",
            "-0",
            "7",
            "120",
            "0.5",
            "-3.25",
            "1e3",
            "1E+3",
            "2.5e-2",
            "18446744073709551615",
        ] {
            assert!(is_json_number(text), "{text}");
            assert!(
                serde_json::from_str::<serde_json::Number>(text).is_ok(),
                "{text}"
            );
        }
        for text in [
            "", "-", "01", "1.", ".5", "1e", "1e+", "+1", "0x10", "1 2", "NaN", "inf", "1,5",
        ] {
            assert!(!is_json_number(text), "{text}");
        }
    }

    #[test]
    fn slots_split_and_become_dom_ids() {
        assert_eq!(
            split_row_slot("endpoint.steps[12].io_ms"),
            Some(("endpoint.steps", 12, "io_ms"))
        );
        assert_eq!(
            split_row_slot("endpoint.steps[2]"),
            Some(("endpoint.steps", 2, ""))
        );
        assert_eq!(split_row_slot("load.users"), None);
        assert_eq!(
            dom_id("endpoint.steps[1].io_ms"),
            "ed-endpoint-steps-1--io_ms"
        );
    }
}
