//! The sandbox's guided challenges (issue 13): a starting scenario, a goal, and a check
//! that runs the reader's scenario through the engine to its end and says whether it meets
//! the goal, with the number it measured, or which rule the scenario broke. Data and pure
//! functions, tested natively; the lesson panel draws them and the reducer runs the check
//! (`Action::CheckChallenge`).

use sim::{Scenario, Sim, Style, Summary};

use crate::view::format::measured;

/// One challenge.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Challenge {
    pub title: &'static str,
    /// What to achieve and what may change, in a sentence or two.
    pub goal: &'static str,
    /// The starting scenario, in the public scenario format.
    pub start: &'static str,
    pub rule: Rule,
}

/// What a challenge's check measures, and what the reader may change.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// The run's throughput is at least `at_least` requests a second; the endpoint stays
    /// as it started (pool, machine and load may change).
    Throughput { at_least: f64 },
    /// The scenario's server answers at least `times` as many requests with the async
    /// style as with its own, and fewer than `times` with one user fewer; only
    /// `load.users` may change.
    FewestUsers { times: f64 },
    /// The run's p99 latency is under `under_ms`, and a pool capped at one thread fewer
    /// than the run's peak misses it; only the pool may change.
    FewestThreads { under_ms: f64 },
}

/// The challenges, in the order the sandbox lists them.
pub const CHALLENGES: &[Challenge] = &[
    Challenge {
        title: "Fix this server without touching its code",
        goal: "This server calls an async method with `.Result`, and 100 users get almost \
               nothing back. Make it answer at least 200 requests a second over the run by \
               changing the pool, the machine or the load; the endpoint must stay as it is.",
        start: include_str!("challenges/fix-result.json"),
        rule: Rule::Throughput { at_least: 200.0 },
    },
    Challenge {
        title: "Where async pulls ten times ahead",
        goal: "The check runs this blocking server and the same server written with `await`. \
               Find the fewest users at which the async one answers at least 10 times as many \
               requests: one user fewer must fall short. Change only the number of users.",
        start: include_str!("challenges/ten-times.json"),
        rule: Rule::FewestUsers { times: 10.0 },
    },
    Challenge {
        title: "Fast enough with the fewest threads",
        goal: "Keep this blocking server's p99 latency under 300 ms with as few threads as \
               you can: the check also runs it with its pool capped at one thread fewer than \
               it used, which must miss. Change only the pool's fields.",
        start: include_str!("challenges/fewest-threads.json"),
        rule: Rule::FewestThreads { under_ms: 300.0 },
    },
];

/// The most events one run of a check may take: a few seconds in the browser at worst.
pub const CHECK_EVENTS_MAX: u64 = 20_000_000;

/// What a check found: whether the scenario meets the goal, the number it measured (NaN
/// when the scenario broke a rule and nothing was run), and a sentence that says so.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub passed: bool,
    pub value: f64,
    pub text: String,
}

impl Challenge {
    /// The starting scenario.
    pub fn scenario(&self) -> Scenario {
        sim::parse_scenario(self.start).expect("a challenge's scenario is valid")
    }
}

fn broken(text: &str) -> Verdict {
    Verdict {
        passed: false,
        value: f64::NAN,
        text: text.to_owned(),
    }
}

/// Runs `s` to its end, within [`CHECK_EVENTS_MAX`] events; `None` past that bound.
fn run(s: &Scenario) -> Option<Summary> {
    let mut s = s.clone();
    s.limits.max_events = s.limits.max_events.min(CHECK_EVENTS_MAX);
    let summary = Sim::new(s).ok()?.run_to_end();
    (!summary.limits_hit.max_events).then_some(summary)
}

const TOO_LONG: &str = "This scenario takes more events than a check may run (20,000,000): \
                        lower the load to check it.";

