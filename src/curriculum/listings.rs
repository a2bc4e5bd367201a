//! The code panel's data: the C# each style stands for, with every line a followed request
//! can be "on" tagged by the engine's [`RequestPhase`] (`Sim::request_phase` reports where
//! a request is). Pure data and functions, tested natively against the engine.
//!
//! The listings are our own short ASP.NET Core handlers. One endpoint, `GetUsers`, is
//! written in each style so the reader sees the single line that differs; the CPU-bound
//! handler hashes a password instead, because it has no I/O at all.

use sim::{Endpoint, RequestPhase, Scenario, Style, Wait};

/// One line of a listing and the phases during which a followed request is on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    pub code: &'static str,
    pub at: &'static [RequestPhase],
}

/// A short C# listing with its caption.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listing {
    pub caption: &'static str,
    pub lines: &'static [Line],
}

impl Listing {
    /// The index of the line tagged with `phase`, if this listing has one.
    pub fn line_of(&self, phase: RequestPhase) -> Option<usize> {
        self.lines.iter().position(|l| l.at.contains(&phase))
    }
}

const fn code(code: &'static str) -> Line {
    Line { code, at: &[] }
}

const fn at(code: &'static str, at: &'static [RequestPhase]) -> Line {
    Line { code, at }
}

use RequestPhase::{AfterIo, BeforeIo, Done, FastPath, InIo, Queued, Resuming};

/// `blocking`: the query holds the thread until the rows arrive.
pub static BLOCKING: Listing = Listing {
    caption: "Blocking: ToList() keeps the thread waiting for the database.",
    lines: &[
        code("[HttpGet(\"users\")]"),
        at("public IActionResult GetUsers()", &[Queued]),
        code("{"),
        at("    CheckPermissions(User);", &[BeforeIo]),
        at(
            "    var users = db.Users.Where(u => u.Active).ToList();",
            &[InIo, FastPath],
        ),
        at("    return Ok(users.Select(UserDto.From));", &[AfterIo]),
        at("}", &[Done]),
    ],
};

/// `async`: the thread goes back to the pool at the `await`.
pub static ASYNC: Listing = Listing {
    caption: "Async: at the await the method returns and the thread goes back to the pool.",
    lines: &[
        code("[HttpGet(\"users\")]"),
        at("public async Task<IActionResult> GetUsers()", &[Queued]),
        code("{"),
        at("    CheckPermissions(User);", &[BeforeIo]),
        at(
            "    var users = await db.Users.Where(u => u.Active).ToListAsync();",
            &[InIo, FastPath, Resuming],
        ),
        at("    return Ok(users.Select(UserDto.From));", &[AfterIo]),
        at("}", &[Done]),
    ],
};

/// `sync_over_async` with `.Result`: blocks one thread, and a second must finish the task.
pub static SYNC_OVER_ASYNC: Listing = Listing {
    caption: "Sync over async: .Result blocks this thread while another must finish the task.",
    lines: &[
        code("[HttpGet(\"users\")]"),
        at("public IActionResult GetUsers()", &[Queued]),
        code("{"),
        at("    CheckPermissions(User);", &[BeforeIo]),
        at(
            "    var users = db.Users.Where(u => u.Active).ToListAsync().Result;",
            &[InIo, FastPath, Resuming],
        ),
        at("    return Ok(users.Select(UserDto.From));", &[AfterIo]),
        at("}", &[Done]),
    ],
};

/// `sync_over_async` under a classic synchronization context (classic ASP.NET): the
/// deadlock needs an `await` that captures the context. EF Core's own awaits use
/// `ConfigureAwait(false)`, so `ToListAsync().Result` alone would not deadlock; an async
/// method of your own that awaits without it, blocked on with `.Result`, does.
pub static SYNC_CONTEXT_DEADLOCK: Listing = Listing {
    caption: "Classic ASP.NET: .Result on your own async method, whose await resumes on the captured context, the very thread .Result blocks. EF Core's own awaits use ConfigureAwait(false), so ToListAsync().Result alone would not deadlock.",
    lines: &[
        at("public ActionResult GetUsers()", &[Queued]),
        code("{"),
        at("    CheckPermissions(User);", &[BeforeIo]),
        at(
            "    var users = LoadActiveUsersAsync().Result;  // holds the context's thread",
            &[InIo, FastPath, Resuming],
        ),
        at("    return Json(users.Select(UserDto.From));", &[AfterIo]),
        at("}", &[Done]),
        code("async Task<List<User>> LoadActiveUsersAsync() =>"),
        code("    await db.Users.Where(u => u.Active).ToListAsync();  // resumes on that context"),
    ],
};

