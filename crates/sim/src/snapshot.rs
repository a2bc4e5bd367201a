//! A snapshot: a plain description of what to draw at the current moment. It is built on
//! demand from the engine's state; lists are capped so a frame stays cheap at any scale,
//! each with the total count beside it.

use serde::{Deserialize, Serialize};

use crate::engine::{Doing, Finished, IoState, Sim, ThreadState, WorkKind};

/// Most entries of each list in a snapshot.
pub const SNAPSHOT_LIST_MAX: usize = 256;

/// One live thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadView {
    /// Thread id (as in the trace).
    pub id: u32,
    /// Its state.
    pub state: ThreadState,
    /// What it is doing.
    pub doing: Doing,
    /// The request it serves, if any.
    pub request: Option<u64>,
    /// The core it runs on, if any.
    pub core: Option<u32>,
    /// True when it is blocked in `.Result` on a task whose completion waits for this
    /// very thread's synchronization context: it will never wake.
    pub deadlocked: bool,
    /// Work items in its local queue (`Task.Run` bodies it queued and nobody took yet).
    #[serde(default)]
    pub local_queue: u32,
}

/// One work item waiting in the pool's global queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkView {
    /// What kind of work it is.
    pub kind: WorkKind,
    /// The request it belongs to.
    pub request: u64,
    /// The task whose continuation it is, if any.
    pub task: Option<u64>,
}

/// One I/O call in progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IoView {
    /// The request making the call.
    pub request: u64,
    /// The task (receipt) waiting for it, if the call is asynchronous.
    pub task: Option<u64>,
    /// The thread blocked in it, if the call is synchronous.
    pub thread: Option<u32>,
    /// The resource it goes through, if any.
    pub resource: Option<String>,
    /// True while it waits for the resource's capacity.
    pub waiting_for_resource: bool,
    /// When it went on the wire (left the resource's wait queue), in µs.
    pub started_at_us: Option<u64>,
    /// When it completes, in µs, once on the wire.
    pub done_at_us: Option<u64>,
}

/// A resource's use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceView {
    /// Its name.
    pub name: String,
    /// Its capacity.
    pub capacity: u32,
    /// Slots in use.
    pub in_use: u32,
    /// Calls waiting.
    pub waiting: u32,
}

/// Running totals.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Counters {
    /// Requests sent.
    pub arrived: u64,
    /// Requests answered in time.
    pub completed: u64,
    /// Requests timed out.
    pub failed: u64,
    /// Requests rejected.
    pub rejected: u64,
    /// Requests awaiting an answer.
    pub in_flight: u64,
    /// Requests deadlocked on a synchronization context.
    pub deadlocked: u64,
    /// Tasks not yet completed.
    pub tasks_pending: u32,
    /// I/O calls in progress.
    pub io_in_flight: u32,
    /// The pool's thread goal.
    pub thread_goal: u32,
    /// Threads blocked in `.Result` (what cooperative blocking sees).
    pub blocked_in_wait: u32,
    /// Context switches so far.
    pub context_switches: u64,
    /// Events processed.
    pub events: u64,
}

/// Everything the stage draws at one moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Current time, µs.
    pub time_us: u64,
    /// Live threads (at most `SNAPSHOT_LIST_MAX`).
    pub threads: Vec<ThreadView>,
    /// Live threads in total.
    pub threads_total: u32,
    /// Threads in each state: idle, ready, running, blocked.
    pub threads_by_state: [u32; 4],
    /// The thread on each core.
    pub cores: Vec<Option<u32>>,
    /// Threads waiting for a core, in order (at most `SNAPSHOT_LIST_MAX`).
    pub ready: Vec<u32>,
    /// The pool's global queue, head first (at most `SNAPSHOT_LIST_MAX`).
    pub pool_queue: Vec<WorkView>,
    /// Items in the pool's queue in total.
    pub pool_queue_total: u32,
    /// New requests among them (the incoming queue).
    pub incoming_total: u32,
    /// Work items in all threads' local queues.
    #[serde(default)]
    pub local_queue_total: u32,
    /// I/O calls in progress (at most `SNAPSHOT_LIST_MAX`).
    pub io: Vec<IoView>,
    /// I/O calls in progress in total.
    pub io_total: u32,
    /// Of those, the calls a blocked thread is waiting in (synchronous I/O).
    pub io_holding_thread: u32,
    /// Of those, the calls still waiting for a resource's capacity.
    pub io_waiting_for_resource: u32,
    /// Resources.
    pub resources: Vec<ResourceView>,
    /// The last requests that left the server, oldest first (at most `RECENT_MAX`).
    pub recent: Vec<Finished>,
    /// Running totals.
    pub counters: Counters,
}

