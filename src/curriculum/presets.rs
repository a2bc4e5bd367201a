//! Named scenarios the stage can load. Each is written in the public scenario format
//! (`crates/sim/SCENARIO.md`), so the same text could be exported, linked or fed to the CLI.

use sim::Style;

/// One ready-made scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    pub slug: &'static str,
    pub name: &'static str,
    /// The C# shape of the endpoint, shown beside the name.
    pub code: &'static str,
    pub json: &'static str,
    /// The endpoint style that replaces the one in `json`, so presets that differ only in
    /// style can share one scenario text.
    pub style: Option<Style>,
}

// The first four presets share one load so they can be compared: 4 cores, 40 users sending
// requests back to back, each request 1 ms of CPU, a 200 ms database query, 1 ms of CPU.
// With blocking I/O that needs ~40 threads, far above the pool's minimum of 4.
const COMPARE_BASE: &str = r#"{ "version": 1, "seed": 42, "duration_ms": 20000,
  "machine": { "cores": 4 },
  "load": { "kind": "closed", "users": 40, "think_ms": 0, "ramp_ms": 200, "timeout_ms": 10000 },
  "endpoint": { "style": "blocking",
    "steps": [ { "cpu_ms": 1 }, { "io_ms": 200, "dist": "exponential", "resource": "db" }, { "cpu_ms": 1 } ] },
  "resources": { "db": { "capacity": 100 } } }"#;

pub const PRESETS: &[Preset] = &[
    Preset {
        slug: "blocking",
        name: "Blocking I/O",
        code: "var users = db.Users.ToList();",
        json: COMPARE_BASE,
        style: Some(Style::Blocking),
    },
    Preset {
        slug: "async",
        name: "Async I/O",
        code: "var users = await db.Users.ToListAsync();",
        json: COMPARE_BASE,
        style: Some(Style::Async),
    },
    Preset {
        slug: "sync-over-async",
        name: ".Result (sync over async)",
        code: "var users = db.Users.ToListAsync().Result;",
        json: COMPARE_BASE,
        style: Some(Style::SyncOverAsync),
    },
    Preset {
        slug: "task-run-wrap",
        name: "Task.Run around blocking I/O",
        code: "var users = await Task.Run(() => db.Users.ToList());",
        json: COMPARE_BASE,
        style: Some(Style::TaskRunWrap),
    },
    Preset {
        slug: "heavy-async",
        name: "Heavy: 10,000 users, async",
        code: "var users = await db.Users.ToListAsync();",
        json: r#"{ "version": 1, "seed": 42, "duration_ms": 30000,
  "machine": { "cores": 8 },
  "load": { "kind": "closed", "users": 10000, "think_ms": 1000, "think_dist": "exponential",
            "ramp_ms": 2000, "timeout_ms": 10000 },
  "endpoint": { "style": "async",
    "steps": [ { "cpu_ms": 0.2 }, { "io_ms": 50, "dist": "exponential", "resource": "db" }, { "cpu_ms": 0.2 } ] },
  "resources": { "db": { "capacity": 1000 } } }"#,
        style: None,
    },
    Preset {
        slug: "heavy-blocking",
        name: "Heavy: 1,000 threads, blocking",
        code: "var users = db.Users.ToList();",
        json: r#"{ "version": 1, "seed": 42, "duration_ms": 30000,
  "machine": { "cores": 8 },
  "pool": { "min_threads": 1000, "max_threads": 2000 },
  "load": { "kind": "closed", "users": 1500, "think_ms": 50, "think_dist": "exponential",
            "ramp_ms": 2000, "timeout_ms": 10000 },
  "endpoint": { "style": "blocking",
    "steps": [ { "cpu_ms": 0.5 }, { "io_ms": 200, "dist": "exponential", "resource": "db" }, { "cpu_ms": 0.5 } ] },
  "resources": { "db": { "capacity": 2000 } } }"#,
        style: None,
    },
];

/// The preset's scenario. Presets are checked by tests, so a broken one fails the build's
/// tests rather than the page; should one slip through, the default scenario stands in.
pub fn scenario(preset: &Preset) -> sim::Scenario {
    let mut scenario = sim::parse_scenario(preset.json).unwrap_or_default();
    if let Some(style) = preset.style {
        scenario.endpoint.style = style;
    }
    scenario
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_and_validates() {
        for p in PRESETS {
            sim::parse_scenario(p.json)
                .unwrap_or_else(|e| panic!("preset {} is invalid: {e:?}", p.slug));
            let s = scenario(p);
            assert!(s.validate().is_ok(), "preset {}", p.slug);
            if let Some(style) = p.style {
                assert_eq!(s.endpoint.style, style, "preset {}", p.slug);
            }
        }
    }

    #[test]
    fn presets_differ_only_in_style() {
        let base = scenario(&PRESETS[0]);
        for p in PRESETS[1..].iter().filter(|p| !p.slug.starts_with("heavy")) {
            let mut s = scenario(p);
            s.endpoint.style = base.endpoint.style;
            s.endpoint.wait = base.endpoint.wait;
            assert_eq!(s, base, "preset {} changes more than the style", p.slug);
        }
    }

    #[test]
    fn async_answers_far_more_than_blocking() {
        let run = |p: &Preset| {
            let mut s = scenario(p);
            s.duration_ms = 5_000;
            sim::Sim::new(s).unwrap().run_to_end()
        };
        let blocking = run(&PRESETS[0]);
        let asynchronous = run(&PRESETS[1]);
        // Async serves the load with the pool's minimum of threads (four, and hill
        // climbing's wave of one or two above it); blocking holds every thread through
        // each query and answers several times fewer requests.
        assert!(asynchronous.threads.max <= 7, "{:?}", asynchronous.threads);
        assert!(
            asynchronous.completed > 5 * blocking.completed,
            "async {} vs blocking {}",
            asynchronous.completed,
            blocking.completed
        );
    }
}

#[cfg(test)]
mod heavy_tests {
    use super::*;

    #[test]
    fn heavy_presets_are_heavy() {
        let run = |slug: &str| {
            let p = PRESETS.iter().find(|p| p.slug == slug).unwrap();
            let mut s = scenario(p);
            s.duration_ms = 4_000;
            sim::Sim::new(s).unwrap().run_to_end()
        };
        let blocking = run("heavy-blocking");
        assert!(blocking.threads.max >= 1_000, "{:?}", blocking.threads);
        let asynchronous = run("heavy-async");
        assert!(
            asynchronous.completed > 10_000,
            "{}",
            asynchronous.completed
        );
    }

    /// The engine's one-hour memory test (crates/sim/tests/soak.rs) runs copies of the
    /// heavy presets, as the engine crate cannot read this one's.
    #[test]
    fn the_soaks_copies_of_the_heavy_presets_are_these() {
        let copies = [
            (
                "heavy-async",
                include_str!("../../crates/sim/tests/data/heavy-async.json"),
            ),
            (
                "heavy-blocking",
                include_str!("../../crates/sim/tests/data/heavy-blocking.json"),
            ),
        ];
        for (slug, copy) in copies {
            let p = PRESETS.iter().find(|p| p.slug == slug).unwrap();
            assert_eq!(sim::parse_scenario(copy), Ok(scenario(p)), "{slug}");
        }
    }
}
