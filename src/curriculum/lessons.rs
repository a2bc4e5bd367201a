//! The chapters' preset scenarios, in the public scenario format, and the native tests that
//! prove each one shows what its chapter claims (issue 5).

/// One chapter's scenarios: the chapter's slug (see `content::CHAPTERS`) and one or two
/// scenario texts (two where the chapter compares styles).
pub struct LessonPreset {
    pub chapter: &'static str,
    pub scenarios: &'static [(&'static str, &'static str)],
}

pub const LESSON_PRESETS: &[LessonPreset] = &[
    LessonPreset {
        chapter: "blocked-is-not-busy",
        scenarios: &[(
            "blocking",
            include_str!("lessons/ch01-blocked-is-not-busy.json"),
        )],
    },
    LessonPreset {
        chapter: "async-is-not-threads",
        scenarios: &[(
            "async",
            include_str!("lessons/ch02-async-is-not-threads.json"),
        )],
    },
    LessonPreset {
        chapter: "task-is-a-receipt",
        scenarios: &[("async", include_str!("lessons/ch03-task-is-a-receipt.json"))],
    },
    LessonPreset {
        chapter: "await-is-syntax",
        scenarios: &[("async", include_str!("lessons/ch04-await-is-syntax.json"))],
    },
    LessonPreset {
        chapter: "one-request-one-thread",
        scenarios: &[(
            "blocking",
            include_str!("lessons/ch05-one-request-one-thread.json"),
        )],
    },
    LessonPreset {
        chapter: "eight-hundred-requests",
        scenarios: &[(
            "blocking",
            include_str!("lessons/ch06-eight-hundred-requests.json"),
        )],
    },
    LessonPreset {
        chapter: "starvation",
        scenarios: &[
            ("result", include_str!("lessons/ch07-starvation.json")),
            (
                "cooperative",
                include_str!("lessons/ch07-starvation-cooperative.json"),
            ),
            (
                "local-net6",
                include_str!("lessons/ch07-starvation-local-net6.json"),
            ),
            (
                "local-net10",
                include_str!("lessons/ch07-starvation-local-net10.json"),
            ),
        ],
    },
    LessonPreset {
        chapter: "blocking-io-is-the-killer",
        scenarios: &[
            (
                "blocking",
                include_str!("lessons/ch08-blocking-io-is-the-killer-blocking.json"),
            ),
            (
                "async",
                include_str!("lessons/ch08-blocking-io-is-the-killer-async.json"),
            ),
        ],
    },
    LessonPreset {
        chapter: "where-performance-comes-from",
        scenarios: &[
            ("cpu-sync", include_str!("lessons/ch09-cpu-bound-sync.json")),
            (
                "cpu-async",
                include_str!("lessons/ch09-cpu-bound-async.json"),
            ),
            (
                "db-blocking",
                include_str!("lessons/ch09-db-bottleneck-blocking.json"),
            ),
            (
                "db-async",
                include_str!("lessons/ch09-db-bottleneck-async.json"),
            ),
        ],
    },
    LessonPreset {
        chapter: "anti-patterns",
        scenarios: &[
            (
                "result",
                include_str!("lessons/ch10-result-aspnetcore.json"),
            ),
            ("await", include_str!("lessons/ch10-await.json")),
            (
                "sync-context",
                include_str!("lessons/ch10-result-sync-context.json"),
            ),
            (
                "no-context",
                include_str!("lessons/ch10-result-no-context.json"),
            ),
        ],
    },
    LessonPreset {
        chapter: "async-in-name-only",
        scenarios: &[
            ("task-run", include_str!("lessons/ch11-task-run-wrap.json")),
            ("plain-async", include_str!("lessons/ch11-plain-async.json")),
            ("partial", include_str!("lessons/ch11-partial-async.json")),
            ("all-sync", include_str!("lessons/ch11-all-sync.json")),
        ],
    },
];

