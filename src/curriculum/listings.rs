//! The code panel's data: the C# each style stands for, with every line a followed request
//! can be "on" tagged by [`Phase`], and [`phase_of`], which reads that phase from the
//! request's trace events. Pure data and functions, tested natively against the engine.
//!
//! The listings are our own short ASP.NET Core handlers. One endpoint, `GetUsers`, is
//! written in each style so the reader sees the single line that differs; the CPU-bound
//! handler hashes a password instead, because it has no I/O at all.

use sim::{Endpoint, Scenario, Style, TraceEvent, TraceKind, Wait};

/// Where a followed request is in its handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Arrived; waiting in the pool's queue for a thread to start the handler.
    Queued,
    /// On a thread, running the code before its first wait (the whole handler when it
    /// never waits).
    BeforeIo,
    /// Waiting for what it called: the I/O (or a `Task.Run` body) is not finished.
    InIo,
    /// The call it waits for was already complete: the same thread goes straight on.
    FastPath,
    /// The wait is over, but the work that carries the request on (an `await`'s
    /// continuation, or the inner completion a `.Result` needs) waits in the pool's queue.
    Resuming,
    /// On a thread again, with the result, running the code after the wait.
    AfterIo,
    /// Answered (or turned away with 503).
    Done,
}

impl Phase {
    /// Every phase, in the order a request meets them.
    pub const ALL: [Phase; 7] = [
        Phase::Queued,
        Phase::BeforeIo,
        Phase::InIo,
        Phase::FastPath,
        Phase::Resuming,
        Phase::AfterIo,
        Phase::Done,
    ];
}

/// One line of a listing and the phases during which a followed request is on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    pub code: &'static str,
    pub at: &'static [Phase],
}

/// A short C# listing with its caption.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listing {
    pub caption: &'static str,
    pub lines: &'static [Line],
}

impl Listing {
    /// The index of the line tagged with `phase`, if this listing has one.
    pub fn line_of(&self, phase: Phase) -> Option<usize> {
        self.lines.iter().position(|l| l.at.contains(&phase))
    }
}

const fn code(code: &'static str) -> Line {
    Line { code, at: &[] }
}

const fn at(code: &'static str, at: &'static [Phase]) -> Line {
    Line { code, at }
}

use Phase::{AfterIo, BeforeIo, Done, FastPath, InIo, Queued, Resuming};

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

/// The phase a request is in after `events`, its trace events so far, oldest first (as
/// `Simulation::trace_of_request` gives them). Events of other requests, and events with
/// no request, are skipped: the request followed is the one named by the first event that
/// names one. `None` when no event names a request.
///
/// The phase is read from the order of events alone, so it works for every style and for
/// programs with several I/O steps (the latest one counts). A story whose start was
/// dropped from the trace buffer is read as well as its remaining events allow.
pub fn phase_of(events: &[TraceEvent]) -> Option<Phase> {
    let request = events.iter().find_map(|e| e.request)?;
    let mut phase: Option<Phase> = None;
    // The request's latest task has completed.
    let mut task_done = false;
    // The queued work item is the rest of the method (an `await`'s continuation), not the
    // inner completion a blocked `.Result` waits for.
    let mut resumes_method = false;
    // A Task.Run body, not the request's own thread, makes the current call.
    let mut offloaded = false;
    // The request's thread waits in a Thread.Sleep loop (seen waking up).
    let mut polling = false;
    for e in events.iter().filter(|e| e.request == Some(request)) {
        phase = match e.kind {
            TraceKind::Arrival => Some(Queued),
            TraceKind::Rejected | TraceKind::Response => Some(Done),
            TraceKind::Dequeue => match phase {
                // A continuation whose arrival was dropped from the trace.
                None if e.task.is_some() => Some(AfterIo),
                None | Some(Queued) => Some(BeforeIo),
                Some(Resuming) if resumes_method => Some(AfterIo),
                // A Task.Run body or a `.Result`'s inner completion, on another thread.
                other => other,
            },
            TraceKind::TaskCreated => {
                task_done = false;
                polling = false;
                phase
            }
            TraceKind::TaskCompleted => {
                task_done = true;
                match phase {
                    // `.Result`'s inner completion ran: the blocked thread goes on (a
                    // polling thread only at its next wake-up).
                    Some(Resuming) if !resumes_method && !polling => Some(AfterIo),
                    other => other,
                }
            }
            TraceKind::PollWake => {
                polling = true;
                match phase {
                    Some(Resuming) if task_done => Some(AfterIo),
                    other => other,
                }
            }
            // A thread that blocks for the request (sync I/O, `.Result`, a Task.Run body),
            // except a poller dozing off again while its inner completion is queued.
            TraceKind::ThreadBlocked => match phase {
                Some(Resuming) => Some(Resuming),
                _ => Some(InIo),
            },
            TraceKind::TaskRunQueued => {
                offloaded = true;
                Some(InIo)
            }
            TraceKind::IoStarted | TraceKind::IoWaitResource => Some(InIo),
            TraceKind::IoCompleted => {
                if e.thread.is_some() && !offloaded {
                    // Synchronous I/O: the blocked thread itself goes on.
                    Some(AfterIo)
                } else {
                    // A continuation or inner completion is about to be queued (or, under
                    // a synchronization context, never will be).
                    phase
                }
            }
            TraceKind::IoCompletedSynchronously => Some(FastPath),
            TraceKind::ContinuationQueued => {
                resumes_method = task_done;
                offloaded = false;
                Some(Resuming)
            }
            // No queue: the method goes on at once, or (for a `.Result`'s inner
            // completion) its task completes next.
            TraceKind::ContinuationInline => {
                resumes_method = task_done;
                offloaded = false;
                Some(if task_done { AfterIo } else { Resuming })
            }
            TraceKind::Timeout
            | TraceKind::Deadlock
            | TraceKind::ThreadIdle
            | TraceKind::ThreadReady
            | TraceKind::ThreadRunning
            | TraceKind::Preempted
            | TraceKind::ThreadInjected
            | TraceKind::ThreadRetired
            | TraceKind::GoalStarvation
            | TraceKind::GoalCooperative
            | TraceKind::GoalHillClimbingUp
            | TraceKind::GoalHillClimbingDown => phase,
        };
    }
    phase
}

