//! The pool's side of work items: its global FIFO queue, the priority queue for timer
//! firings, the threads' local queues (`Task.Run` bodies), creating a thread below the
//! goal, handing an item to a parked or new thread, and the order a thread takes items in
//! (`pop_work`, which follows `pool.runtime`).

use super::{Doing, Job, RequestPhase, Sim, Thread, ThreadState, WorkItem, WorkKind};
use crate::report::TraceKind;
use crate::scenario::Runtime;
use crate::time::SimTime;

/// .NET 6's dispatch quantum: a thread that has dispatched this long runs one
/// time-sensitive item (dotnet/runtime ThreadPoolWorkQueue, `DispatchQuantumMs = 30`).
const DISPATCH_QUANTUM_US: u64 = 30_000;

impl Sim {
    pub(crate) fn can_create_thread(&self) -> bool {
        self.threads_alive < self.goal && self.threads_alive < self.scenario.pool.max_threads
    }

    /// Threads working on a work item (running, ready or blocked): every live thread that
    /// is not parked.
    pub(crate) fn processing(&self) -> u32 {
        self.threads_alive - self.idle.len() as u32
    }

    /// Whether a parked thread may take new work now. Only hill climbing lowers the goal
    /// below the threads at work; then parked threads wait until the goal rises again.
    fn parked_may_work(&self) -> bool {
        !self.idle.is_empty() && self.processing() < self.goal
    }

    /// Whether a work item queued now would start at once (on a parked or a new thread).
    pub(crate) fn can_take_at_once(&self) -> bool {
        self.parked_may_work() || self.can_create_thread()
    }

    fn create_thread(&mut self) -> u32 {
        let id = self.next_thread_id;
        self.next_thread_id = self.next_thread_id.wrapping_add(1);
        let fresh = Thread {
            id,
            alive: true,
            state: ThreadState::Idle,
            doing: Doing::Idle,
            job: Job::None,
            dispatch_pending: false,
            cpu_left_us: 0,
            core: None,
            epoch: 0,
            idle_since: SimTime::ZERO,
            retire_pending: false,
            quantum_at: SimTime::ZERO,
            local: std::collections::VecDeque::new(),
        };
        let slot = match self.free_thread_slots.pop() {
            Some(slot) => {
                self.threads[slot as usize] = fresh;
                slot
            }
            None => {
                self.threads.push(fresh);
                (self.threads.len() - 1) as u32
            }
        };
        self.state_counts[ThreadState::Idle as usize] += 1;
        self.threads_alive += 1;
        self.threads_max = self.threads_max.max(self.threads_alive);
        self.injections.threads_created += 1;
        self.window.injected += 1;
        self.emit(TraceKind::ThreadInjected, Some(id), None, None);
        slot
    }

    /// Whether any work item waits, in the global queue, the priority one or a thread's
    /// local queue.
    pub(crate) fn has_work(&self) -> bool {
        !self.work.is_empty() || !self.priority.is_empty() || self.local_len > 0
    }

    /// Queues a `Task.Run` body to the local queue of the pool thread that starts it, as
    /// the runtime does for work queued from a pool thread (dotnet/runtime
    /// `ThreadPoolTaskScheduler.QueueTask`, `preferLocal` unless `PreferFairness`).
    pub(super) fn push_local(&mut self, thread: u32, item: WorkItem) {
        self.threads[thread as usize].local.push_back(item);
        self.local_len += 1;
    }

    /// Takes the oldest item from another thread's local queue (a steal), if any.
    fn steal(&mut self, thief: Option<u32>) -> Option<WorkItem> {
        if self.local_len == 0 {
            return None;
        }
        let n = self.threads.len() as u32;
        for i in 0..n {
            let victim = (self.steal_next + i) % n;
            if Some(victim) == thief {
                continue;
            }
            if let Some(item) = self.threads[victim as usize].local.pop_front() {
                self.local_len -= 1;
                self.steal_next = (victim + 1) % n;
                return Some(item);
            }
        }
        None
    }

    /// .NET 10: a thread that blocks on a task first moves its local items to the
    /// high-priority queue, where any thread takes them before new work (dotnet/runtime
    /// PR #112796). Before .NET 10 they wait there until the global queue is empty and
    /// another thread steals them.
    pub(super) fn release_local_on_block(&mut self, thread: u32) {
        if self.scenario.pool.runtime != Runtime::Net10 {
            return;
        }
        let moved = std::mem::take(&mut self.threads[thread as usize].local);
        self.local_len -= moved.len() as u32;
        self.priority.extend(moved);
    }

    /// Queues a work item to the pool: an idle thread takes it at once, else a new thread
    /// if the pool is below its goal, else it waits in the global FIFO queue (a timer
    /// firing in the priority queue).
    pub(crate) fn enqueue(&mut self, item: WorkItem) {
        if self.parked_may_work() {
            if let Some(thread) = self.idle.pop() {
                self.hand_to_parked(thread, item);
                return;
            }
        }
        if self.can_create_thread() {
            let thread = self.create_thread();
            self.hand_to_parked(thread, item);
            return;
        }
        if self.threads_alive >= self.scenario.pool.max_threads {
            self.limits_hit.max_threads += 1;
        }
        if item.kind == WorkKind::TimerFiring {
            self.priority.push_back(item);
            return;
        }
        if item.kind == WorkKind::NewRequest {
            self.incoming_len += 1;
        }
        self.work.push_back(item);
        self.note_queue_len();
    }

