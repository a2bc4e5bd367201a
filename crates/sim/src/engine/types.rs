//! The records the engine's state is made of: threads, requests, work items, the
//! endpoint's steps compiled to `Op`s, cores and resources; and the public enums a
//! snapshot reports about them. Plain data: their behaviour is in the other files.

use std::collections::VecDeque;

use super::RequestPhase;
use crate::rng::Dist;
use crate::time::SimTime;

/// A thread's state (DESIGN §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreadState {
    /// Parked in the pool with no work.
    Idle = 0,
    /// Runnable, waiting in the OS ready queue for a core.
    Ready = 1,
    /// On a core.
    Running = 2,
    /// Waiting: on synchronous I/O, on a task via `.Result`, or sleeping.
    Blocked = 3,
}

/// What a thread is doing, in more detail than its state (for drawing and the event log).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Doing {
    /// Parked, no work.
    Idle,
    /// Dequeuing and starting a work item.
    Dispatch,
    /// Running the endpoint's CPU work.
    Cpu,
    /// Blocked in synchronous I/O.
    BlockedIo,
    /// Blocked waiting for a resource's capacity (a connection from the pool).
    WaitingResource,
    /// Blocked in `.Result` / `.Wait()`.
    WaitResult,
    /// Asleep in a `Thread.Sleep` polling loop.
    SleepPoll,
    /// Awake in a polling loop, checking the task.
    Polling,
    /// Running the inner continuation that completes another thread's `.Result` task.
    InnerCompletion,
}

/// The kind of a work item in the pool's global queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// A new request from a client.
    NewRequest,
    /// The rest of an `async` method after its awaited task completed.
    Continuation,
    /// The continuation that completes the task a `.Result` is waiting for.
    InnerCompletion,
    /// The body of a `Task.Run`.
    TaskRunBody,
    /// A timer queue's firing (`slot` is the timer queue): it runs the first due timer's
    /// continuation inline and queues the rest. It waits in the pool's priority queue,
    /// never in the global one, and the stage does not draw it.
    TimerFiring,
}

/// A work item: what it is and which request (slot in the request table) it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WorkItem {
    pub kind: WorkKind,
    pub slot: u32,
}

/// The work a thread is executing; `Poll` and `TaskRunFinish` are the points a thread
/// resumes at after sleeping or after the body of a `Task.Run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Job {
    None,
    Request(u32),
    InnerCompletion(u32),
    TaskRunBody(u32),
    TaskRunFinish(u32),
    Poll(u32),
    /// Firing timer queue `u32`'s due timers.
    Timer(u32),
}

impl Job {
    /// What a thread does with a work item it takes.
    pub fn for_item(item: WorkItem) -> Job {
        match item.kind {
            WorkKind::NewRequest | WorkKind::Continuation => Job::Request(item.slot),
            WorkKind::InnerCompletion => Job::InnerCompletion(item.slot),
            WorkKind::TaskRunBody => Job::TaskRunBody(item.slot),
            WorkKind::TimerFiring => Job::Timer(item.slot),
        }
    }

    pub fn slot(self) -> Option<u32> {
        match self {
            Job::None | Job::Timer(_) => None,
            Job::Request(s)
            | Job::InnerCompletion(s)
            | Job::TaskRunBody(s)
            | Job::TaskRunFinish(s)
            | Job::Poll(s) => Some(s),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Thread {
    pub id: u32,
    pub alive: bool,
    pub state: ThreadState,
    pub doing: Doing,
    pub job: Job,
    /// The thread must pay the cost of starting its work item before running it.
    pub dispatch_pending: bool,
    pub cpu_left_us: u64,
    pub core: Option<u32>,
    /// Bumped whenever the thread parks or sleeps, so stale timer events can be ignored.
    pub epoch: u32,
    /// When the thread last parked.
    pub idle_since: SimTime,
    /// A retirement check (`Event::IdleRetire`) is scheduled for this thread.
    pub retire_pending: bool,
    /// When the thread's current dispatch quantum began (.NET 6's 30 ms quantum).
    pub quantum_at: SimTime,
    /// The thread's local queue (`Task.Run` bodies it queued): the owner takes from the
    /// back (LIFO), other threads steal from the front, and only when the global queue is
    /// empty.
    pub local: VecDeque<WorkItem>,
}

/// Where a request's current I/O call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IoState {
    None,
    WaitingResource,
    InFlight { started_at_us: u64, done_at_us: u64 },
}

#[derive(Clone, Debug)]
pub(crate) struct Request {
    pub id: u64,
    pub live: bool,
    /// The closed-load user who sent it, or `u32::MAX` for open load.
    pub user: u32,
    pub arrived: SimTime,
    /// Index of the next step of the endpoint program.
    pub step: u16,
    pub timed_out: bool,
    pub task: Option<u64>,
    pub task_done: bool,
    /// The thread blocked in `.Result` (or polling) for this request's task.
    pub waiter: Option<u32>,
    /// The thread blocked in synchronous I/O for this request.
    pub io_thread: Option<u32>,
    pub io: IoState,
    pub deadlocked: bool,
    /// Which attempt of its user's request this is (1 = the first).
    pub attempt: u32,
    /// Server work items still to pass through the global queue before the action runs
    /// (`endpoint.server_items` − 1 at arrival).
    pub server_items_left: u32,
    /// Where it is in its handler, as the engine moves it (`phase.rs`).
    pub phase: RequestPhase,
}

/// One step of the endpoint program, with units converted and the resource resolved.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Op {
    Cpu {
        us: u64,
        task_run: bool,
    },
    Io {
        mean_us: u64,
        dist: Dist,
        sigma: f64,
        resource: Option<u16>,
        /// Probability (0–1) that a call finds its result already there.
        complete_sync: f64,
        /// The completion comes through a timer queue (`Task.Delay`), not a socket.
        timer: bool,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct ResourceState {
    pub name: String,
    pub capacity: u32,
    pub in_use: u32,
    pub waiting: VecDeque<u32>,
}

#[derive(Clone, Debug)]
pub(crate) struct Core {
    pub thread: Option<u32>,
    pub last_thread: Option<u32>,
    /// Useful CPU time of the segment now running (excluding the switch-in cost).
    pub segment_run_us: u64,
    /// When the useful part of the current segment starts (after any switch-in cost).
    pub segment_useful_start_us: u64,
    pub slice_left_us: u64,
}

/// How many recently finished requests a snapshot carries.
pub const RECENT_MAX: usize = 12;

/// How a request left the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Answered while its client still waited.
    Answered,
    /// Answered after its client had timed out: work nobody reads.
    Late,
    /// Refused at arrival (HTTP 503): the queue or the request table was full.
    Rejected,
}

/// A request that left the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Finished {
    /// The request.
    pub request: u64,
    /// How it left.
    pub outcome: Outcome,
    /// When, in µs.
    pub at_us: u64,
}
