//! The pool queue's area: a line of numbered tokens, a crowd of dots, or a counted bar.

use sim::{Snapshot, WorkKind};

use super::areas::{crowd_cells, density, grid_cell, stable_cells, Areas, Density};
use super::picture::{
    Area, Bar, Frame, Mark, Marker, Picture, Point, Rect, Token, DOT_CELL, DOT_R, FOLLOWED_GROW,
    QUEUE_DOTS_MAX, TOKEN_CELL, TOKEN_R,
};
use super::words::plural;

/// Draws the queue; `held` are the requests a thread holds, which get only a marker here.
/// Returns where each queued request is drawn, for the tethers of `.Result` waits.
pub(super) fn queue(
    p: &mut Picture,
    a: &Areas,
    s: &Snapshot,
    followed: Option<u64>,
    held: &[u64],
) -> Vec<(u64, Point)> {
    let q_content = a.queue.inset(22, 8, 44);
    let continuations = s.pool_queue_total - s.incoming_total;
    let mut queue_caption = Vec::new();
    // A crowd of more than `QUEUE_DOTS_MAX` is counted: at that size the queue turns over
    // dozens of requests a frame, and a new element for each cost the frame its budget.
    let q_density = match density(q_content, s.pool_queue.len(), s.pool_queue_total as usize) {
        Density::Dots if s.pool_queue_total as usize > QUEUE_DOTS_MAX => Density::Counted,
        d => d,
    };
    // A short queue is a line, head first, that moves up as the head leaves; a long one
    // is a crowd of dots, each in a cell of its own until it leaves (else every answer
    // would move every dot).
    let crowd = stable_cells(
        s.pool_queue.iter().map(|w| w.request),
        crowd_cells(s.pool_queue.len(), q_content, DOT_CELL),
    );
    let queued_at = |i: usize, d: Density| match d {
        Density::Numbered => grid_cell(q_content, TOKEN_CELL, i),
        _ => grid_cell(q_content, DOT_CELL, crowd[i]),
    };
    // Where each queued request is, for the tethers of `.Result` waits.
    let mut queued_points: Vec<(u64, Point)> = Vec::new();
    if q_density == Density::Counted {
        // The bar's length grows with the queue (by its square root, full at 1,000), so
        // a long queue looks long; its words give the exact counts.
        let full = i64::from(q_content.w);
        let total = i64::from(s.pool_queue_total.min(1_000));
        let w = (full * full * total / 1_000).isqrt() as i32;
        let bar = Rect::new(q_content.x, q_content.y + 8, w.clamp(8, q_content.w), 18);
        p.bars.push(Bar {
            area: Area::Queue,
            rect: bar,
            segments: vec![
                ("new", "new requests", s.incoming_total),
                ("continuation", "continuations", continuations),
            ],
        });
        // The followed request, if it waits here, is drawn at the bar's end.
        if let Some(w) = s.pool_queue.iter().find(|w| Some(w.request) == followed) {
            if !held.contains(&w.request) {
                p.tokens.push(Token {
                    request: w.request,
                    area: Area::Queue,
                    mark: work_mark(w.kind),
                    at: (bar.x + bar.w - TOKEN_R, bar.y + bar.h + 20),
                    r: TOKEN_R + FOLLOWED_GROW,
                    numbered: true,
                    followed: true,
                });
            }
        }
        queue_caption.push(format!("{} waiting", s.pool_queue_total));
    } else {
        for (i, w) in s.pool_queue.iter().enumerate() {
            let at = queued_at(i, q_density);
            queued_points.push((w.request, at));
            let numbered = q_density == Density::Numbered;
            let r = if numbered { TOKEN_R } else { DOT_R };
            if held.contains(&w.request) {
                p.markers.push(Marker {
                    request: w.request,
                    area: Area::Queue,
                    at,
                    r,
                });
            } else {
                let f = Some(w.request) == followed;
                p.tokens.push(Token {
                    request: w.request,
                    area: Area::Queue,
                    mark: work_mark(w.kind),
                    at,
                    r: if f { TOKEN_R + FOLLOWED_GROW } else { r },
                    numbered: numbered || f,
                    followed: f,
                });
            }
        }
        if s.pool_queue_total == 0 {
            queue_caption.push("empty: no work waits".to_owned());
        } else if continuations > 0 {
            queue_caption.push("◆ continuation: the same".to_owned());
            queue_caption.push("request, back for the rest".to_owned());
        } else {
            queue_caption.push(format!(
                "{} new {} waiting",
                s.incoming_total,
                plural(s.incoming_total, "request", "requests")
            ));
        }
    }
    p.frames.push(Frame {
        area: Area::Queue,
        rect: a.queue,
        title: "pool queue",
        caption: queue_caption,
    });
    queued_points
}

fn work_mark(kind: WorkKind) -> Mark {
    match kind {
        WorkKind::NewRequest => Mark::New,
        // A timer firing never reaches the snapshot's queue; drawn as what it releases.
        WorkKind::Continuation | WorkKind::InnerCompletion | WorkKind::TimerFiring => {
            Mark::Continuation
        }
        WorkKind::TaskRunBody => Mark::TaskRunBody,
    }
}