/// `sync_over_async` with `sleep_poll`: a wait the pool cannot see.
pub static SLEEP_POLL: Listing = Listing {
    caption: "Polling with Thread.Sleep: the thread naps and checks, and the pool cannot tell it is waiting.",
    lines: &[
        code("[HttpGet(\"users\")]"),
        at("public IActionResult GetUsers()", &[Queued]),
        code("{"),
        at("    CheckPermissions(User);", &[BeforeIo]),
        code("    var task = db.Users.Where(u => u.Active).ToListAsync();"),
        at(
            "    while (!task.IsCompleted) Thread.Sleep(10);",
            &[InIo, FastPath, Resuming],
        ),
        at("    return Ok(task.Result.Select(UserDto.From));", &[AfterIo]),
        at("}", &[Done]),
    ],
};

/// `task_run_wrap`: the body goes to the thread's own local queue, and the thread that
/// queued it usually takes it back at once and blocks in it.
pub static TASK_RUN_WRAP: Listing = Listing {
    caption: "Task.Run around a blocking call: the body goes to this thread's own local queue, so the thread usually takes it straight back and blocks in it. No thread is saved.",
    lines: &[
        code("[HttpGet(\"users\")]"),
        at("public async Task<IActionResult> GetUsers()", &[Queued]),
        code("{"),
        at("    CheckPermissions(User);", &[BeforeIo]),
        at("    var users = await Task.Run(() =>", &[Resuming]),
        at(
            "        db.Users.Where(u => u.Active).ToList());",
            &[InIo, FastPath],
        ),
        at("    return Ok(users.Select(UserDto.From));", &[AfterIo]),
        at("}", &[Done]),
    ],
};

/// `cpu_bound`: work that needs a core the whole time; there is nothing to await.
pub static CPU_BOUND: Listing = Listing {
    caption: "CPU-bound: hashing needs a core the whole time; there is nothing to wait for. 20,000 iterations take about the 5 ms of CPU the run gives each request; storing passwords calls for 600,000, some 30 times more: that scales the numbers and changes nothing else.",
    lines: &[
        code("[HttpPost(\"hash\")]"),
        at(
            "public IActionResult Hash([FromBody] string password)",
            &[Queued],
        ),
        code("{"),
        code("    var salt = RandomNumberGenerator.GetBytes(16);"),
        at("    var hash = Rfc2898DeriveBytes.Pbkdf2(", &[BeforeIo]),
        code("        password, salt, 20_000, HashAlgorithmName.SHA256, 32);"),
        code("    return Ok(Convert.ToBase64String(hash));"),
        at("}", &[Done]),
    ],
};

/// CPU-bound work moved to `Task.Run` (an `async` endpoint whose CPU step has
/// `task_run`): one more work item, usually taken by the thread that queued it.
pub static CPU_TASK_RUN: Listing = Listing {
    caption: "CPU-bound in Task.Run: the same hashing as one more work item, in this thread's local queue, which the thread usually takes back itself; the await then resumes inline.",
    lines: &[
        code("[HttpPost(\"hash\")]"),
        at(
            "public async Task<IActionResult> Hash([FromBody] string password)",
            &[Queued],
        ),
        code("{"),
        at(
            "    var salt = RandomNumberGenerator.GetBytes(16);",
            &[BeforeIo],
        ),
        at(
            "    var hash = await Task.Run(() => Rfc2898DeriveBytes.Pbkdf2(",
            &[Resuming],
        ),
        at(
            "        password, salt, 20_000, HashAlgorithmName.SHA256, 32));",
            &[InIo],
        ),
        at("    return Ok(Convert.ToBase64String(hash));", &[AfterIo]),
        at("}", &[Done]),
    ],
};