/// Checks `s` against `challenge`: the rules first, then the runs.
pub fn check(challenge: &Challenge, s: &Scenario) -> Verdict {
    let start = challenge.scenario();
    if s.duration_ms != start.duration_ms {
        return broken(
            "You changed the run's length (duration_ms): keep it at 10 s, so the check \
             measures what the goal says.",
        );
    }
    match challenge.rule {
        Rule::Throughput { at_least } => {
            if s.endpoint != start.endpoint {
                return broken(
                    "You changed the endpoint: this challenge is to fix the server without \
                     touching its code. Load the challenge again to start over.",
                );
            }
            let Some(summary) = run(s) else {
                return broken(TOO_LONG);
            };
            let value = summary.throughput_rps;
            let passed = value >= at_least;
            let verdict = if passed {
                "solved.".to_owned()
            } else {
                format!("not yet {}.", measured(at_least))
            };
            let text = format!(
                "{} requests a second over the run, on up to {} threads: {verdict}",
                measured(value),
                summary.threads.max,
            );
            Verdict {
                passed,
                value,
                text,
            }
        }
        Rule::FewestUsers { times } => {
            let mut same = s.clone();
            same.load.users = start.load.users;
            same.seed = start.seed;
            if same.load != start.load
                || same.endpoint != start.endpoint
                || same.pool != start.pool
                || same.machine != start.machine
                || same.resources != start.resources
            {
                return broken(
                    "You changed more than the number of users (load.users): this challenge \
                     compares the same server at another load. Load it again to start over.",
                );
            }
            let ratio = |users: u32| -> Option<f64> {
                let mut blocking = s.clone();
                blocking.load.users = users;
                let mut asynchronous = blocking.clone();
                asynchronous.endpoint.style = Style::Async;
                let b = run(&blocking)?.throughput_rps;
                let a = run(&asynchronous)?.throughput_rps;
                Some(if b > 0.0 { a / b } else { f64::INFINITY })
            };
            let users = s.load.users;
            let Some(value) = ratio(users) else {
                return broken(TOO_LONG);
            };
            let said = format!(
                "At {users} users async answers {} times as many as blocking",
                measured(value)
            );
            if value < times {
                return Verdict {
                    passed: false,
                    value,
                    text: format!("{said}: short of {}; try more users.", measured(times)),
                };
            }
            let fewer = if users > 1 {
                ratio(users - 1)
            } else {
                Some(0.0)
            };
            let Some(fewer) = fewer else {
                return broken(TOO_LONG);
            };
            let passed = fewer < times;
            let text = if passed {
                format!(
                    "{said}, and at {} only {}: solved.",
                    users - 1,
                    measured(fewer)
                )
            } else {
                format!(
                    "{said}, but at {} it is already {}: fewer users will do.",
                    users - 1,
                    measured(fewer)
                )
            };
            Verdict {
                passed,
                value,
                text,
            }
        }
        Rule::FewestThreads { under_ms } => {
            if s.load != start.load
                || s.endpoint != start.endpoint
                || s.machine != start.machine
                || s.resources != start.resources
            {
                return broken(
                    "You changed the machine, the load or the endpoint: only the pool's \
                     fields may change. Load the challenge again to start over.",
                );
            }
            let Some(summary) = run(s) else {
                return broken(TOO_LONG);
            };
            let value = summary.latency_ms.p99;
            let peak = summary.threads.max;
            let said = format!("p99 latency {} ms on up to {peak} threads", measured(value));
            if value >= under_ms {
                return Verdict {
                    passed: false,
                    value,
                    text: format!("{said}: not under {} ms yet.", measured(under_ms)),
                };
            }
            let fewer = match peak {
                0 | 1 => None,
                n => {
                    let mut capped = s.clone();
                    capped.pool.max_threads = n - 1;
                    capped.pool.min_threads = capped.pool.min_threads.map(|m| m.min(n - 1));
                    if capped.pool.min_threads.is_none() && capped.machine.cores > n - 1 {
                        capped.pool.min_threads = Some(n - 1);
                    }
                    match run(&capped) {
                        Some(summary) => Some(summary.latency_ms.p99),
                        None => return broken(TOO_LONG),
                    }
                }
            };
            match fewer {
                Some(p99) if p99 < under_ms => Verdict {
                    passed: false,
                    value,
                    text: format!(
                        "{said}, but capped at {} threads it is still {} ms: fewer threads \
                         will do (pool.max_threads caps them).",
                        peak - 1,
                        measured(p99)
                    ),
                },
                Some(p99) => Verdict {
                    passed: true,
                    value,
                    text: format!(
                        "{said}, and {} ms capped at {}: solved.",
                        measured(p99),
                        peak - 1
                    ),
                },
                None => Verdict {
                    passed: true,
                    value,
                    text: format!("{said}: solved."),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solved(i: usize, change: impl FnOnce(&mut Scenario)) -> Verdict {
        let mut s = CHALLENGES[i].scenario();
        change(&mut s);
        let verdict = check(&CHALLENGES[i], &s);
        eprintln!("{}: {}", CHALLENGES[i].title, verdict.text);
        verdict
    }

    #[test]
    fn every_starting_scenario_fails_its_own_check_with_a_number() {
        for (i, c) in CHALLENGES.iter().enumerate() {
            let verdict = solved(i, |_| {});
            assert!(!verdict.passed, "{}: {}", c.title, verdict.text);
            assert!(!verdict.value.is_nan(), "{}: nothing measured", c.title);
            assert!(
                c.goal.ends_with('.') && !c.goal.contains("  "),
                "{}",
                c.title
            );
        }
    }

    #[test]
    fn the_starving_result_server_is_fixed_by_a_higher_minimum_not_by_new_code() {
        let start = solved(0, |_| {});
        assert!(start.value < 20.0, "{}", start.text);
        let fixed = solved(0, |s| s.pool.min_threads = Some(100));
        assert!(fixed.passed && fixed.value >= 200.0, "{}", fixed.text);
        // Rewriting the endpoint as async would also answer, but it breaks the rule, and
        // the check says which one without running anything.
        let rewritten = solved(0, |s| {
            s.endpoint.style = Style::Async;
        });
        assert!(!rewritten.passed && rewritten.value.is_nan());
        assert!(
            rewritten.text.contains("changed the endpoint"),
            "{}",
            rewritten.text
        );
        let longer = solved(0, |s| s.duration_ms = 60_000);
        assert!(longer.text.contains("duration_ms"), "{}", longer.text);
    }

    #[test]
    fn the_ten_times_point_is_found_to_the_user() {
        let start = solved(1, |_| {});
        assert!(start.value < 10.0, "{}", start.text);
        let found = solved(1, |s| s.load.users = 48);
        assert!(found.passed, "{}", found.text);
        let short = solved(1, |s| s.load.users = 47);
        assert!(!short.passed && short.value < 10.0, "{}", short.text);
        let past = solved(1, |s| s.load.users = 60);
        assert!(!past.passed && past.value >= 10.0, "{}", past.text);
        assert!(past.text.contains("fewer users will do"), "{}", past.text);
        let other = solved(1, |s| s.machine.cores = 8);
        assert!(other.text.contains("load.users"), "{}", other.text);
    }

    #[test]
    fn the_fewest_threads_that_keep_p99_under_300_ms() {
        let start = solved(2, |_| {});
        assert!(start.value >= 300.0, "{}", start.text);
        let exact = solved(2, |s| {
            s.pool.min_threads = Some(14);
            s.pool.max_threads = 14;
        });
        assert!(exact.passed && exact.value < 300.0, "{}", exact.text);
        // Enough threads, but more than needed.
        let many = solved(2, |s| {
            s.pool.min_threads = Some(30);
            s.pool.max_threads = 30;
        });
        assert!(!many.passed && many.value < 300.0, "{}", many.text);
        assert!(many.text.contains("fewer threads will do"), "{}", many.text);
        let cheat = solved(2, |s| s.load.users = 10);
        assert!(cheat.text.contains("only the pool"), "{}", cheat.text);
    }
}
