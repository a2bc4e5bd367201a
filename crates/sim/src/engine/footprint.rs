//! What a run holds in memory: every collection of the engine that can grow, with its
//! length, its capacity and an estimate of its bytes. The soak's one-hour test samples it
//! every simulated minute to show that nothing grows with the length of a run but what is
//! meant to (the samples, bounded by `limits.samples`).
//!
//! Only tests and tools call it; the page does not, so it adds nothing to the wasm bundle
//! (`Sim::approx_bytes`, which the timeline's budget uses, stays the cheaper estimate).

use std::collections::VecDeque;
use std::mem::size_of;

use super::{Scheduled, Sim, WorkItem, WorkKind};
use crate::scenario::{Burst, Step};
use crate::timeline::Timeline;

/// One collection an engine keeps, as [`Sim::footprint`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    /// What it holds: the engine's name for it.
    pub name: &'static str,
    /// Entries held now.
    pub len: usize,
    /// Entries its allocation has room for.
    pub capacity: usize,
    /// Estimated bytes: capacity × entry size, plus what its entries own themselves.
    pub bytes: usize,
}

/// The engine's collections that can grow during a run, and its fixed size.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Footprint {
    /// `size_of::<Sim>()`: what a run holds whatever happens in it.
    pub fixed_bytes: usize,
    /// Each collection, in a fixed order.
    pub parts: Vec<Held>,
}

impl Footprint {
    /// Every estimated byte: the fixed part and every collection.
    pub fn bytes(&self) -> usize {
        self.fixed_bytes + self.parts.iter().map(|p| p.bytes).sum::<usize>()
    }

    /// The collection called `name`.
    pub fn part(&self, name: &str) -> Option<&Held> {
        self.parts.iter().find(|p| p.name == name)
    }

    /// Every estimated byte except those of the collections named.
    pub fn bytes_without(&self, names: &[&str]) -> usize {
        self.bytes()
            - self
                .parts
                .iter()
                .filter(|p| names.contains(&p.name))
                .map(|p| p.bytes)
                .sum::<usize>()
    }
}

fn vec_part<T>(name: &'static str, v: &Vec<T>) -> Held {
    Held {
        name,
        len: v.len(),
        capacity: v.capacity(),
        bytes: v.capacity() * size_of::<T>(),
    }
}

fn deque_part<T>(name: &'static str, v: &VecDeque<T>) -> Held {
    Held {
        name,
        len: v.len(),
        capacity: v.capacity(),
        bytes: v.capacity() * size_of::<T>(),
    }
}

/// Adds what the entries of a collection own (their own queues, names) to its part.
fn with_owned(mut part: Held, owned_bytes: usize) -> Held {
    part.bytes += owned_bytes;
    part
}

impl Sim {
    /// The collections this run holds, each with its length, capacity and estimated bytes
    /// (capacity × entry size, plus what entries own). Pure: reading it changes nothing.
    pub fn footprint(&self) -> Footprint {
        let s = &self.scenario;
        let scenario_bytes = s.endpoint.steps.capacity() * size_of::<Step>()
            + s.endpoint
                .steps
                .iter()
                .filter_map(|st| st.resource.as_ref())
                .map(String::capacity)
                .sum::<usize>()
            + s.load.bursts.capacity() * size_of::<Burst>()
            // A B-tree node per entry is an overestimate that is good enough here.
            + s.resources.keys().map(|k| k.capacity() + 64).sum::<usize>();
        let parts = vec![
            with_owned(
                Held {
                    name: "scenario",
                    len: s.endpoint.steps.len() + s.load.bursts.len() + s.resources.len(),
                    capacity: s.endpoint.steps.capacity()
                        + s.load.bursts.capacity()
                        + s.resources.len(),
                    bytes: 0,
                },
                scenario_bytes,
            ),
            vec_part("program", &self.ops),
            Held {
                name: "events",
                len: self.queue.len(),
                capacity: self.queue.capacity(),
                bytes: self.queue.capacity() * size_of::<Scheduled>(),
            },
            deque_part("timeouts", &self.timeouts),
            vec_part("cores", &self.cores),
            vec_part("free_cores", &self.free_cores),
            deque_part("ready", &self.ready),
            with_owned(
                vec_part("threads", &self.threads),
                self.threads
                    .iter()
                    .map(|t| t.local.capacity() * size_of::<WorkItem>())
                    .sum(),
            ),
            vec_part("free_thread_slots", &self.free_thread_slots),
            vec_part("idle", &self.idle),
            deque_part("work", &self.work),
            deque_part("priority", &self.priority),
            with_owned(
                vec_part("timers_due", &self.timers_due),
                self.timers_due
                    .iter()
                    .map(|q| q.capacity() * size_of::<(u32, WorkKind)>())
                    .sum::<usize>()
                    + self.timer_firing_queued.capacity(),
            ),
            vec_part("requests", &self.requests),
            vec_part("free_request_slots", &self.free_request_slots),
            with_owned(
                vec_part("resources", &self.resources),
                self.resources
                    .iter()
                    .map(|r| r.name.capacity() + r.waiting.capacity() * size_of::<u32>())
                    .sum(),
            ),
            vec_part("user_attempt", &self.user_attempt),
            deque_part("recent", &self.recent),
            Held {
                name: "histograms",
                len: 2,
                capacity: 2,
                bytes: self.latency.heap_bytes() + self.window.latency.heap_bytes(),
            },
            deque_part("cpu_ledger", &self.cpu_ledger),
            vec_part("samples", &self.samples),
            deque_part("trace", &self.trace),
            deque_part("wake_list", &self.wake_list),
        ];
        Footprint {
            fixed_bytes: size_of::<Sim>(),
            parts,
        }
    }
}

impl Timeline {
    /// The current run's footprint plus one part, `checkpoints`: how many the timeline
    /// keeps and the bytes of them all (each a run's footprint without its samples, which
    /// checkpoints do not copy).
    pub fn footprint(&self) -> Footprint {
        let mut footprint = self.sim().footprint();
        let (count, capacity, bytes) = self.checkpoint_bytes();
        footprint.parts.push(Held {
            name: "checkpoints",
            len: count,
            capacity,
            bytes,
        });
        footprint
    }
}