/// `.Result` on an async method that awaits `Task.Run` (a `sync_over_async` endpoint whose
/// CPU step has `task_run`): the body sits in the local queue of the thread that blocks.
/// `.Result` cannot run it inline, since it waits on `HashAsync`'s task, not on the body's.
pub static RESULT_OVER_TASK_RUN: Listing = Listing {
    caption: ".Result on an async method that awaits Task.Run: the body sits in the local queue of the very thread that blocks. Other threads take it only when the global queue is empty; .NET 10 moves it to the high-priority queue when the thread blocks.",
    lines: &[
        code("[HttpPost(\"hash\")]"),
        at("public IActionResult Hash([FromBody] string password)", &[Queued]),
        code("{"),
        at("    var hash = HashAsync(password).Result;", &[BeforeIo, Resuming]),
        at("    return Ok(hash);", &[AfterIo]),
        at("}", &[Done]),
        code("static async Task<string> HashAsync(string password) =>"),
        at("    await Task.Run(() => Pbkdf2(password));", &[InIo]),
    ],
};

/// What the compiler makes of the `async` handler (chapter 4), simplified: a struct whose
/// `MoveNext` runs up to the `await`, returns if the result is not there yet, and is
/// called again by the continuation when it is.
pub const STATE_MACHINE: Listing = Listing {
    caption: "What the compiler makes of the async GetUsers (simplified: the real one is a class in Debug builds, and names its fields differently): MoveNext is called to start, and called again to resume unless the query was already complete.",
    lines: &[
        code("struct GetUsersStateMachine : IAsyncStateMachine {"),
        at(
            "  int state;  // -1: not started yet; 0: suspended at the await",
            &[Queued],
        ),
        code("  TaskAwaiter<List<User>> awaiter;  AsyncTaskMethodBuilder<IActionResult> builder;"),
        code("  void IAsyncStateMachine.MoveNext() {"),
        code("   try {"),
        code("    switch (state) {"),
        at("      case -1: CheckPermissions(User);", &[BeforeIo]),
        code("        awaiter = db.Users.Where(u => u.Active).ToListAsync().GetAwaiter();"),
        code("        if (!awaiter.IsCompleted) {"),
        code("          state = 0; builder.AwaitUnsafeOnCompleted(ref awaiter, ref this);"),
        at(
            "          return;  // the thread goes back to the pool",
            &[InIo],
        ),
        code("        }"),
        at(
            "        goto case 0;  // already complete: no return, same thread",
            &[FastPath],
        ),
        at(
            "      case 0:  // MoveNext again, from the queued continuation",
            &[Resuming],
        ),
        at(
            "        var result = Ok(awaiter.GetResult().Select(UserDto.From));",
            &[AfterIo],
        ),
        at(
            "        state = -2; builder.SetResult(result);  return;",
            &[Done],
        ),
        code("    }"),
        code("   } catch (Exception e) {  // a failed query fails the Task, not the thread"),
        code("    state = -2; builder.SetException(e);"),
        code("   }"),
        code("  }"),
        code("}"),
    ],
};

/// The listing for a style (and, for `sync_over_async`, how it waits).
pub fn listing_for(style: Style, wait: Wait) -> &'static Listing {
    match (style, wait) {
        (Style::Blocking, _) => &BLOCKING,
        (Style::Async, _) => &ASYNC,
        (Style::SyncOverAsync, Wait::Result) => &SYNC_OVER_ASYNC,
        (Style::SyncOverAsync, Wait::SleepPoll) => &SLEEP_POLL,
        (Style::TaskRunWrap, _) => &TASK_RUN_WRAP,
        (Style::CpuBound, _) => &CPU_BOUND,
    }
}