impl Snapshot {
    /// How many live threads are in `state`.
    pub fn threads_in(&self, state: ThreadState) -> u32 {
        self.threads_by_state[state as usize]
    }
}

impl Sim {
    /// What to draw now.
    pub fn snapshot(&self) -> Snapshot {
        let request_of = |slot: Option<u32>| slot.map(|s| self.requests[s as usize].id);
        let live = self.threads.iter().filter(|t| t.alive);
        let threads = live
            .take(SNAPSHOT_LIST_MAX)
            .map(|t| ThreadView {
                id: t.id,
                state: t.state,
                doing: t.doing,
                request: request_of(t.job.slot()),
                core: t.core,
                deadlocked: t
                    .job
                    .slot()
                    .is_some_and(|s| self.requests[s as usize].deadlocked),
                local_queue: t.local.len() as u32,
            })
            .collect();
        let thread_id = |slot: u32| self.threads[slot as usize].id;
        let pool_queue = self
            .work
            .iter()
            .take(SNAPSHOT_LIST_MAX)
            .map(|w| {
                let r = &self.requests[w.slot as usize];
                WorkView {
                    kind: w.kind,
                    request: r.id,
                    task: if w.kind == WorkKind::NewRequest {
                        None
                    } else {
                        r.task
                    },
                }
            })
            .collect();
        let io = self
            .requests
            .iter()
            .enumerate()
            .filter(|(_, r)| r.live && r.io != IoState::None)
            .take(SNAPSHOT_LIST_MAX)
            .map(|(slot, r)| IoView {
                request: r.id,
                task: r.task.filter(|_| !r.task_done),
                thread: r.io_thread.map(thread_id),
                resource: self.io_resource_name(r.step),
                waiting_for_resource: r.io == IoState::WaitingResource,
                started_at_us: self.io_started_at(slot as u32).map(|t| t.0),
                done_at_us: self.io_done_at(slot as u32).map(|t| t.0),
            })
            .collect();
        // Exact counts over every call, for the stage's aggregate view at large scale.
        let (mut io_holding_thread, mut io_waiting_for_resource) = (0u32, 0u32);
        for r in self
            .requests
            .iter()
            .filter(|r| r.live && r.io != IoState::None)
        {
            io_holding_thread += u32::from(r.io_thread.is_some());
            io_waiting_for_resource += u32::from(r.io == IoState::WaitingResource);
        }
        Snapshot {
            io_holding_thread,
            io_waiting_for_resource,
            time_us: self.now.0,
            threads,
            threads_total: self.threads_alive,
            threads_by_state: self.state_counts,
            cores: self.cores.iter().map(|c| c.thread.map(thread_id)).collect(),
            ready: self
                .ready
                .iter()
                .take(SNAPSHOT_LIST_MAX)
                .map(|&t| thread_id(t))
                .collect(),
            pool_queue,
            pool_queue_total: self.work.len() as u32,
            incoming_total: self.incoming_len,
            local_queue_total: self.local_len,
            io,
            io_total: self.io_in_flight,
            resources: self
                .resources
                .iter()
                .map(|r| ResourceView {
                    name: r.name.clone(),
                    capacity: r.capacity,
                    in_use: r.in_use,
                    waiting: r.waiting.len() as u32,
                })
                .collect(),
            recent: self.recent.iter().copied().collect(),
            counters: Counters {
                arrived: self.arrived,
                completed: self.completed,
                failed: self.failed,
                rejected: self.rejected,
                in_flight: self.in_flight,
                deadlocked: self.deadlocked,
                tasks_pending: self.tasks_pending,
                io_in_flight: self.io_in_flight,
                thread_goal: self.goal,
                blocked_in_wait: self.blocked_in_wait,
                context_switches: self.context_switches,
                events: self.events_processed(),
            },
        }
    }

    fn io_resource_name(&self, step: u16) -> Option<String> {
        match self.ops.get(step as usize) {
            Some(crate::engine::Op::Io {
                resource: Some(r), ..
            }) => self.resources.get(*r as usize).map(|r| r.name.clone()),
            _ => None,
        }
    }
}
