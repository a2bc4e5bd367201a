//! The pool's thread goal and who moves it, each as the runtime does (dotnet/runtime
//! `PortableThreadPool.GateThread.cs`, `PortableThreadPool.Blocking.cs`,
//! `PortableThreadPool.WorkerThread.cs`): the gate's starvation injection every 500 ms,
//! hill climbing asked after a work item completes (`crate::hill_climbing`), cooperative
//! blocking for threads blocked in `.Result`, and idle threads retiring. `crate::pool` has
//! their constants.

use super::{Event, Sim, ThreadState};
use crate::hill_climbing::ForceReason;
use crate::pool;
use crate::report::TraceKind;
use crate::time::US_PER_MS;

impl Sim {
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
    pub(super) fn cooperative_check(&mut self) {
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

    /// How long until the gate's next tick: its 500 ms period, plus the timer's lateness
    /// when the scenario asks for one.
    pub(crate) fn gate_delay_us(&mut self) -> u64 {
        let jitter_us = self.scenario.pool.gate_jitter_ms.saturating_mul(US_PER_MS);
        let late_us = match &mut self.gate_rng {
            Some(rng) if jitter_us > 0 => rng.below_or_at(jitter_us),
            _ => 0,
        };
        crate::pool::GATE_PERIOD_US + late_us
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SimTime;

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
