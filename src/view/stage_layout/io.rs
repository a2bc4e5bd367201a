//! The database's and the OS's area: the calls out, as rows while few, then cells of
//! numbered tokens or dots, then a counted bar; an awaited call's token sits on its Task
//! receipt.

use sim::snapshot::IoView;
use sim::Snapshot;

use super::areas::{crowd_cells, density, grid_cell, stable_cells, Areas, Density};
use super::picture::{
    Area, Bar, Call, Frame, Mark, Marker, Picture, Point, Rect, Token, DOT_CELL, DOT_R,
    FOLLOWED_GROW, TOKEN_CELL, TOKEN_R,
};
use super::threads::holds_token;
use super::words::io_caption;

/// How the calls were drawn, for the tethers of the threads that wait on them.
pub(super) struct Calls {
    /// Each call drawn on its own, by request, and where a tether meets it.
    pub(super) points: Vec<(u64, Point)>,
    /// The calls are a counted bar: none is drawn on its own.
    pub(super) counted: bool,
    /// The part of the area the calls fill.
    pub(super) content: Rect,
}

/// Draws the calls and the area's frame; `held` are the requests a thread holds, whose
/// receipt gets only a marker.
pub(super) fn io(
    p: &mut Picture,
    a: &Areas,
    s: &Snapshot,
    followed: Option<u64>,
    held: &[u64],
) -> Calls {
    let receipts = s.io_total - s.io_holding_thread;
    let io_frame = a.io;
    let io_content = io_frame.inset(22, 8, 44);
    let io_n = s.io_total as usize;
    let rows_fit = (io_content.h / 28) as usize;
    let io_density = if s.io.len() == io_n && io_n <= rows_fit {
        None
    } else {
        Some(density(io_content, s.io.len(), io_n))
    };
    let mut call_points: Vec<(u64, Point)> = Vec::new();
    // The thread that holds an awaited call's request (and so is blocked on its Task).
    let waiter_of = |io: &IoView| {
        s.threads
            .iter()
            .find(|t| io.thread.is_none() && holds_token(t) && t.request == Some(io.request))
            .map(|t| t.id)
    };
    match io_density {
        None => {
            for (i, io) in s.io.iter().enumerate() {
                let rect = Rect::new(io_content.x, io_content.y + i as i32 * 28, io_content.w, 24);
                let anchor = (rect.x, rect.y + rect.h / 2);
                call_points.push((io.request, anchor));
                let waiter = waiter_of(io);
                push_call(p, io, rect, true, s.time_us, followed, waiter);
                if io.thread.is_none() {
                    receipt_or_marker(p, io, (rect.x + 14, anchor.1), true, followed, waiter);
                }
            }
        }
        Some(Density::Counted) => {
            let bar = Rect::new(io_content.x, io_content.y + 8, io_content.w, 18);
            p.bars.push(Bar {
                area: Area::Io,
                rect: bar,
                segments: vec![
                    ("receipt", "Task receipts, no thread", receipts),
                    ("sync", "holding a blocked thread", s.io_holding_thread),
                ],
            });
            if let Some(io) = s.io.iter().find(|io| {
                Some(io.request) == followed && io.thread.is_none() && !held.contains(&io.request)
            }) {
                push_receipt_token(
                    p,
                    io,
                    (bar.x + bar.w - TOKEN_R, bar.y + bar.h + 20),
                    true,
                    followed,
                );
            }
        }
        Some(d) => {
            let cell = if d == Density::Numbered {
                TOKEN_CELL
            } else {
                DOT_CELL
            };
            let cells = stable_cells(
                s.io.iter().map(|io| io.request),
                crowd_cells(s.io.len(), io_content, cell),
            );
            for (io, &i) in s.io.iter().zip(&cells) {
                let (cx, cy) = grid_cell(io_content, cell, i);
                let rect = Rect::new(cx - cell / 2 + 1, cy - cell / 2 + 1, cell - 2, cell - 2);
                call_points.push((io.request, (rect.x, cy)));
                let waiter = waiter_of(io);
                push_call(p, io, rect, false, s.time_us, followed, waiter);
                if io.thread.is_none() {
                    let numbered = d == Density::Numbered;
                    receipt_or_marker(p, io, (cx, cy), numbered, followed, waiter);
                }
            }
        }
    }
    // Threads blocked on an awaited call's Task: counted where the calls are drawn,
    // else what the pool's cooperative blocking sees.
    let waiting = if io_density == Some(Density::Counted) {
        s.counters.blocked_in_wait
    } else {
        p.calls.iter().filter(|c| c.waiter.is_some()).count() as u32
    };
    let mut io_caption = io_caption(s, receipts, waiting);
    for r in &s.resources {
        io_caption.push(format!(
            "{}: {} of {} in use, {} waiting",
            r.name, r.in_use, r.capacity, r.waiting
        ));
    }
    p.frames.push(Frame {
        area: Area::Io,
        rect: io_frame,
        title: "database / OS",
        caption: io_caption,
    });
    Calls {
        points: call_points,
        counted: io_density == Some(Density::Counted),
        content: io_content,
    }
}

fn push_call(
    p: &mut Picture,
    io: &IoView,
    rect: Rect,
    row: bool,
    now_us: u64,
    followed: Option<u64>,
    waiter: Option<u32>,
) {
    let progress_permille = io.started_at_us.zip(io.done_at_us).map(|(start, done)| {
        let span = done.saturating_sub(start).max(1);
        (now_us.saturating_sub(start).min(span) * 1000 / span) as u32
    });
    p.calls.push(Call {
        request: io.request,
        rect,
        row,
        thread: io.thread,
        task: io.task,
        waiter,
        progress_permille,
        waiting_for_resource: io.waiting_for_resource,
        followed: Some(io.request) == followed,
    });
}

/// An awaited call's token on its receipt; or, when a thread already holds the request
/// (it blocks on the Task), only a mark where the receipt is: one token per request.
fn receipt_or_marker(
    p: &mut Picture,
    io: &IoView,
    at: Point,
    numbered: bool,
    followed: Option<u64>,
    waiter: Option<u32>,
) {
    if waiter.is_some() {
        p.markers.push(Marker {
            request: io.request,
            area: Area::Io,
            at,
            r: if numbered { TOKEN_R - 2 } else { DOT_R },
        });
    } else {
        push_receipt_token(p, io, at, numbered, followed);
    }
}

fn push_receipt_token(
    p: &mut Picture,
    io: &IoView,
    at: Point,
    numbered: bool,
    followed: Option<u64>,
) {
    let f = Some(io.request) == followed;
    p.tokens.push(Token {
        request: io.request,
        area: Area::Io,
        mark: Mark::Receipt,
        at,
        r: if f {
            TOKEN_R + FOLLOWED_GROW
        } else if numbered {
            TOKEN_R
        } else {
            DOT_R
        },
        numbered: numbered || f,
        followed: f,
    });
}