/// The listing for an endpoint: a program without I/O steps shows the CPU-bound handler
/// (in `Task.Run` when a step has `task_run`) whatever its style; otherwise as
/// [`listing_for`].
/// The listing for a whole scenario: as [`listing_for_endpoint`], except that `.Result` or
/// `.Wait()` under a synchronization context shows the code that really deadlocks there.
pub fn listing_for_scenario(scenario: &Scenario) -> &'static Listing {
    let e = &scenario.endpoint;
    let blocks_on_task = e.style == Style::SyncOverAsync && e.wait != Wait::SleepPoll;
    if scenario.pool.synchronization_context && blocks_on_task {
        &SYNC_CONTEXT_DEADLOCK
    } else {
        listing_for_endpoint(e)
    }
}

pub fn listing_for_endpoint(endpoint: &Endpoint) -> &'static Listing {
    let has_io = endpoint.steps.iter().any(|s| s.io_ms.is_some());
    if has_io {
        return listing_for(endpoint.style, endpoint.wait);
    }
    if endpoint.steps.iter().any(|s| s.task_run) {
        if endpoint.style == Style::SyncOverAsync {
            &RESULT_OVER_TASK_RUN
        } else {
            &CPU_TASK_RUN
        }
    } else {
        &CPU_BOUND
    }
}

/// The listing's one line that decides what a thread does while the database works (the
/// lines of the I/O and of the resumption, joined), for the stage's label.
pub fn key_line(listing: &Listing) -> Option<String> {
    let lines: Vec<&str> = listing
        .lines
        .iter()
        .filter(|l| l.at.contains(&InIo) || l.at.contains(&Resuming))
        .map(|l| l.code.trim())
        .collect();
    (!lines.is_empty()).then(|| lines.join(" "))
}

