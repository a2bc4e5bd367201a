//! What threads do: the pool handing out work items, the endpoint program run step by step
//! in its style, tasks, I/O, resources, and thread injection and retirement.

use super::{Doing, Event, IoState, Job, Op, Sim, Thread, ThreadState, WorkItem, WorkKind};
use super::{DRAW_CAP_US, POLL_CPU_US};
use crate::hill_climbing::ForceReason;
use crate::pool;
use crate::report::TraceKind;
use crate::scenario::{Runtime, Style, Wait};
use crate::time::{SimTime, US_PER_MS};

/// .NET 6's dispatch quantum: a thread that has dispatched this long runs one
/// time-sensitive item (dotnet/runtime ThreadPoolWorkQueue, `DispatchQuantumMs = 30`).
const DISPATCH_QUANTUM_US: u64 = 30_000;

impl Sim {
    fn request_id(&self, slot: u32) -> u64 {
        self.requests[slot as usize].id
    }

    fn thread_id(&self, thread: u32) -> u32 {
        self.threads[thread as usize].id
    }

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
    fn push_local(&mut self, thread: u32, item: WorkItem) {
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
    fn release_local_on_block(&mut self, thread: u32) {
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
    fn timer_due(&mut self, slot: u32, kind: WorkKind) {
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
    fn take_item(&mut self, thread: u32, item: WorkItem) {
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
    fn pop_work(&mut self, going_on: Option<u32>) -> Option<WorkItem> {
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
    fn fill_to_goal(&mut self) {
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

    fn create_task(&mut self, slot: u32) -> u64 {
        let task = self.next_task_id;
        self.next_task_id += 1;
        let r = &mut self.requests[slot as usize];
        r.task = Some(task);
        r.task_done = false;
        let id = r.id;
        self.tasks_pending += 1;
        self.emit(TraceKind::TaskCreated, None, Some(id), Some(task));
        task
    }

    fn complete_task(&mut self, slot: u32, thread: Option<u32>) {
        let r = &mut self.requests[slot as usize];
        if r.task_done {
            return;
        }
        r.task_done = true;
        let (id, task) = (r.id, r.task);
        self.tasks_pending = self.tasks_pending.saturating_sub(1);
        let thread_id = thread.map(|t| self.thread_id(t));
        self.emit(TraceKind::TaskCompleted, thread_id, Some(id), task);
    }

    fn queue_continuation(&mut self, slot: u32, kind: WorkKind) {
        self.note_on_its_way(slot, kind);
        self.enqueue(WorkItem { kind, slot });
    }

    /// The trace's word that a request's next piece of work is queued for a thread.
    fn note_on_its_way(&mut self, slot: u32, kind: WorkKind) {
        let (id, task) = (self.request_id(slot), self.requests[slot as usize].task);
        let trace = if kind == WorkKind::TaskRunBody {
            TraceKind::TaskRunQueued
        } else {
            TraceKind::ContinuationQueued
        };
        self.emit(trace, None, Some(id), task);
    }

    /// The trace's word that `thread` runs a request's next piece of work inline, with no
    /// trip through a queue.
    fn note_inline(&mut self, thread: u32, slot: u32) {
        let (id, task) = (self.request_id(slot), self.requests[slot as usize].task);
        let me = self.thread_id(thread);
        self.emit(TraceKind::ContinuationInline, Some(me), Some(id), task);
    }

    /// Runs a thread until it must wait for something: a core, I/O, a task, or work.
    pub(crate) fn run_thread(&mut self, thread: u32) {
        // Each pass either finishes with a wait (return) or moves the program forward, and
        // a program has at most STEPS_MAX steps, so this loop is bounded per work item;
        // the outer bound is the queue length, which is finite.
        loop {
            if self.threads[thread as usize].dispatch_pending {
                self.threads[thread as usize].dispatch_pending = false;
                let cost = self.scenario.pool.work_item_us;
                if cost > 0 {
                    self.need_cpu(thread, cost, Doing::Dispatch);
                    return;
                }
            }
            match self.threads[thread as usize].job {
                Job::None => {
                    // The thread has just finished a work item: that is progress for the
                    // gate (the runtime resets its clock on every completion), and the
                    // moment hill climbing may take a sample.
                    self.items_done += 1;
                    self.last_dequeue = self.now;
                    self.maybe_adjust_hill();
                    // Above the goal (hill climbing lowered it), the thread stops taking
                    // work, and leaves the queue as it is; it still finishes the items
                    // it queued to itself, so none is left on a parked thread.
                    let over_goal = self.processing() > self.goal
                        && self.threads[thread as usize].local.is_empty();
                    let next = if over_goal {
                        None
                    } else {
                        self.pop_work(Some(thread))
                    };
                    match next {
                        Some(item) => self.take_item(thread, item),
                        None => {
                            self.go_idle(thread);
                            return;
                        }
                    }
                }
                Job::Request(slot) => {
                    if !self.run_request_step(thread, slot) {
                        return;
                    }
                }
                Job::TaskRunBody(slot) => {
                    let step = self.requests[slot as usize].step as usize;
                    self.threads[thread as usize].job = Job::TaskRunFinish(slot);
                    match self.ops.get(step).copied() {
                        Some(Op::Cpu { us, .. }) => {
                            self.requests[slot as usize].step += 1;
                            if us > 0 {
                                self.need_cpu(thread, us, Doing::Cpu);
                                return;
                            }
                        }
                        Some(Op::Io { .. }) => {
                            if self.completes_synchronously(step) {
                                // The synchronous call inside Task.Run returns at once; the
                                // wrapper still completes its task and queues the rest.
                                self.fast_path(thread, slot);
                                continue;
                            }
                            self.requests[slot as usize].io_thread = Some(thread);
                            let id = self.request_id(slot);
                            self.block(thread, Doing::BlockedIo, Some(id));
                            self.start_io(slot);
                            return;
                        }
                        None => {}
                    }
                }
                Job::TaskRunFinish(slot) => {
                    if self.style == Style::SyncOverAsync {
                        // `.Result` on an async method awaiting `Task.Run`: the method's
                        // rest runs inline on this thread and completes the task the
                        // blocked thread waits on, which goes on.
                        self.note_inline(thread, slot);
                        self.complete_task(slot, Some(thread));
                        self.wake_result_waiter(slot);
                        self.threads[thread as usize].job = Job::None;
                    } else {
                        self.complete_task(slot, Some(thread));
                        // The `await` after `Task.Run` resumes inline, on the thread that
                        // completed the task (dotnet/runtime `Task.RunContinuations`).
                        self.note_inline(thread, slot);
                        self.threads[thread as usize].job = Job::Request(slot);
                    }
                }
                Job::InnerCompletion(slot) => {
                    self.threads[thread as usize].doing = Doing::InnerCompletion;
                    self.complete_task(slot, Some(thread));
                    self.wake_result_waiter(slot);
                    self.threads[thread as usize].job = Job::None;
                }
                Job::Timer(q) => {
                    // The timer queue fires: the first due timer's continuation runs
                    // inline on this thread, every other due timer is queued to the
                    // global queue (dotnet/runtime TimerQueue.FireNextTimers).
                    let q = q as usize;
                    self.timer_firing_queued[q] = false;
                    let mut due = std::mem::take(&mut self.timers_due[q]);
                    let first = due.pop_front();
                    for (slot, kind) in due {
                        self.queue_continuation(slot, kind);
                    }
                    self.threads[thread as usize].job = match first {
                        Some((slot, kind)) => {
                            self.note_inline(thread, slot);
                            Job::for_item(WorkItem { kind, slot })
                        }
                        None => Job::None,
                    };
                }
                Job::Poll(slot) => {
                    if self.requests[slot as usize].task_done {
                        self.requests[slot as usize].waiter = None;
                        self.threads[thread as usize].job = Job::Request(slot);
                    } else {
                        self.sleep_poll(thread, slot);
                        return;
                    }
                }
            }
        }
    }

    /// Runs the request's next step on `thread`. Returns false when the thread must wait.
    fn run_request_step(&mut self, thread: u32, slot: u32) -> bool {
        let r = &mut self.requests[slot as usize];
        if r.server_items_left > 0 {
            // The server's own work item (Kestrel's socket engine reading the request)
            // ends by queueing the next one globally; the action runs in the last.
            r.server_items_left -= 1;
            self.threads[thread as usize].job = Job::None;
            self.enqueue(WorkItem {
                kind: WorkKind::NewRequest,
                slot,
            });
            return true;
        }
        let step = r.step as usize;
        let Some(op) = self.ops.get(step).copied() else {
            let id = self.thread_id(thread);
            self.respond(slot, id);
            self.threads[thread as usize].job = Job::None;
            return true;
        };
        match op {
            Op::Cpu {
                us,
                task_run: false,
            } => {
                self.requests[slot as usize].step += 1;
                if us > 0 {
                    self.need_cpu(thread, us, Doing::Cpu);
                    return false;
                }
                true
            }
            Op::Cpu { task_run: true, .. } if self.style == Style::SyncOverAsync => {
                // `Task.Run(...).Result`: the body goes to this thread's local queue and
                // the thread blocks waiting for it.
                self.queue_task_run_body(thread, slot);
                self.requests[slot as usize].waiter = Some(thread);
                self.wait_for_task(thread, slot);
                self.fill_to_goal();
                false
            }
            Op::Cpu { task_run: true, .. } => {
                self.offload_to_task_run(thread, slot);
                true
            }
            Op::Io { .. }
                if self.style != Style::TaskRunWrap && self.completes_synchronously(step) =>
            {
                // The result is already there: `await` does not return to the pool, `.Result`
                // does not wait, a synchronous read does not block.
                if matches!(self.style, Style::Async | Style::SyncOverAsync) {
                    self.create_task(slot);
                    self.complete_task(slot, Some(thread));
                }
                self.fast_path(thread, slot);
                true
            }
            Op::Io { .. } => match self.style {
                Style::Blocking | Style::CpuBound => {
                    self.requests[slot as usize].io_thread = Some(thread);
                    let id = self.request_id(slot);
                    self.block(thread, Doing::BlockedIo, Some(id));
                    self.start_io(slot);
                    false
                }
                Style::Async => {
                    self.create_task(slot);
                    self.start_io(slot);
                    // The method returns at the await: the thread goes back to the pool.
                    self.threads[thread as usize].job = Job::None;
                    true
                }
                Style::TaskRunWrap => {
                    self.offload_to_task_run(thread, slot);
                    true
                }
                Style::SyncOverAsync => {
                    self.create_task(slot);
                    self.requests[slot as usize].waiter = Some(thread);
                    self.start_io(slot);
                    self.wait_for_task(thread, slot);
                    false
                }
            },
        }
    }

    /// Whether the I/O call at `step` finds its result already there. Draws from its own
    /// stream, and only for steps with `complete_sync` > 0, so that every other scenario
    /// keeps its trace bit for bit.
    fn completes_synchronously(&mut self, step: usize) -> bool {
        match self.ops.get(step).copied() {
            Some(Op::Io { complete_sync, .. }) if complete_sync > 0.0 => {
                self.rng_sync.unit_open0() <= complete_sync
            }
            _ => false,
        }
    }

    /// The I/O call at the request's current step completed synchronously on `thread`:
    /// nothing goes in flight, no resource is taken, and the program moves to its next
    /// step on the same thread.
    fn fast_path(&mut self, thread: u32, slot: u32) {
        let r = &mut self.requests[slot as usize];
        r.step += 1;
        let (id, task) = (r.id, r.task);
        let thread_id = self.thread_id(thread);
        self.emit(
            TraceKind::IoCompletedSynchronously,
            Some(thread_id),
            Some(id),
            task,
        );
    }

    /// The thread waits for the request's task the way the endpoint is written:
    /// blocked in `.Result` (which the pool sees) or sleeping between checks.
    fn wait_for_task(&mut self, thread: u32, slot: u32) {
        match self.wait {
            Wait::Result => {
                let id = self.request_id(slot);
                self.block(thread, Doing::WaitResult, Some(id));
                self.blocked_in_wait += 1;
                self.release_local_on_block(thread);
                self.cooperative_check();
            }
            Wait::SleepPoll => {
                self.threads[thread as usize].job = Job::Poll(slot);
                self.sleep_poll(thread, slot);
            }
        }
    }

    /// `await Task.Run(...)`: the step becomes a separate work item in this thread's local
    /// queue, and the thread returns to the pool, where it takes its own newest local
    /// item first: usually the very body it queued.
    fn offload_to_task_run(&mut self, thread: u32, slot: u32) {
        self.queue_task_run_body(thread, slot);
        self.threads[thread as usize].job = Job::None;
    }

    /// `Task.Run(...)` on `thread`: the request's task, and its body in the thread's local
    /// queue.
    fn queue_task_run_body(&mut self, thread: u32, slot: u32) {
        self.create_task(slot);
        self.note_on_its_way(slot, WorkKind::TaskRunBody);
        self.push_local(
            thread,
            WorkItem {
                kind: WorkKind::TaskRunBody,
                slot,
            },
        );
    }

    fn sleep_poll(&mut self, thread: u32, slot: u32) {
        let id = self.request_id(slot);
        self.block(thread, Doing::SleepPoll, Some(id));
        let t = &mut self.threads[thread as usize];
        t.epoch = t.epoch.wrapping_add(1);
        let epoch = t.epoch;
        let at = self
            .now
            .plus_us(self.scenario.endpoint.poll_ms.saturating_mul(US_PER_MS));
        self.schedule(at, Event::PollWake { thread, epoch });
    }

    pub(crate) fn on_poll_wake(&mut self, thread: u32, epoch: u32) {
        let t = &self.threads[thread as usize];
        if !t.alive || t.epoch != epoch || t.doing != Doing::SleepPoll {
            return;
        }
        let id = t.id;
        let request = t.job.slot().map(|s| self.request_id(s));
        self.emit(TraceKind::PollWake, Some(id), request, None);
        self.need_cpu(thread, POLL_CPU_US, Doing::Polling);
    }

    /// The inner task of a `.Result` completed: the blocked thread may go on.
    fn wake_result_waiter(&mut self, slot: u32) {
        let Some(waiter) = self.requests[slot as usize].waiter else {
            return;
        };
        if self.threads[waiter as usize].doing != Doing::WaitResult {
            // A polling waiter notices the completed task on its next wake-up.
            return;
        }
        self.requests[slot as usize].waiter = None;
        self.blocked_in_wait = self.blocked_in_wait.saturating_sub(1);
        self.wake_list.push_back(waiter);
    }

    // ---- I/O ----------------------------------------------------------------------------

    /// Starts the I/O step at the request's current step, waiting for its resource first.
    fn start_io(&mut self, slot: u32) {
        let step = self.requests[slot as usize].step as usize;
        let Some(Op::Io { resource, .. }) = self.ops.get(step).copied() else {
            return;
        };
        self.io_in_flight += 1;
        if let Some(res) = resource {
            let r = &mut self.resources[res as usize];
            if r.in_use >= r.capacity {
                r.waiting.push_back(slot);
                self.requests[slot as usize].io = IoState::WaitingResource;
                if let Some(t) = self.requests[slot as usize].io_thread {
                    self.threads[t as usize].doing = Doing::WaitingResource;
                }
                let (id, task) = (self.request_id(slot), self.requests[slot as usize].task);
                let thread = self.requests[slot as usize]
                    .io_thread
                    .map(|t| self.thread_id(t));
                self.emit(TraceKind::IoWaitResource, thread, Some(id), task);
                return;
            }
            r.in_use += 1;
        }
        self.launch_io(slot);
    }

    /// The I/O call leaves for the device/network; its latency is drawn now.
    fn launch_io(&mut self, slot: u32) {
        let step = self.requests[slot as usize].step as usize;
        let Some(Op::Io {
            mean_us,
            dist,
            sigma,
            ..
        }) = self.ops.get(step).copied()
        else {
            return;
        };
        let latency_us = self.rng_io.sample_us(dist, mean_us, sigma, DRAW_CAP_US);
        let done_at = self.now.plus_us(latency_us);
        let r = &mut self.requests[slot as usize];
        r.io = IoState::InFlight {
            started_at_us: self.now.0,
            done_at_us: done_at.0,
        };
        let (id, task, io_thread) = (r.id, r.task, r.io_thread);
        if let Some(t) = io_thread {
            self.threads[t as usize].doing = Doing::BlockedIo;
        }
        let thread = io_thread.map(|t| self.thread_id(t));
        self.emit(TraceKind::IoStarted, thread, Some(id), task);
        self.schedule(done_at, Event::IoDone { slot, id });
    }

    pub(crate) fn on_io_done(&mut self, slot: u32, id: u64) {
        let Some(r) = self.requests.get_mut(slot as usize) else {
            return;
        };
        if !r.live || r.id != id {
            return;
        }
        r.io = IoState::None;
        r.step += 1;
        let step = r.step as usize - 1;
        let (task, io_thread) = (r.task, r.io_thread.take());
        let by_timer = matches!(self.ops.get(step), Some(Op::Io { timer: true, .. }));
        self.io_in_flight = self.io_in_flight.saturating_sub(1);
        let thread = io_thread.map(|t| self.thread_id(t));
        self.emit(TraceKind::IoCompleted, thread, Some(id), task);
        self.release_resource(slot);
        if let Some(t) = io_thread {
            // Synchronous I/O: the blocked thread continues its program.
            self.wake_list.push_back(t);
            return;
        }
        match self.style {
            Style::SyncOverAsync => {
                if self.scenario.pool.synchronization_context {
                    // The inner method's continuation must resume on the captured context,
                    // which is the very thread blocked in `.Result`: it never runs.
                    self.requests[slot as usize].deadlocked = true;
                    self.deadlocked += 1;
                    self.emit(TraceKind::Deadlock, None, Some(id), task);
                } else if by_timer {
                    self.timer_due(slot, WorkKind::InnerCompletion);
                } else {
                    self.queue_continuation(slot, WorkKind::InnerCompletion);
                }
            }
            _ => {
                self.complete_task(slot, None);
                if by_timer {
                    self.timer_due(slot, WorkKind::Continuation);
                } else {
                    self.queue_continuation(slot, WorkKind::Continuation);
                }
            }
        }
    }

    fn release_resource(&mut self, slot: u32) {
        let step = self.requests[slot as usize].step.saturating_sub(1) as usize;
        let Some(Op::Io {
            resource: Some(res),
            ..
        }) = self.ops.get(step).copied()
        else {
            return;
        };
        let r = &mut self.resources[res as usize];
        match r.waiting.pop_front() {
            // The capacity passes straight to the next waiter.
            Some(next) => self.launch_io(next),
            None => r.in_use = r.in_use.saturating_sub(1),
        }
    }

    // ---- Injection and retirement ------------------------------------------------------

    /// The gate thread's activity, every 500 ms: read the CPU (hill climbing refuses to
    /// raise above 95 %), and inject a thread if the pool looks starved. As in the runtime
    /// (.NET 6–8), it injects when work waits, no cooperative-blocking adjustment is
    /// pending, no thread finished or picked up a work item for more than the required
    /// delay (strictly), and at least as many threads are at work as the goal, and then it
    /// sets the goal to the threads at work plus one (not the goal plus one).
    pub(crate) fn on_gate(&mut self) {
        let busy = self.busy_us();
        // The reading covers the time since the last tick: 500 ms, or a little more when
        // the timer woke late.
        let period = self.now.since(self.gate_at);
        self.gate_at = self.now;
        let capacity = period * u64::from(self.scenario.machine.cores);
        let cpu_pct = 100 * busy.saturating_sub(self.busy_at_last_gate_us) / capacity.max(1);
        self.busy_at_last_gate_us = busy;
        self.cpu_reading_pct = Some(cpu_pct);
        let required = pool::starvation_delay_required_us(cpu_pct, self.goal);
        let processing = self.processing();
        let starving = !self.cooperative_pending
            && self.has_work()
            && self.now.since(self.last_dequeue) > required
            && processing < self.scenario.pool.max_threads
            && processing >= self.goal;
        if starving {
            let before = self.goal;
            self.goal = processing + 1;
            self.injections.starvation += self.goal - before;
            if let Some(hill) = &mut self.hill {
                hill.force_change(self.goal, ForceReason::Starvation);
            }
            self.emit(TraceKind::GoalStarvation, None, None, None);
            self.fill_to_goal();
        }
        let next = self.gate_delay_us();
        self.schedule(self.now.plus_us(next), Event::Gate);
    }

    /// Asks hill climbing for a move if a sample is due, as the runtime does after a work
    /// item completes: not before the interval the controller asked for, not while a
    /// lowered goal is still taking effect (more threads at work than the goal), and not
    /// while cooperative blocking has an adjustment pending.
    pub(crate) fn maybe_adjust_hill(&mut self) {
        let elapsed_us = self.now.since(self.hill_sample_at);
        if self.hill.is_none()
            || elapsed_us < self.hill_interval_us
            || self.processing() > self.goal
            || self.cooperative_pending
        {
            return;
        }
        let completions = self.items_done - self.hill_items_at;
        let busy = self.busy_us();
        // The gate's 500 ms reading when the gate runs; otherwise the CPU over the sample.
        let cpu_pct = self.cpu_reading_pct.unwrap_or_else(|| {
            let capacity = elapsed_us * u64::from(self.scenario.machine.cores);
            100 * busy.saturating_sub(self.hill_busy_at_us) / capacity.max(1)
        });
        let goal = self.goal;
        let Some(hill) = self.hill.as_mut() else {
            return;
        };
        let answer = hill.update(goal, elapsed_us, completions, cpu_pct);
        self.hill_sample_at = self.now;
        self.hill_items_at = self.items_done;
        self.hill_busy_at_us = busy;
        self.hill_interval_us = answer.next_call_after_us();
        match answer.new_goal() {
            Some(new_goal) if new_goal > goal => {
                self.goal = new_goal;
                self.note_climb(true, new_goal - goal);
                self.emit(TraceKind::GoalHillClimbingUp, None, None, None);
                self.fill_to_goal();
            }
            Some(new_goal) if new_goal < goal => {
                self.goal = new_goal;
                self.note_climb(false, goal - new_goal);
                self.emit(TraceKind::GoalHillClimbingDown, None, None, None);
            }
            _ => {}
        }
    }

    fn cooperative_target(&self) -> u32 {
        pool::cooperative_target(
            self.min_threads,
            self.blocked_in_wait,
            self.scenario.pool.max_threads,
        )
    }

    /// A thread just blocked in `.Result`: raise the goal as .NET 6+ does.
    fn cooperative_check(&mut self) {
        if !self.scenario.pool.cooperative_blocking {
            return;
        }
        let target = self.cooperative_target();
        let burst = pool::cooperative_burst_limit(self.min_threads, self.scenario.machine.cores);
        if self.goal < target && self.goal < burst {
            let new_goal = target.min(burst);
            self.injections.cooperative += new_goal - self.goal;
            self.goal = new_goal;
            if let Some(hill) = &mut self.hill {
                hill.force_change(new_goal, ForceReason::CooperativeBlocking);
            }
            self.emit(TraceKind::GoalCooperative, None, None, None);
            self.fill_to_goal();
        }
        self.schedule_cooperative();
    }

    fn schedule_cooperative(&mut self) {
        if self.cooperative_pending || self.goal >= self.cooperative_target() {
            return;
        }
        let delay =
            pool::cooperative_delay_us(self.goal, self.min_threads, self.scenario.machine.cores);
        self.cooperative_pending = true;
        self.schedule(self.now.plus_us(delay), Event::CooperativeInject);
    }

    pub(crate) fn on_cooperative_inject(&mut self) {
        self.cooperative_pending = false;
        if self.scenario.pool.cooperative_blocking && self.goal < self.cooperative_target() {
            self.goal += 1;
            self.injections.cooperative += 1;
            if let Some(hill) = &mut self.hill {
                hill.force_change(self.goal, ForceReason::CooperativeBlocking);
            }
            self.emit(TraceKind::GoalCooperative, None, None, None);
            self.fill_to_goal();
        }
        self.schedule_cooperative();
    }

    pub(crate) fn on_idle_retire(&mut self, thread: u32) {
        let timeout = self.scenario.pool.idle_timeout_ms.saturating_mul(US_PER_MS);
        let t = &mut self.threads[thread as usize];
        t.retire_pending = false;
        if !t.alive || t.state != ThreadState::Idle {
            // Busy again: its next park schedules the next check.
            return;
        }
        let deadline = t.idle_since.plus_us(timeout);
        if self.now < deadline {
            // It worked and parked again since the check was scheduled.
            t.retire_pending = true;
            self.schedule(deadline, Event::IdleRetire { thread });
            return;
        }
        let t = &self.threads[thread as usize];
        if self.threads_alive <= self.min_threads {
            return;
        }
        let id = t.id;
        if let Some(pos) = self.idle.iter().position(|&i| i == thread) {
            self.idle.remove(pos);
        }
        self.threads[thread as usize].alive = false;
        self.state_counts[ThreadState::Idle as usize] -= 1;
        self.threads_alive -= 1;
        self.free_thread_slots.push(thread);
        // The goal falls with the thread, unless hill climbing already put it below the
        // threads alive (then this thread was one too many).
        if self.goal > self.threads_alive {
            self.goal = self.goal.saturating_sub(1).max(self.min_threads);
            if let Some(hill) = &mut self.hill {
                hill.force_change(self.goal, ForceReason::ThreadTimedOut);
            }
        }
        self.injections.threads_retired += 1;
        self.window.retired += 1;
        self.emit(TraceKind::ThreadRetired, Some(id), None, None);
    }

    /// Time at which a request's I/O completes, if it is on the wire.
    /// When the I/O call of request `slot` went on the wire, if it is on the wire.
    pub(crate) fn io_started_at(&self, slot: u32) -> Option<SimTime> {
        match self.requests[slot as usize].io {
            IoState::InFlight { started_at_us, .. } => Some(SimTime(started_at_us)),
            _ => None,
        }
    }

    pub(crate) fn io_done_at(&self, slot: u32) -> Option<SimTime> {
        match self.requests[slot as usize].io {
            IoState::InFlight { done_at_us, .. } => Some(SimTime(done_at_us)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `.Result` under load with only the gate to add threads, run until the pool starves.
    fn starving() -> Sim {
        let scenario = crate::parse_scenario(
            r#"{ "version": 1, "seed": 1, "duration_ms": 20000,
                 "machine": { "cores": 4 },
                 "pool": { "cooperative_blocking": false, "hill_climbing": false },
                 "load": { "kind": "closed", "users": 100, "ramp_ms": 0 },
                 "endpoint": { "style": "sync_over_async",
                   "steps": [ { "cpu_ms": 0.5 }, { "io_ms": 500 }, { "cpu_ms": 0.5 } ] } }"#,
        )
        .expect("valid");
        let mut sim = Sim::new(scenario).expect("valid");
        sim.run_until(SimTime::from_ms(3_000));
        // Long enough since the last progress for any CPU reading, and at least as many
        // threads at work as the goal: the gate's conditions but one.
        sim.last_dequeue = SimTime::ZERO;
        sim.goal = sim.processing();
        sim
    }

    #[test]
    fn the_gate_waits_while_cooperative_blocking_has_an_adjustment_pending() {
        let mut free = starving();
        let goal = free.goal;
        free.on_gate();
        assert_eq!(
            free.goal,
            free.processing().max(goal + 1).min(goal + 1),
            "injects"
        );
        assert!(free.goal > goal);

        let mut pending = starving();
        let goal = pending.goal;
        pending.cooperative_pending = true;
        pending.on_gate();
        assert_eq!(pending.goal, goal, "the gate stays out of the way");
    }
}
