//! The stage as a picture: a pure function from one engine snapshot to what is drawn
//! where. Requests are tokens that keep their identity (their request number) wherever
//! they are; threads are boxes, small squares or, at a thousand, a waffle of counts; a
//! blocked thread is tethered to the call it waits on, and an awaited call sits in the
//! database area as its request's token on a Task receipt, with no tether.
//!
//! Coordinates are integers in the SVG's own units (the view box), so nothing here ever
//! formats a float (see ARCHITECTURE.md, "Build and size"). Every list drawn is bounded:
//! above what an area can show one by one, it shows dots, then a counted bar.
//!
//! `layout` places the areas in turn, each in a file of its own: `users.rs` (the users and
//! the requests that left), `queue.rs`, `threads.rs` (with the cores), `io.rs` (the
//! database and the OS), then `tethers.rs` (what the threads hold and wait for) over them.
//! `picture.rs` holds what it returns, `areas.rs` where the areas are and how a grid of
//! cells fills one, `words.rs` the captions and descriptions.

use sim::Snapshot;

mod areas;
mod io;
mod picture;
mod queue;
mod tethers;
mod threads;
mod users;
mod words;

pub use picture::{
    Area, Bar, Bundle, Call, Context, CoreBox, Frame, Mark, Marker, Orientation, Picture, Point,
    Rect, Tether, TetherTo, ThreadBox, ThreadLook, Token, User, Waffle, BOXES_MAX, CORES_MAX,
    DONE_MAX, DOT_R, FOLLOWED_GROW, QUEUE_DOTS_MAX, SQUARES_MAX, TETHERS_MAX, TOKEN_R,
};
pub use words::{describe, token_words};

/// Draws the snapshot.
pub fn layout(s: &Snapshot, ctx: &Context) -> Picture {
    let a = areas::areas(ctx.orientation);
    let mut p = Picture {
        width: a.width,
        height: a.height,
        frames: Vec::new(),
        users: Vec::new(),
        cores: Vec::new(),
        cores_bar: None,
        threads: Vec::new(),
        waffle: None,
        calls: Vec::new(),
        tethers: Vec::new(),
        bundle: None,
        bars: Vec::new(),
        markers: Vec::new(),
        tokens: Vec::new(),
        arrows: Vec::new(),
        response_path: Vec::new(),
        door: (a.users.x + a.users.w, a.queue.y + 60),
    };
    // Which requests a thread holds: their tokens are drawn in the thread, and only a
    // marker where else they are.
    let held: Vec<u64> = s
        .threads
        .iter()
        .filter(|t| threads::holds_token(t))
        .filter_map(|t| t.request)
        .collect();
    users::users(&mut p, &a, s, ctx);
    let queued = queue::queue(&mut p, &a, s, ctx.followed, &held);
    let threads = threads::threads(&mut p, &a, s, ctx.followed);
    let calls = io::io(&mut p, &a, s, ctx.followed, &held);
    tethers::held_and_tethers(&mut p, s, ctx, &threads, &calls, &queued);
    areas::arrows(&mut p, &a, ctx.orientation);
    // The followed token last, so it is drawn on top.
    if let Some(i) = p.tokens.iter().position(|t| t.followed) {
        let t = p.tokens.remove(i);
        p.tokens.push(t);
    }
    p
}

/// A point between two, `permille` thousandths of the way, eased (fast start, soft end).
pub fn travel(from: Point, to: Point, permille: u32) -> Point {
    let t = permille.min(1000) as i64;
    // Ease-out cubic in integers: 1 - (1 - t)^3, in thousandths.
    let u = 1000 - t;
    let eased = 1000 - u * u * u / 1_000_000;
    let lerp = |a: i32, b: i32| a + ((i64::from(b - a) * eased) / 1000) as i32;
    (lerp(from.0, to.0), lerp(from.1, to.1))
}