/// Parses the scenario `name` of chapter `chapter`'s presets.
pub fn lesson_scenario(chapter: usize, name: &str) -> Option<sim::Scenario> {
    let slug = crate::curriculum::content::CHAPTERS.get(chapter)?.slug;
    let lesson = LESSON_PRESETS.iter().find(|l| l.chapter == slug)?;
    let text = lesson.scenarios.iter().find(|(n, _)| *n == name)?.1;
    sim::parse_scenario(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curriculum::content::CHAPTERS;
    use sim::{Sample, Sim, Summary, TraceKind};

    fn scenario(chapter: &str, name: &str) -> sim::Scenario {
        let lesson = LESSON_PRESETS
            .iter()
            .find(|l| l.chapter == chapter)
            .unwrap_or_else(|| panic!("no presets for chapter {chapter}"));
        let text = lesson
            .scenarios
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("chapter {chapter} has no scenario {name}"))
            .1;
        sim::parse_scenario(text).unwrap_or_else(|e| panic!("{chapter}/{name}: {e:?}"))
    }

    fn run(chapter: &str, name: &str) -> (Sim, Summary) {
        let mut sim = Sim::new(scenario(chapter, name)).unwrap();
        let summary = sim.run_to_end();
        (sim, summary)
    }

    fn max_of(samples: &[Sample], f: impl Fn(&Sample) -> u32) -> u32 {
        samples.iter().map(f).max().unwrap_or(0)
    }

    #[test]
    fn every_chapter_but_the_sandbox_has_presets_that_parse() {
        for chapter in &CHAPTERS[..CHAPTERS.len() - 1] {
            let lesson = LESSON_PRESETS.iter().find(|l| l.chapter == chapter.slug);
            let lesson = lesson.unwrap_or_else(|| panic!("chapter {} has no preset", chapter.slug));
            for (name, _) in lesson.scenarios {
                scenario(chapter.slug, name);
            }
        }
    }

    #[test]
    fn ch01_a_blocked_thread_leaves_the_cpu_idle() {
        let (_, s) = run("blocked-is-not-busy", "blocking");
        // 2 ms of CPU in every 502 ms request: the one thread is blocked 99.6 % of the time.
        assert!(s.cpu_useful_pct < 1.0, "CPU useful {} %", s.cpu_useful_pct);
        assert_eq!(s.threads.max, 1);
        assert!((19..=20).contains(&s.completed), "{}", s.completed);
        // Yet the thread holds its whole stack reservation all along.
        assert_eq!(s.memory_reserved_mb_max, 1.0);
    }

    #[test]
    fn ch02_one_thread_serves_many_requests_while_their_io_is_out() {
        let (sim, s) = run("async-is-not-threads", "async");
        assert_eq!(s.threads.max, 1, "one thread, no more");
        assert!(
            max_of(sim.samples(), |x| x.io_in_flight) >= 40,
            "dozens of queries out at once"
        );
        // The closed-system bound N / (D + Z) = 50 / 0.202 s: one thread reaches it.
        let bound = 50.0 / 0.202;
        assert!(
            s.throughput_rps > 0.95 * bound,
            "{} req/s against {bound:.1}",
            s.throughput_rps
        );
    }

    #[test]
    fn ch03_tasks_outnumber_threads_because_a_task_needs_no_thread() {
        let (sim, s) = run("task-is-a-receipt", "async");
        let tasks = max_of(sim.samples(), |x| x.tasks_pending);
        // And some tasks are complete before they are awaited (data already buffered).
        let at_once = sim
            .trace()
            .iter()
            .filter(|e| e.kind == TraceKind::IoCompletedSynchronously)
            .count();
        assert!(at_once > 0, "no task completed synchronously");
        assert!(
            tasks >= 10 * s.threads.max,
            "{tasks} tasks pending on {} threads",
            s.threads.max
        );
    }

    #[test]
    fn ch04_an_awaited_request_resumes_as_a_queued_continuation_unless_it_completed_at_once() {
        let (sim, _) = run("await-is-syntax", "async");
        let trace: Vec<_> = sim.trace().iter().collect();
        let story_of = |request| -> Vec<_> {
            trace
                .iter()
                .filter(|e| e.request == request)
                .copied()
                .collect()
        };
        let answered: Vec<_> = trace
            .iter()
            .filter(|e| e.kind == TraceKind::Response)
            .map(|e| story_of(e.request))
            .collect();
        let has = |story: &[&sim::TraceEvent], k: TraceKind| story.iter().any(|e| e.kind == k);
        // A request whose query went out: its continuation is queued, then dequeued by a
        // pool thread like any other work item.
        let story = answered
            .iter()
            .find(|s| has(s, TraceKind::IoStarted))
            .expect("a request whose query went out");
        let pos = |k: TraceKind| story.iter().position(|e| e.kind == k);
        let created = pos(TraceKind::TaskCreated).expect("a task is created");
        let queued = pos(TraceKind::ContinuationQueued).expect("its continuation is queued");
        let done = pos(TraceKind::Response).unwrap();
        assert!(created < queued && queued < done);
        assert!(story[queued..done]
            .iter()
            .any(|e| e.kind == TraceKind::Dequeue && e.task.is_some()));
        // The fast path: a request whose result was already there queues nothing and stays
        // on the thread that started it.
        let fast = answered
            .iter()
            .find(|s| has(s, TraceKind::IoCompletedSynchronously))
            .expect("a request takes the synchronous fast path");
        assert!(!has(fast, TraceKind::ContinuationQueued));
        let mut threads: Vec<_> = fast.iter().filter_map(|e| e.thread).collect();
        threads.dedup();
        assert_eq!(
            threads.len(),
            1,
            "one thread from start to answer: {threads:?}"
        );
    }

    #[test]
    fn ch05_a_synchronous_server_queues_what_its_threads_cannot_hold() {
        let (_, s) = run("one-request-one-thread", "blocking");
        assert_eq!(s.threads.max, 4);
        assert_eq!(
            s.queue_len.max,
            12 - 4,
            "users beyond the threads wait in the queue"
        );
        // Twelve users on four threads: each request waits for two others to finish, so it
        // takes about three services of 102 ms.
        let expected_ms = 3.0 * 102.0;
        let off = (s.latency_ms.mean - expected_ms).abs() / expected_ms;
        assert!(
            off < 0.05,
            "mean {} ms against {expected_ms} ms",
            s.latency_ms.mean
        );
        assert!(s.littles_law.error_pct < 2.0, "{:?}", s.littles_law);
    }

    #[test]
    fn ch06_eight_hundred_threads_reserve_800_mb_and_commit_50() {
        let (_, s) = run("eight-hundred-requests", "blocking");
        assert_eq!(s.threads.max, 800);
        assert_eq!(s.memory_reserved_mb_max, 800.0);
        assert_eq!(s.memory_committed_mb_max, 50.0);
        assert!(
            s.cpu_switching_pct > 0.0,
            "hundreds of threads make the cores switch"
        );
        // The direct cost of switching stays small: 3 µs a switch, a few thousand a second.
        assert!(s.cpu_switching_pct < 0.5, "{} %", s.cpu_switching_pct);
        // The cores are about half busy: the threads are waiting, not working.
        assert!(
            (35.0..65.0).contains(&s.cpu_useful_pct),
            "{} %",
            s.cpu_useful_pct
        );
    }

    #[test]
    fn ch07_starvation_injection_alone_adds_one_to_two_threads_a_second() {
        let (_, s) = run("starvation", "result");
        let per_s = f64::from(s.injections.starvation) / 20.0;
        assert!((0.8..=2.2).contains(&per_s), "{per_s} threads per second");
        assert_eq!(s.injections.cooperative, 0);
        assert!(
            s.cpu_useful_pct < 5.0,
            "the CPU idles while the pool starves"
        );
    }

    #[test]
    fn ch07_a_task_run_body_in_a_blocked_threads_local_queue_starves_until_net10() {
        let (_, old) = run("starvation", "local-net6");
        let (_, new) = run("starvation", "local-net10");
        // Before .NET 10 the bodies wait for the global queue to empty, which it never
        // does under this load: a handful of answers in 20 s, idle cores, a hundred threads.
        assert!(old.completed < 100, "{}", old.completed);
        assert!(old.cpu_useful_pct < 5.0, "{}", old.cpu_useful_pct);
        assert!(old.threads.max > 80, "{:?}", old.threads);
        // .NET 10 moves them to the high-priority queue: the cores are the limit.
        assert!(
            new.completed > 100 * old.completed.max(1),
            "{}",
            new.completed
        );
        assert!(new.cpu_useful_pct > 90.0, "{}", new.cpu_useful_pct);
        assert!(new.threads.max < 20, "{:?}", new.threads);
    }

    #[test]
    fn ch07_cooperative_blocking_adds_threads_faster_yet_the_queue_still_starves() {
        let (_, slow) = run("starvation", "result");
        let (_, fast) = run("starvation", "cooperative");
        assert!(fast.injections.cooperative > 0);
        assert!(
            fast.threads.max >= 4 * slow.threads.max,
            "{} against {}",
            fast.threads.max,
            slow.threads.max
        );
        // New requests stay ahead of the continuations in the FIFO queue, so each new thread
        // takes a new request and blocks too: almost nothing is answered in 20 s.
        assert!(fast.completed < 50, "{}", fast.completed);
    }

    #[test]
    fn ch08_async_answers_at_least_five_times_more_than_blocking() {
        let (_, blocking) = run("blocking-io-is-the-killer", "blocking");
        let (_, asynchronous) = run("blocking-io-is-the-killer", "async");
        let ratio = asynchronous.throughput_rps / blocking.throughput_rps;
        assert!(ratio >= 5.0, "×{ratio:.1}");
    }

    #[test]
    fn ch09_async_gives_nothing_for_cpu_bound_work_or_a_saturated_database() {
        let ratio = |a: &str, b: &str| {
            let (_, x) = run("where-performance-comes-from", a);
            let (_, y) = run("where-performance-comes-from", b);
            (y.throughput_rps / x.throughput_rps, x, y)
        };
        let (cpu, _, _) = ratio("cpu-sync", "cpu-async");
        assert!((0.8..=1.25).contains(&cpu), "CPU-bound ×{cpu:.2}");
        let (db, blocking, asynchronous) = ratio("db-blocking", "db-async");
        assert!((0.8..=1.25).contains(&db), "database-bound ×{db:.2}");
        // The query does not get faster; async only needs far fewer threads to wait for it.
        assert!(asynchronous.threads.max * 4 <= blocking.threads.max);
    }

    #[test]
    fn ch10_result_starves_aspnet_core_but_deadlocks_under_a_synchronization_context() {
        // Microsoft's starvation tutorial: .Result against await, 125 users, 500 ms.
        let (_, result) = run("anti-patterns", "result");
        let (_, awaited) = run("anti-patterns", "await");
        assert!(result.completed > 0, "ASP.NET Core: no deadlock");
        assert_eq!(result.deadlocked, 0);
        assert!(
            result.injections.cooperative > 0,
            "cooperative blocking adds threads"
        );
        assert!(result.threads.max >= 50 && awaited.threads.max <= 8);
        assert!(awaited.completed >= 10 * result.completed);
        // The same load with and without a synchronization context.
        let (_, classic) = run("anti-patterns", "sync-context");
        assert_eq!(
            classic.completed, 0,
            "under a synchronization context nothing completes"
        );
        assert!(
            classic.deadlocked > 0 && classic.failed > 0,
            "clients time out"
        );
        let (_, core) = run("anti-patterns", "no-context");
        assert!(core.completed > 0 && core.deadlocked == 0);
    }

    #[test]
    fn ch11_task_run_around_blocking_io_only_moves_the_wait() {
        let (_, wrapped) = run("async-in-name-only", "task-run");
        let (_, plain) = run("async-in-name-only", "plain-async");
        assert!(plain.completed >= 10 * wrapped.completed);
        // Await needs no extra threads: the pool stays at its minimum of four but for hill
        // climbing's wave, while the wrapped version keeps more threads blocked.
        assert!(plain.threads.mean < 6.0, "{:?}", plain.threads);
        assert!(wrapped.threads.mean > plain.threads.mean);
    }

    #[test]
    fn ch11_partial_async_does_worse_than_all_sync() {
        let (_, partial) = run("async-in-name-only", "partial");
        let (_, sync) = run("async-in-name-only", "all-sync");
        assert!(sync.completed >= 5 * partial.completed);
        assert!(
            partial.threads.max >= 3 * sync.threads.max,
            "two threads a request"
        );
    }
}
