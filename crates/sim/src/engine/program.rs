//! What a thread does with a work item: the endpoint program run step by step in its
//! style, tasks and their continuations, I/O and resources. The pool's queues are in
//! `queues.rs`, the thread goal in `injection.rs`.

use super::{Doing, Event, IoState, Job, Op, RequestPhase, Sim, WorkItem, WorkKind};
use super::{DRAW_CAP_US, POLL_CPU_US};
use crate::report::TraceKind;
use crate::scenario::{Style, Wait};
use crate::time::{SimTime, US_PER_MS};

impl Sim {
    pub(super) fn request_id(&self, slot: u32) -> u64 {
        self.requests[slot as usize].id
    }

    fn thread_id(&self, thread: u32) -> u32 {
        self.threads[thread as usize].id
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
        let (trace, phase) = if kind == WorkKind::TaskRunBody {
            (TraceKind::TaskRunQueued, RequestPhase::InIo)
        } else {
            (TraceKind::ContinuationQueued, RequestPhase::Resuming)
        };
        self.emit(trace, None, Some(id), task);
        self.set_phase(slot, phase);
    }

    /// The trace's word that `thread` runs a request's next piece of work inline, with no
    /// trip through a queue.
    fn note_inline(&mut self, thread: u32, slot: u32) {
        let (id, task) = (self.request_id(slot), self.requests[slot as usize].task);
        let me = self.thread_id(thread);
        self.emit(TraceKind::ContinuationInline, Some(me), Some(id), task);
        // The method goes on with its result, or (a `.Result`'s inner completion) its
        // task completes next, and the blocked thread goes on after that.
        let phase = if self.requests[slot as usize].task_done {
            RequestPhase::AfterIo
        } else {
            RequestPhase::Resuming
        };
        self.set_phase(slot, phase);
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
                        self.set_phase(slot, RequestPhase::AfterIo);
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
        self.set_phase(slot, RequestPhase::FastPath);
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
        let (id, slot) = (t.id, t.job.slot());
        let request = slot.map(|s| self.request_id(s));
        self.emit(TraceKind::PollWake, Some(id), request, None);
        if let Some(slot) = slot {
            let r = &self.requests[slot as usize];
            if r.task_done && r.phase == RequestPhase::Resuming {
                // It will see the completed task once it has checked.
                self.set_phase(slot, RequestPhase::AfterIo);
            }
        }
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
        self.set_phase(slot, RequestPhase::AfterIo);
    }

    // ---- I/O ----------------------------------------------------------------------------

    /// Starts the I/O step at the request's current step, waiting for its resource first.
    fn start_io(&mut self, slot: u32) {
        let step = self.requests[slot as usize].step as usize;
        let Some(Op::Io { resource, .. }) = self.ops.get(step).copied() else {
            return;
        };
        self.io_in_flight += 1;
        self.set_phase(slot, RequestPhase::InIo);
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
            // Synchronous I/O: the blocked thread continues its program (inside a
            // `Task.Run` body, the body ends first).
            if self.threads[t as usize].job == Job::Request(slot) {
                self.set_phase(slot, RequestPhase::AfterIo);
            }
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

    /// When the I/O call of request `slot` went on the wire, if it is on the wire.
    pub(crate) fn io_started_at(&self, slot: u32) -> Option<SimTime> {
        match self.requests[slot as usize].io {
            IoState::InFlight { started_at_us, .. } => Some(SimTime(started_at_us)),
            _ => None,
        }
    }

    /// When the I/O call of request `slot` completes, if it is on the wire.
    pub(crate) fn io_done_at(&self, slot: u32) -> Option<SimTime> {
        match self.requests[slot as usize].io {
            IoState::InFlight { done_at_us, .. } => Some(SimTime(done_at_us)),
            _ => None,
        }
    }
}