#[cfg(test)]
mod tests {
    use super::areas::stable_cells;
    use super::words::thread_caption;
    use super::*;
    use crate::state::simulation::Simulation;
    use sim::{Outcome, Scenario, ThreadState};

    fn wide(followed: Option<u64>) -> Context {
        Context {
            orientation: Orientation::Wide,
            followed,
            users: Some(1),
        }
    }

    fn area_of(p: &Picture, request: u64) -> Option<(Area, Mark)> {
        let mut found = p.tokens.iter().filter(|t| t.request == request);
        let first = found.next().map(|t| (t.area, t.mark));
        assert!(found.next().is_none(), "request {request} has one token");
        first
    }

    fn scenario(json: &str) -> Scenario {
        sim::parse_scenario(json).unwrap()
    }

    /// Steps one event at a time and records where `request`'s token is, collapsing repeats.
    fn path_of(scenario: Scenario, request: u64, events: u64) -> Vec<(Area, Mark)> {
        let sim = Simulation::new(scenario).unwrap();
        let mut path: Vec<(Area, Mark)> = Vec::new();
        for _ in 0..events {
            sim.step();
            let p = layout(&sim.snapshot(), &wide(Some(request)));
            if let Some(at) = area_of(&p, request) {
                if path.last() != Some(&at) {
                    path.push(at);
                }
            }
        }
        path
    }

    #[test]
    fn a_request_keeps_its_token_through_queue_thread_io_and_back() {
        // Chapter 2's run: one thread, fifty users, so requests wait their turn.
        let ch2 = include_str!("../curriculum/lessons/ch02-async-is-not-threads.json");
        let path = (0..60)
            .map(|r| path_of(scenario(ch2), r, 1500))
            .find(|p| p.first().is_some_and(|p| p.0 == Area::Queue) && p.len() >= 6)
            .expect("some request waits in the queue on arrival");
        eprintln!("{path:?}");
        let areas: Vec<Area> = path.iter().map(|p| p.0).collect();
        let want = [
            Area::Queue,
            Area::Thread,
            Area::Io,
            Area::Queue,
            Area::Thread,
            Area::Done,
        ];
        let mut at = 0;
        for a in &areas {
            if at < want.len() && *a == want[at] {
                at += 1;
            }
        }
        assert_eq!(at, want.len(), "path {path:?}");
        // Back in the queue after its I/O, the token is marked as a continuation.
        let back = path
            .iter()
            .skip_while(|p| p.0 != Area::Io)
            .find(|p| p.0 == Area::Queue)
            .unwrap();
        assert_eq!(back.1, Mark::Continuation);
        assert_eq!(path.last().unwrap().1, Mark::Done(Outcome::Answered));
    }