    /// A timer (`Task.Delay`) came due: it waits in its timer queue until the queue's
    /// firing runs on a pool thread, which the first due timer of a queue asks for.
    pub(super) fn timer_due(&mut self, slot: u32, kind: WorkKind) {
        // The wait is over; the trace says so only when the firing runs.
        self.set_phase(slot, RequestPhase::Resuming);
        let queues = self.timers_due.len().max(1);
        // The runtime picks the queue by the processor the timer was created on; the
        // model spreads timers over the queues by request number.
        let q = (self.request_id(slot) % queues as u64) as usize;
        self.timers_due[q].push_back((slot, kind));
        if !self.timer_firing_queued[q] {
            self.timer_firing_queued[q] = true;
            self.enqueue(WorkItem {
                kind: WorkKind::TimerFiring,
                slot: q as u32,
            });
        }
    }

    /// A thread takes a work item (dequeues it).
    pub(super) fn take_item(&mut self, thread: u32, item: WorkItem) {
        self.last_dequeue = self.now;
        self.work_items += 1;
        self.window.work_items += 1;
        let job = Job::for_item(item);
        let t = &mut self.threads[thread as usize];
        t.job = job;
        t.dispatch_pending = true;
        let id = t.id;
        // A timer queue's firing belongs to no request: its slot is the timer queue.
        let (request, task) = match item.kind {
            WorkKind::TimerFiring => (None, None),
            _ => (
                Some(self.request_id(item.slot)),
                self.requests[item.slot as usize].task,
            ),
        };
        self.emit(TraceKind::Dequeue, Some(id), request, task);
        match item.kind {
            // The handler runs in the last of the server's own work items.
            WorkKind::NewRequest if self.requests[item.slot as usize].server_items_left == 0 => {
                self.set_phase(item.slot, RequestPhase::BeforeIo)
            }
            WorkKind::Continuation => self.set_phase(item.slot, RequestPhase::AfterIo),
            _ => {}
        }
    }

    /// Gives a work item to a parked (or new) thread, which starts after the current event.
    fn hand_to_parked(&mut self, thread: u32, item: WorkItem) {
        // A parked or new thread enters Dispatch: its quantum starts now.
        self.threads[thread as usize].quantum_at = self.now;
        self.take_item(thread, item);
        self.wake_list.push_back(thread);
    }

    /// The next work item a thread takes: `going_on` names the thread when it goes on
    /// after finishing an item, `None` when a thread enters Dispatch (new or woken). On
    /// .NET 7+ the high-priority queue comes before the global one. On .NET 6 the
    /// time-sensitive queue comes after the global one, except at every other Dispatch
    /// entry (6.0 servicing's alternation, PR #61931) and once whenever a thread's 30 ms
    /// dispatch quantum has run out (`DispatchQuantumMs`).
    pub(super) fn pop_work(&mut self, going_on: Option<u32>) -> Option<WorkItem> {
        // A thread's own local queue comes first, newest item first.
        if let Some(thread) = going_on {
            if let Some(item) = self.threads[thread as usize].local.pop_back() {
                self.local_len -= 1;
                return Some(item);
            }
        }
        let priority_first = match (self.scenario.pool.runtime, going_on) {
            (Runtime::Net6, None) => {
                self.time_sensitive_turn = !self.time_sensitive_turn;
                self.time_sensitive_turn
            }
            (Runtime::Net6, Some(thread)) => {
                let t = &mut self.threads[thread as usize];
                let expired = self.now.since(t.quantum_at) >= DISPATCH_QUANTUM_US;
                if expired && !self.priority.is_empty() {
                    t.quantum_at = self.now;
                }
                expired
            }
            (Runtime::Net8 | Runtime::Net10, _) => true,
        };
        if priority_first {
            if let Some(item) = self.priority.pop_front() {
                return Some(item);
            }
        }
        if let Some(item) = self.work.pop_front() {
            if item.kind == WorkKind::NewRequest {
                self.incoming_len -= 1;
            }
            return Some(item);
        }
        if let Some(item) = self.steal(going_on) {
            return Some(item);
        }
        self.priority.pop_front()
    }

    /// Starts queued work while the pool is below its goal: on parked threads first (there
    /// are some only after hill climbing lowered the goal), then on new threads.
    pub(super) fn fill_to_goal(&mut self) {
        while self.has_work() && self.can_take_at_once() {
            let Some(item) = self.pop_work(None) else {
                return;
            };
            let thread = if self.parked_may_work() {
                match self.idle.pop() {
                    Some(thread) => thread,
                    None => self.create_thread(),
                }
            } else {
                self.create_thread()
            };
            self.hand_to_parked(thread, item);
        }
    }

    pub(crate) fn drain_wake_list(&mut self) {
        while let Some(thread) = self.wake_list.pop_front() {
            self.run_thread(thread);
        }
    }
}
