//! What is drawn over the threads once every area is placed: the tokens the threads hold,
//! and the tethers from each blocked thread to what it waits for (a call, a queued
//! completion, or itself in a deadlock), bundled past `TETHERS_MAX`.

use sim::{Snapshot, ThreadState};

use super::io::Calls;
use super::picture::{
    Area, Bundle, Context, Mark, Marker, Orientation, Picture, Point, Tether, TetherTo, Token,
    DOT_R, FOLLOWED_GROW, TETHERS_MAX, TOKEN_R,
};
use super::threads::{holds_token, Threads};

/// Draws the threads' tokens and tethers; `threads` and `calls` say where those were
/// drawn, `queued` where each queued request is.
pub(super) fn held_and_tethers(
    p: &mut Picture,
    s: &Snapshot,
    ctx: &Context,
    threads: &Threads,
    calls: &Calls,
    queued: &[(u64, Point)],
) {
    let followed = ctx.followed;
    let mut bundled = 0u32;
    for t in &s.threads {
        let Some(r) = t.request else { continue };
        let rect = threads
            .points
            .iter()
            .find(|(id, _)| *id == t.id)
            .map(|x| x.1);
        if let Some(rect) = rect {
            // In a box the token sits below the label; only boxes are big enough for numbers.
            let numbered = threads.boxes;
            let center = (
                rect.x + rect.w / 2,
                rect.y + rect.h / 2 + if threads.boxes { 6 } else { 0 },
            );
            let f = Some(r) == followed;
            if holds_token(t) {
                if numbered || rect.w >= 6 || f {
                    p.tokens.push(Token {
                        request: r,
                        area: Area::Thread,
                        mark: Mark::Held,
                        at: center,
                        r: if f {
                            TOKEN_R + FOLLOWED_GROW
                        } else if numbered {
                            TOKEN_R
                        } else {
                            (rect.w / 3).clamp(2, DOT_R)
                        },
                        numbered: numbered || f,
                        followed: f,
                    });
                }
            } else {
                p.markers.push(Marker {
                    request: r,
                    area: Area::Thread,
                    at: center,
                    r: if numbered { TOKEN_R - 2 } else { DOT_R },
                });
            }
        }
        if t.state != ThreadState::Blocked {
            continue;
        }
        // A box's tether leaves from its top, beside its label, and arcs over the boxes
        // to the call; a small square's leaves from its right side.
        let down = ctx.orientation == Orientation::Narrow;
        let from = rect.map(|rect| {
            if down {
                (rect.x + rect.w / 2, rect.y + rect.h)
            } else if threads.boxes {
                (rect.x + rect.w - 8, rect.y)
            } else {
                (rect.x + rect.w, rect.y + rect.h / 2)
            }
        });
        let call = calls.points.iter().find(|(req, _)| *req == r).map(|x| x.1);
        let queued = queued.iter().find(|(req, _)| *req == r).map(|x| x.1);
        match (from, t.deadlocked, call, queued) {
            (Some(from), true, _, _) => p.tethers.push(Tether {
                down: false,
                thread: t.id,
                from,
                to: from,
                to_what: TetherTo::Deadlock,
            }),
            (Some(from), false, Some(to), _) => p.tethers.push(Tether {
                down,
                thread: t.id,
                from,
                to,
                to_what: TetherTo::Call,
            }),
            (Some(from), false, None, Some(to)) => p.tethers.push(Tether {
                down: false,
                thread: t.id,
                from,
                to,
                to_what: TetherTo::Queued,
            }),
            _ => {
                // The thread or its call is not drawn one by one: its tether joins the bundle.
                if !t.deadlocked && (from.is_none() || calls.counted) {
                    bundled += 1;
                }
            }
        }
    }
    // Past a few dozen, single lines are a tangle: they become one bundle as wide as their
    // count (a deadlock's loop stays, as it tells something different).
    if p.tethers.len() > TETHERS_MAX {
        let before = p.tethers.len();
        p.tethers.retain(|t| t.to_what == TetherTo::Deadlock);
        bundled += (before - p.tethers.len()) as u32;
    }
    // Threads beyond the snapshot's list are blocked too: count their calls.
    if !threads.individually {
        bundled = s.io_holding_thread.max(bundled);
    }
    if bundled > 0 {
        let (frame, content) = (threads.frame, threads.content);
        let from = (frame.x + frame.w - 8, content.y + content.h / 2);
        let to = (calls.content.x, calls.content.y + 40);
        p.bundle = Some(Bundle {
            count: bundled,
            from,
            to,
            width: (1 + bundled as i32 / 8).min(18),
        });
    }
}