    const BLOCKING_8: &str = r#"{
        "version": 1, "seed": 3, "duration_ms": 2000,
        "machine": { "cores": 4 },
        "pool": { "min_threads": 8, "max_threads": 8 },
        "load": { "kind": "closed", "users": 60, "think_ms": 1 },
        "endpoint": { "style": "blocking",
                      "steps": [ { "cpu_ms": 0.5 }, { "io_ms": 50 }, { "cpu_ms": 0.5 } ] }
    }"#;

    #[test]
    fn every_blocked_thread_is_tethered_to_its_call_and_holds_its_token() {
        let sim = Simulation::new(scenario(BLOCKING_8)).unwrap();
        sim.seek_us(600_000);
        let s = sim.snapshot();
        let p = layout(&s, &wide(None));
        let blocked = s.threads_in(ThreadState::Blocked) as usize;
        assert!(blocked > 0);
        assert_eq!(p.tethers.len(), blocked);
        assert!(p.tethers.iter().all(|t| t.to_what == TetherTo::Call));
        for t in p.threads.iter().filter(|t| t.state == ThreadState::Blocked) {
            let r = t.request.unwrap();
            assert_eq!(area_of(&p, r).unwrap().0, Area::Thread);
            let call = p.calls.iter().find(|c| c.request == r).unwrap();
            assert_eq!(call.thread, Some(t.id));
            assert!(p
                .tokens
                .iter()
                .all(|k| k.request != r || k.area != Area::Io));
        }
        assert!(p.bundle.is_none());
        assert!(describe(&s).contains("blocked holding requests"));
    }

    #[test]
    fn an_awaited_call_is_a_receipt_with_no_tether() {
        let json = BLOCKING_8.replace("\"blocking\"", "\"async\"");
        let sim = Simulation::new(scenario(&json)).unwrap();
        sim.seek_us(600_000);
        let s = sim.snapshot();
        let p = layout(&s, &wide(None));
        assert!(
            s.io_total > 8,
            "more calls out than threads: {}",
            s.io_total
        );
        assert!(p.tethers.is_empty() && p.bundle.is_none());
        let receipts = p.tokens.iter().filter(|t| t.area == Area::Io).count();
        assert_eq!(receipts, s.io_total as usize);
        assert!(p
            .tokens
            .iter()
            .all(|t| t.area != Area::Io || t.mark == Mark::Receipt));
    }

    #[test]
    fn result_without_context_tethers_to_the_task_and_with_context_deadlocks() {
        let json = BLOCKING_8.replace("\"blocking\"", "\"sync_over_async\"");
        let sim = Simulation::new(scenario(&json)).unwrap();
        sim.seek_us(300_000);
        let p = layout(&sim.snapshot(), &wide(None));
        assert!(!p.tethers.is_empty());
        assert!(p.tethers.iter().all(|t| t.to_what != TetherTo::Deadlock));

        let json = json.replace(
            "\"max_threads\": 8 }",
            "\"max_threads\": 8, \"synchronization_context\": true }",
        );
        let sim = Simulation::new(scenario(&json)).unwrap();
        sim.seek_us(1_500_000);
        let s = sim.snapshot();
        let p = layout(&s, &wide(None));
        assert!(s.counters.deadlocked > 0);
        let deadlocks = p
            .tethers
            .iter()
            .filter(|t| t.to_what == TetherTo::Deadlock)
            .count();
        assert_eq!(deadlocks as u64, s.counters.deadlocked.min(8));
    }

    #[test]
    fn bodies_in_blocked_threads_local_queues_are_named() {
        let json = include_str!("../curriculum/lessons/ch07-starvation-local-net6.json");
        let sim = Simulation::new(scenario(json)).unwrap();
        sim.seek_us(3_000_000);
        let s = sim.snapshot();
        assert!(s.local_queue_total > 0);
        let local: u32 = s.threads.iter().map(|t| t.local_queue).sum();
        assert_eq!(local, s.local_queue_total);
        let caption = thread_caption(&s).join(" ");
        assert!(
            caption.contains("Task.Run bodies wait in their own queues"),
            "{caption}"
        );
        assert!(describe(&s).contains("in threads' own local queues"));
    }

    #[test]
    fn task_run_wrap_blocks_the_thread_that_queued_the_body() {
        let json = BLOCKING_8.replace("\"blocking\"", "\"task_run_wrap\"");
        let sim = Simulation::new(scenario(&json)).unwrap();
        sim.seek_us(600_000);
        let s = sim.snapshot();
        let p = layout(&s, &wide(None));
        // The threads blocked in I/O run the Task.Run bodies they queued themselves; each is
        // tethered to its call.
        let tethered = p
            .tethers
            .iter()
            .filter(|t| t.to_what == TetherTo::Call)
            .count();
        assert_eq!(tethered, s.io_holding_thread as usize);
        assert!(tethered > 0);
    }

    #[test]
    fn scale_moves_from_boxes_to_squares_to_a_waffle_and_bars() {
        let big = r#"{
            "version": 1, "seed": 1, "duration_ms": 1000,
            "machine": { "cores": 8 },
            "pool": { "min_threads": 1000, "max_threads": 1000 },
            "load": { "kind": "closed", "users": 10000, "think_ms": 1 },
            "endpoint": { "style": "blocking",
                          "steps": [ { "cpu_ms": 0.5 }, { "io_ms": 50 }, { "cpu_ms": 0.5 } ] }
        }"#;
        let sim = Simulation::new(scenario(big)).unwrap();
        sim.seek_us(300_000);
        let s = sim.snapshot();
        let p = layout(&s, &wide(None));
        assert!(s.threads_total > 256);
        assert!(p.threads.is_empty());
        let waffle = p.waffle.as_ref().unwrap();
        let squares: usize = waffle.squares.iter().map(Vec::len).sum();
        assert_eq!(squares, s.threads_total as usize);
        assert!(p.bars.iter().any(|b| b.area == Area::Queue));
        let bundle = p.bundle.as_ref().unwrap();
        assert_eq!(bundle.count, s.io_holding_thread);
        // The drawing stays bounded whatever the load.
        assert!(p.tokens.len() <= 2 * SQUARES_MAX);

        let sim = Simulation::new(scenario(BLOCKING_8)).unwrap();
        sim.seek_us(300_000);
        let p = layout(&sim.snapshot(), &wide(None));
        assert!(p.threads.iter().all(|t| t.look == ThreadLook::Box));
    }

    #[test]
    fn the_narrow_picture_keeps_everything_inside_its_width() {
        let sim = Simulation::new(scenario(BLOCKING_8)).unwrap();
        sim.seek_us(500_000);
        let ctx = Context {
            orientation: Orientation::Narrow,
            followed: None,
            users: Some(60),
        };
        let p = layout(&sim.snapshot(), &ctx);
        for t in &p.tokens {
            assert!(t.at.0 - t.r >= 0 && t.at.0 + t.r <= p.width, "{t:?}");
        }
        for t in &p.threads {
            assert!(t.rect.x >= 0 && t.rect.x + t.rect.w <= p.width);
        }
    }

    #[test]
    fn every_request_has_at_most_one_token_in_every_style() {
        for style in ["blocking", "async", "sync_over_async", "task_run_wrap"] {
            for context in [false, true] {
                let json = BLOCKING_8
                    .replace("\"blocking\"", &format!("\"{style}\""))
                    .replace(
                        "\"max_threads\": 8 }",
                        &format!("\"max_threads\": 8, \"synchronization_context\": {context} }}"),
                    );
                let sim = Simulation::new(scenario(&json)).unwrap();
                for _ in 0..3000 {
                    sim.step();
                    let p = layout(&sim.snapshot(), &wide(None));
                    let mut ids: Vec<u64> = p.tokens.iter().map(|t| t.request).collect();
                    let n = ids.len();
                    ids.sort_unstable();
                    ids.dedup();
                    assert_eq!(
                        ids.len(),
                        n,
                        "{style} (context {context}): a request drawn twice"
                    );
                }
            }
        }
    }

    #[test]
    fn a_call_keeps_its_cell_while_others_come_and_go() {
        let a = stable_cells([5u64, 9, 12, 14].into_iter(), 8);
        let b = stable_cells([9u64, 12, 14, 21].into_iter(), 8);
        // 9, 12 and 14 keep their cells when 5 leaves and 21 arrives.
        assert_eq!(&a[1..], &b[..3]);
        let mut all = b.clone();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 4, "one request per cell: {b:?}");
    }

    #[test]
    fn travel_starts_and_ends_exactly() {
        assert_eq!(travel((0, 0), (100, -50), 0), (0, 0));
        assert_eq!(travel((0, 0), (100, -50), 1000), (100, -50));
        assert_eq!(travel((0, 0), (100, -50), 5000), (100, -50));
        let mid = travel((0, 0), (100, 0), 500);
        assert!(mid.0 > 50 && mid.0 < 100, "eased: {mid:?}");
    }
}