/// A phase in words, to finish "The request is …".
pub fn phase_words(p: RequestPhase) -> &'static str {
    match p {
        Queued => "waiting in the pool's queue for a thread",
        BeforeIo => "running on a thread",
        InIo => "waiting for the call it made to finish",
        FastPath => "carrying straight on: the result was already there",
        Resuming => "done waiting, but the work that carries it on waits in the pool's queue",
        AfterIo => "running on a thread again, with the result in hand",
        Done => "answered",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::{Dist, Scenario, Sim, Step, TraceKind};

    fn all_listings() -> [&'static Listing; 9] {
        [
            &BLOCKING,
            &SYNC_CONTEXT_DEADLOCK,
            &ASYNC,
            &SYNC_OVER_ASYNC,
            &SLEEP_POLL,
            &TASK_RUN_WRAP,
            &CPU_BOUND,
            &CPU_TASK_RUN,
            &STATE_MACHINE,
        ]
    }

    /// Two users at once against one core and a pool that starts with one thread and
    /// adds none of its own accord (cooperative blocking still adds threads for `.Result`):
    /// the second user's request waits for the thread, and its continuations wait while
    /// the thread runs the other request's CPU.
    fn scenario(style: Style, wait: Wait, steps: Vec<Step>) -> Scenario {
        let mut s = Scenario {
            duration_ms: 300,
            ..Scenario::default()
        };
        s.machine.cores = 1;
        s.pool.min_threads = Some(1);
        s.pool.hill_climbing = false;
        s.pool.starvation_injection = false;
        s.load.users = 2;
        s.load.think_ms = 10.0;
        s.load.ramp_ms = 0;
        s.endpoint.style = style;
        s.endpoint.wait = wait;
        s.endpoint.steps = steps;
        s
    }

    /// A few users against a roomy pool: a polling thread holds its thread while it waits,
    /// and the pool, which cannot see that, must have others to run the inner completion.
    fn roomy(style: Style, wait: Wait, steps: Vec<Step>) -> Scenario {
        let mut s = Scenario {
            duration_ms: 600,
            ..Scenario::default()
        };
        s.pool.min_threads = Some(16);
        s.load.users = 4;
        s.load.think_ms = 10.0;
        s.load.ramp_ms = 20;
        s.endpoint.style = style;
        s.endpoint.wait = wait;
        s.endpoint.steps = steps;
        s
    }

    /// CPU, a short call, CPU: the CPU long enough that the other request's work is still
    /// running when a call completes.
    fn io_program(complete_sync: f64) -> Vec<Step> {
        let mut io = Step::io(2.0, Dist::Fixed, None);
        io.complete_sync = complete_sync;
        vec![Step::cpu(5.0), io, Step::cpu(5.0)]
    }

    fn task_run_program() -> Vec<Step> {
        let mut offloaded = Step::cpu(5.0);
        offloaded.task_run = true;
        vec![Step::cpu(1.0), offloaded, Step::cpu(1.0)]
    }

    /// The engine's phase of `request` after every event of the run, without repeats:
    /// what the code panel shows, event by event. (Within one event a request may pass
    /// through a phase nobody sees: the page draws after whole events.)
    fn phases_of(s: Scenario, request: u64) -> Vec<RequestPhase> {
        let mut sim = Sim::new(s).expect("valid");
        let mut seen = Vec::new();
        while sim.step() {
            if let Some(p) = sim.request_phase(request) {
                if seen.last() != Some(&p) {
                    seen.push(p);
                }
            }
        }
        seen
    }

    /// The phases of the second user's first request, the one that waits for the thread.
    fn phases(s: Scenario) -> Vec<RequestPhase> {
        phases_of(s, 1)
    }

    /// Every phase reached has exactly one line in the listing.
    fn assert_one_line_each(listing: &Listing, reached: &[RequestPhase]) {
        for p in reached {
            let n = listing.lines.iter().filter(|l| l.at.contains(p)).count();
            assert_eq!(n, 1, "{p:?} in {:?}", listing.caption);
        }
    }

    fn check(style: Style, wait: Wait, steps: Vec<Step>, expected: &[RequestPhase]) {
        let s = scenario(style, wait, steps);
        let listing = listing_for_endpoint(&s.endpoint);
        let got = phases(s);
        assert_eq!(got, expected, "{style:?} {wait:?}");
        assert_one_line_each(listing, &got);
    }

    #[test]
    fn blocking_holds_the_thread_through_the_query() {
        check(
            Style::Blocking,
            Wait::Result,
            io_program(0.0),
            &[Queued, BeforeIo, InIo, AfterIo, Done],
        );
    }

    #[test]
    fn async_resumes_through_a_queued_continuation() {
        check(
            Style::Async,
            Wait::Result,
            io_program(0.0),
            &[Queued, BeforeIo, InIo, Resuming, AfterIo, Done],
        );
    }

    #[test]
    fn result_waits_for_the_inner_completion() {
        check(
            Style::SyncOverAsync,
            Wait::Result,
            io_program(0.0),
            &[Queued, BeforeIo, InIo, Resuming, AfterIo, Done],
        );
    }

    #[test]
    fn sleep_poll_resumes_at_a_wake_up() {
        let mut slow = Step::io(20.0, Dist::Fixed, None);
        slow.complete_sync = 0.0;
        let mut s = roomy(
            Style::SyncOverAsync,
            Wait::SleepPoll,
            vec![Step::cpu(0.3), slow, Step::cpu(0.3)],
        );
        s.endpoint.poll_ms = 3;
        let got = phases_of(s.clone(), 0);
        assert_eq!(got, [BeforeIo, InIo, Resuming, AfterIo, Done]);
        assert_one_line_each(&SLEEP_POLL, &got);
        // The thread goes on at the first wake-up after the task completed, not before.
        let mut sim = Sim::new(s).expect("valid");
        let mut completed = false;
        loop {
            let before = sim.trace_total();
            assert!(sim.step(), "request 0 goes on before the end");
            let new = (sim.trace_total() - before) as usize;
            let trace = sim.trace();
            let mine = |kind| {
                trace
                    .iter()
                    .skip(trace.len() - new)
                    .any(|e| e.kind == kind && e.request == Some(0))
            };
            if mine(TraceKind::TaskCompleted) {
                completed = true;
            }
            let woke = completed && mine(TraceKind::PollWake);
            if completed {
                let expected = if woke { AfterIo } else { Resuming };
                assert_eq!(sim.request_phase(0), Some(expected));
            }
            if woke {
                break;
            }
        }
        // Polling for a `Task.Run` body: the body's thread completes the task, and the
        // poller finds out at its next wake-up.
        let mut s = roomy(Style::SyncOverAsync, Wait::SleepPoll, task_run_program());
        s.endpoint.poll_ms = 3;
        let got = phases_of(s, 0);
        assert_eq!(got, [BeforeIo, InIo, Resuming, AfterIo, Done]);
        assert_one_line_each(&RESULT_OVER_TASK_RUN, &got);
    }

    #[test]
    fn task_run_wrap_waits_in_its_body_then_resumes_inline() {
        // The await after Task.Run resumes on the thread that finished the body: no queue.
        check(
            Style::TaskRunWrap,
            Wait::Result,
            io_program(0.0),
            &[Queued, BeforeIo, InIo, AfterIo, Done],
        );
    }

    #[test]
    fn result_over_task_run_waits_then_goes_on() {
        // The body's thread runs the method's rest inline, completes the task and wakes
        // the blocked thread in one event: the blocked thread goes straight on.
        check(
            Style::SyncOverAsync,
            Wait::Result,
            task_run_program(),
            &[Queued, BeforeIo, InIo, AfterIo, Done],
        );
    }

    #[test]
    fn cpu_bound_runs_then_answers() {
        check(
            Style::CpuBound,
            Wait::Result,
            vec![Step::cpu(5.0)],
            &[Queued, BeforeIo, Done],
        );
        check(
            Style::Async,
            Wait::Result,
            task_run_program(),
            &[Queued, BeforeIo, InIo, AfterIo, Done],
        );
    }

    #[test]
    fn the_fast_path_skips_the_wait() {
        for (style, wait) in [
            (Style::Async, Wait::Result),
            (Style::Blocking, Wait::Result),
            (Style::SyncOverAsync, Wait::Result),
            (Style::SyncOverAsync, Wait::SleepPoll),
        ] {
            check(
                style,
                wait,
                io_program(1.0),
                &[Queued, BeforeIo, FastPath, Done],
            );
        }
        // Task.Run does not know the read inside it was instant: it still queues the body,
        // whose thread reads at once and resumes the method inline, in one event.
        check(
            Style::TaskRunWrap,
            Wait::Result,
            io_program(1.0),
            &[Queued, BeforeIo, InIo, AfterIo, Done],
        );
    }

    #[test]
    fn the_state_machine_follows_an_async_request() {
        let slow = phases(scenario(Style::Async, Wait::Result, io_program(0.0)));
        assert_one_line_each(&STATE_MACHINE, &slow);
        let at = |p| STATE_MACHINE.lines[STATE_MACHINE.line_of(p).unwrap()].code;
        assert!(at(InIo).trim_start().starts_with("return;"));
        assert!(at(Resuming).contains("case 0:"));
        assert!(at(AfterIo).contains("GetResult()"));
        assert!(at(Done).contains("SetResult"));
        let fast = phases(scenario(Style::Async, Wait::Result, io_program(1.0)));
        assert!(fast.contains(&FastPath), "{fast:?}");
        assert_one_line_each(&STATE_MACHINE, &fast);
        // The fast path is the line after the `if`: no return, the same thread goes on.
        let line = STATE_MACHINE.line_of(FastPath).unwrap();
        assert!(STATE_MACHINE.lines[line].code.contains("goto case 0"));
        assert!(STATE_MACHINE.lines[line - 2]
            .code
            .trim_start()
            .starts_with("return;"));
    }

    #[test]
    fn a_deadlocked_result_stays_in_its_wait() {
        let mut s = scenario(Style::SyncOverAsync, Wait::Result, io_program(0.0));
        s.pool.synchronization_context = true;
        assert_eq!(phases(s.clone()), [Queued, BeforeIo, InIo]);
        let mut sim = Sim::new(s).expect("valid");
        sim.run_to_end();
        assert!(sim
            .trace()
            .iter()
            .any(|e| e.kind == TraceKind::Deadlock && e.request == Some(1)));
    }

    #[test]
    fn several_io_steps_follow_the_latest() {
        let steps = vec![
            Step::cpu(5.0),
            Step::io(2.0, Dist::Fixed, None),
            Step::cpu(5.0),
            Step::io(2.0, Dist::Fixed, None),
            Step::cpu(5.0),
        ];
        check(
            Style::Async,
            Wait::Result,
            steps.clone(),
            &[
                Queued, BeforeIo, InIo, Resuming, AfterIo, InIo, Resuming, AfterIo, Done,
            ],
        );
        check(
            Style::Blocking,
            Wait::Result,
            steps,
            &[Queued, BeforeIo, InIo, AfterIo, InIo, AfterIo, Done],
        );
    }

    #[test]
    fn each_request_has_its_own_phase() {
        let mut sim =
            Sim::new(scenario(Style::Async, Wait::Result, io_program(0.0))).expect("valid");
        assert_eq!(sim.request_phase(0), None, "not arrived yet");
        sim.step();
        assert_eq!(sim.request_phase(0), Some(BeforeIo));
        assert_eq!(sim.request_phase(1), None);
        sim.step();
        assert_eq!(sim.request_phase(0), Some(BeforeIo));
        assert_eq!(sim.request_phase(1), Some(Queued));
    }

    #[test]
    fn the_deadlock_listing_is_shown_only_under_a_synchronization_context() {
        let classic = crate::curriculum::lessons::lesson_scenario(9, "sync-context")
            .expect("chapter 10's run");
        assert!(std::ptr::eq(
            listing_for_scenario(&classic),
            &SYNC_CONTEXT_DEADLOCK
        ));
        let core =
            crate::curriculum::lessons::lesson_scenario(9, "result").expect("chapter 10's run");
        assert!(std::ptr::eq(listing_for_scenario(&core), &SYNC_OVER_ASYNC));
        // The deadlock needs an await of your own that captures the context.
        let text: Vec<&str> = SYNC_CONTEXT_DEADLOCK.lines.iter().map(|l| l.code).collect();
        assert!(text
            .iter()
            .any(|l| l.contains("LoadActiveUsersAsync().Result")));
        assert!(text
            .iter()
            .any(|l| l.contains("await db.Users") && !l.contains("ConfigureAwait")));
        let key = key_line(&SYNC_CONTEXT_DEADLOCK).expect("a key line");
        assert!(key.contains(".Result"), "{key}");
    }

    #[test]
    fn listings_are_short_and_tag_each_phase_at_most_once() {
        for listing in all_listings() {
            if listing != &STATE_MACHINE {
                assert!(listing.lines.len() <= 9, "{}", listing.caption);
            }
            for &p in RequestPhase::ALL {
                let n = listing.lines.iter().filter(|l| l.at.contains(&p)).count();
                assert!(n <= 1, "{p:?} twice in {}", listing.caption);
            }
            assert!(listing.line_of(Queued).is_some() && listing.line_of(Done).is_some());
            assert!(listing.caption.ends_with('.'));
        }
        assert!(STATE_MACHINE.line_of(FastPath).is_some());
        for style in [
            Style::Blocking,
            Style::Async,
            Style::SyncOverAsync,
            Style::TaskRunWrap,
        ] {
            for wait in [Wait::Result, Wait::SleepPoll] {
                let l = listing_for(style, wait);
                // A blocked thread wakes by itself: nothing is queued to resume it.
                let unreachable: &[RequestPhase] = match style {
                    Style::Blocking => &[Resuming],
                    _ => &[],
                };
                for &p in RequestPhase::ALL {
                    let has = l.line_of(p).is_some();
                    assert_eq!(has, !unreachable.contains(&p), "{style:?} {wait:?}: {p:?}");
                }
            }
        }
        assert!(listing_for(Style::Async, Wait::Result).lines[4]
            .code
            .contains("await"));
        assert!(listing_for(Style::SyncOverAsync, Wait::Result).lines[4]
            .code
            .contains(".Result"));
        assert!(listing_for(Style::SyncOverAsync, Wait::SleepPoll)
            .lines
            .iter()
            .any(|l| l.code.contains("Thread.Sleep(10)")));
    }

    #[test]
    fn every_phase_has_words() {
        for &p in RequestPhase::ALL {
            let w = phase_words(p);
            assert!(!w.is_empty() && !w.ends_with('.'), "{p:?}: {w}");
        }
        assert_eq!(
            phase_words(Queued),
            "waiting in the pool's queue for a thread"
        );
    }
}
