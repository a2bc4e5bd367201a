//! The threads' area: a box per thread while few, a small square each up to
//! `SQUARES_MAX`, then a waffle of counts by state; the cores in a row above them.

use sim::snapshot::ThreadView;
use sim::{Doing, Snapshot, ThreadState};

use super::areas::{capacity, grid_cell, Areas};
use super::picture::{
    Area, CoreBox, Frame, Picture, Point, Rect, ThreadBox, ThreadLook, Waffle, BOXES_MAX,
    CORES_MAX, SQUARES_MAX,
};
use super::words::thread_caption;

/// How the threads were drawn, for what is drawn on them and from them afterwards.
pub(super) struct Threads {
    /// Each thread drawn on its own, and its rectangle.
    pub(super) points: Vec<(u32, Rect)>,
    /// Drawn as boxes (big enough for a numbered token).
    pub(super) boxes: bool,
    /// Drawn one by one, boxes or squares; otherwise as a waffle.
    pub(super) individually: bool,
    /// The area's frame.
    pub(super) frame: Rect,
    /// The part of the area the threads fill, below the cores.
    pub(super) content: Rect,
}

/// Draws the threads, the cores above them and the area's frame.
pub(super) fn threads(p: &mut Picture, a: &Areas, s: &Snapshot, followed: Option<u64>) -> Threads {
    let t_frame = a.threads;
    let cores_row = Rect::new(t_frame.x + 8, t_frame.y + 22, t_frame.w - 16, 16);
    let t_content = Rect::new(
        t_frame.x + 8,
        cores_row.y + cores_row.h + 10,
        t_frame.w - 16,
        t_frame.h - 22 - 16 - 10 - 40,
    );
    let n = s.threads_total as usize;
    let individually = n <= SQUARES_MAX && s.threads.len() == n;
    let boxes = individually && n <= BOXES_MAX && n <= boxes_fit(t_content);
    let mut thread_points: Vec<(u32, Rect)> = Vec::new();
    if boxes {
        let (bw, bh) = box_size(t_content, n);
        let cols = (t_content.w / (bw + 6)).max(1);
        for (i, t) in s.threads.iter().enumerate() {
            let i = i as i32;
            let rect = Rect::new(
                t_content.x + (i % cols) * (bw + 6),
                t_content.y + (i / cols) * (bh + 6),
                bw,
                bh,
            );
            thread_points.push((t.id, rect));
            push_thread(p, t, rect, ThreadLook::Box, followed);
        }
    } else if individually {
        let cell = square_cell(t_content, n);
        for (i, t) in s.threads.iter().enumerate() {
            let (cx, cy) = grid_cell(t_content, cell, i);
            let rect = Rect::new(cx - cell / 2 + 1, cy - cell / 2 + 1, cell - 2, cell - 2);
            thread_points.push((t.id, rect));
            push_thread(p, t, rect, ThreadLook::Square, followed);
        }
    } else {
        let cell = square_cell(t_content, n).max(3);
        let mut squares: [Vec<Point>; 4] = Default::default();
        let mut i = 0;
        // Grouped by state, the busiest first, so the waffle reads as proportions.
        for state in [
            ThreadState::Running,
            ThreadState::Ready,
            ThreadState::Blocked,
            ThreadState::Idle,
        ] {
            let count = s.threads_in(state);
            for _ in 0..count {
                let (cx, cy) = grid_cell(t_content, cell, i);
                if cy + cell / 2 <= t_content.y + t_content.h + cell {
                    squares[state_index(state)].push((cx - cell / 2, cy - cell / 2));
                }
                i += 1;
            }
        }
        p.waffle = Some(Waffle { cell, squares });
    }
    cores(p, s, cores_row, &thread_points);
    p.frames.push(Frame {
        area: Area::Thread,
        rect: t_frame,
        title: "threads (cores above)",
        caption: thread_caption(s),
    });
    Threads {
        points: thread_points,
        boxes,
        individually,
        frame: t_frame,
        content: t_content,
    }
}

/// Draws the cores in `row`, each linked to the thread it runs when that thread is drawn
/// (`threads`); past `CORES_MAX`, one bar of busy and total.
fn cores(p: &mut Picture, s: &Snapshot, row: Rect, threads: &[(u32, Rect)]) {
    if s.cores.len() <= CORES_MAX {
        let n_cores = s.cores.len().max(1) as i32;
        let gap = 6;
        let cw = ((row.w - gap * (n_cores - 1)) / n_cores).min(64);
        for (i, t) in s.cores.iter().enumerate() {
            let rect = Rect::new(row.x + i as i32 * (cw + gap), row.y, cw, row.h);
            let link_to = t.and_then(|id| {
                threads
                    .iter()
                    .find(|(tid, _)| *tid == id)
                    .map(|(_, r)| (r.x + r.w / 2, r.y))
            });
            p.cores.push(CoreBox {
                idx: i,
                rect,
                thread: *t,
                link_to,
            });
        }
    } else {
        let busy = s.cores.iter().filter(|c| c.is_some()).count() as u32;
        p.cores_bar = Some((row, busy, s.cores.len() as u32));
    }
}

fn state_index(state: ThreadState) -> usize {
    match state {
        ThreadState::Idle => 0,
        ThreadState::Ready => 1,
        ThreadState::Running => 2,
        ThreadState::Blocked => 3,
    }
}

/// The thread that holds a request's token when more than one works for it: the one
/// running the request's own code, not one finishing its inner task for it.
pub(super) fn holds_token(t: &ThreadView) -> bool {
    t.request.is_some() && t.doing != Doing::InnerCompletion
}

fn boxes_fit(content: Rect) -> usize {
    let (bw, bh) = (56, 52);
    ((content.w / (bw + 6)) * (content.h / (bh + 6))).max(1) as usize
}

/// A box's size for `n` threads: large while few, shrinking to fit the area.
fn box_size(content: Rect, n: usize) -> (i32, i32) {
    let cols = match n {
        0..=4 => 4,
        _ => (content.w / 62).max(1),
    };
    let rows = (n as i32 + cols - 1) / cols;
    let bw = ((content.w - 6 * (cols - 1)) / cols).min(72);
    let bh = ((content.h - 6 * (rows.max(1) - 1)) / rows.max(1)).clamp(40, 64);
    (bw, bh)
}

/// The largest square cell that fits `n` squares in `content`.
fn square_cell(content: Rect, n: usize) -> i32 {
    let mut cell = 24;
    while cell > 3 && capacity(content, cell) < n {
        cell -= 1;
    }
    cell
}

fn push_thread(
    p: &mut Picture,
    t: &ThreadView,
    rect: Rect,
    look: ThreadLook,
    followed: Option<u64>,
) {
    p.threads.push(ThreadBox {
        id: t.id,
        state: t.state,
        rect,
        look,
        request: t.request,
        deadlocked: t.deadlocked,
        followed: t.request.is_some() && t.request == followed,
        local_queue: t.local_queue,
    });
}