/// A phase in words, to finish "The request is …".
pub fn phase_words(p: Phase) -> &'static str {
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
    use sim::{Dist, Scenario, Sim, Step};

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

    /// A few users against a roomy pool, the whole trace kept.
    fn scenario(style: Style, steps: Vec<Step>) -> Scenario {
        let mut s = Scenario {
            duration_ms: 600,
            ..Scenario::default()
        };
        s.pool.min_threads = Some(16);
        s.load.users = 4;
        s.load.think_ms = 10.0;
        s.load.ramp_ms = 20;
        s.endpoint.style = style;
        s.endpoint.steps = steps;
        s.limits.trace_events = 1_000_000;
        s
    }

    fn io_program(complete_sync: f64) -> Vec<Step> {
        let mut io = Step::io(20.0, Dist::Fixed, None);
        io.complete_sync = complete_sync;
        vec![Step::cpu(0.3), io, Step::cpu(0.3)]
    }

    /// Runs the scenario, follows the first request that is answered the way the app does
    /// (its events only), and returns its phases prefix by prefix, without repeats.
    fn phases(s: Scenario) -> Vec<Phase> {
        let mut sim = Sim::new(s).expect("valid");
        sim.run_to_end();
        let trace: Vec<TraceEvent> = sim.trace().iter().copied().collect();
        let request = trace
            .iter()
            .find(|e| e.kind == TraceKind::Response)
            .and_then(|e| e.request)
            .expect("a request is answered");
        phases_of_request(&trace, request)
    }

    fn phases_of_request(trace: &[TraceEvent], request: u64) -> Vec<Phase> {
        let events: Vec<TraceEvent> = trace
            .iter()
            .filter(|e| e.request == Some(request))
            .copied()
            .collect();
        let mut seen: Vec<Phase> = Vec::new();
        for n in 1..=events.len() {
            let p = phase_of(&events[..n]).expect("events name the request");
            if seen.last() != Some(&p) {
                seen.push(p);
            }
        }
        seen
    }

    /// Every phase reached has exactly one line in the listing.
    fn assert_one_line_each(listing: &Listing, reached: &[Phase]) {
        for p in reached {
            let n = listing.lines.iter().filter(|l| l.at.contains(p)).count();
            assert_eq!(n, 1, "{p:?} in {:?}", listing.caption);
        }
    }

    fn check(style: Style, wait: Wait, steps: Vec<Step>, expected: &[Phase]) {
        let mut s = scenario(style, steps);
        s.endpoint.wait = wait;
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
        let mut s = scenario(Style::SyncOverAsync, io_program(0.0));
        s.endpoint.wait = Wait::SleepPoll;
        s.endpoint.poll_ms = 3;
        let mut sim = Sim::new(s).expect("valid");
        sim.run_to_end();
        let trace: Vec<TraceEvent> = sim.trace().iter().copied().collect();
        let request = trace
            .iter()
            .find(|e| e.kind == TraceKind::Response)
            .and_then(|e| e.request)
            .expect("answered");
        let got = phases_of_request(&trace, request);
        assert_eq!(got, [Queued, BeforeIo, InIo, Resuming, AfterIo, Done]);
        assert_one_line_each(&SLEEP_POLL, &got);
        // The thread goes on at the first wake-up after the task completed, not before.
        let events: Vec<TraceEvent> = trace
            .iter()
            .filter(|e| e.request == Some(request))
            .copied()
            .collect();
        let done = events
            .iter()
            .rposition(|e| e.kind == TraceKind::TaskCompleted)
            .expect("the inner task completes");
        assert_eq!(phase_of(&events[..=done]), Some(Resuming));
        let wake = done
            + events[done..]
                .iter()
                .position(|e| e.kind == TraceKind::PollWake)
                .expect("a wake-up follows");
        assert_eq!(phase_of(&events[..=wake]), Some(AfterIo));
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
        let mut offloaded = Step::cpu(2.0);
        offloaded.task_run = true;
        check(
            Style::SyncOverAsync,
            Wait::Result,
            vec![Step::cpu(0.1), offloaded, Step::cpu(0.1)],
            &[Queued, BeforeIo, InIo, Resuming, AfterIo, Done],
        );
    }

    #[test]
    fn cpu_bound_runs_then_answers() {
        check(
            Style::CpuBound,
            Wait::Result,
            vec![Step::cpu(2.0)],
            &[Queued, BeforeIo, Done],
        );
        let mut offloaded = Step::cpu(2.0);
        offloaded.task_run = true;
        check(
            Style::Async,
            Wait::Result,
            vec![Step::cpu(0.1), offloaded, Step::cpu(0.1)],
            &[Queued, BeforeIo, InIo, AfterIo, Done],
        );
    }

    #[test]
    fn the_fast_path_skips_the_wait() {
        check(
            Style::Async,
            Wait::Result,
            io_program(1.0),
            &[Queued, BeforeIo, FastPath, Done],
        );
        check(
            Style::Blocking,
            Wait::Result,
            io_program(1.0),
            &[Queued, BeforeIo, FastPath, Done],
        );
        check(
            Style::SyncOverAsync,
            Wait::Result,
            io_program(1.0),
            &[Queued, BeforeIo, FastPath, Done],
        );
        check(
            Style::SyncOverAsync,
            Wait::SleepPoll,
            io_program(1.0),
            &[Queued, BeforeIo, FastPath, Done],
        );
        // Task.Run does not know the read inside it was instant: it still queues the body.
        check(
            Style::TaskRunWrap,
            Wait::Result,
            io_program(1.0),
            &[Queued, BeforeIo, InIo, FastPath, AfterIo, Done],
        );
    }

    #[test]
    fn the_state_machine_follows_an_async_request() {
        let slow = phases(scenario(Style::Async, io_program(0.0)));
        assert_one_line_each(&STATE_MACHINE, &slow);
        let at = |p| STATE_MACHINE.lines[STATE_MACHINE.line_of(p).unwrap()].code;
        assert!(at(InIo).trim_start().starts_with("return;"));
        assert!(at(Resuming).contains("case 0:"));
        assert!(at(AfterIo).contains("GetResult()"));
        assert!(at(Done).contains("SetResult"));
        let fast = phases(scenario(Style::Async, io_program(1.0)));
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
        let mut s = scenario(Style::SyncOverAsync, io_program(0.0));
        s.pool.synchronization_context = true;
        let mut sim = Sim::new(s).expect("valid");
        sim.run_to_end();
        let trace: Vec<TraceEvent> = sim.trace().iter().copied().collect();
        let request = trace
            .iter()
            .find(|e| e.kind == TraceKind::Deadlock)
            .and_then(|e| e.request)
            .expect("a deadlock");
        assert_eq!(phases_of_request(&trace, request), [Queued, BeforeIo, InIo]);
    }

    #[test]
    fn several_io_steps_follow_the_latest() {
        let steps = vec![
            Step::cpu(0.2),
            Step::io(5.0, Dist::Fixed, None),
            Step::cpu(0.2),
            Step::io(5.0, Dist::Fixed, None),
            Step::cpu(0.2),
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
    fn other_requests_events_are_ignored() {
        let mut sim = Sim::new(scenario(Style::Async, io_program(0.0))).expect("valid");
        sim.run_to_end();
        let trace: Vec<TraceEvent> = sim.trace().iter().copied().collect();
        let first = trace.iter().find_map(|e| e.request).unwrap();
        let mine: Vec<TraceEvent> = trace
            .iter()
            .filter(|e| e.request == Some(first))
            .copied()
            .collect();
        assert_eq!(phase_of(&trace), phase_of(&mine));
        assert_eq!(phase_of(&[]), None);
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
            for p in Phase::ALL {
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
                let unreachable: &[Phase] = match style {
                    Style::Blocking => &[Resuming],
                    _ => &[],
                };
                for p in Phase::ALL {
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
        for p in Phase::ALL {
            let w = phase_words(p);
            assert!(!w.is_empty() && !w.ends_with('.'), "{p:?}: {w}");
        }
        assert_eq!(
            phase_words(Queued),
            "waiting in the pool's queue for a thread"
        );
    }
}
