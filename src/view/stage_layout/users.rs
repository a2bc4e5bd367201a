//! The users' area: the figures of a closed load, who waits, and the requests that just
//! left.

use sim::Snapshot;

use super::areas::{grid_cell, Areas};
use super::picture::{
    Area, Context, Frame, Mark, Picture, Rect, Token, User, DONE_MAX, FOLLOWED_GROW, TOKEN_CELL,
    TOKEN_R,
};
use super::words::plural;

/// User figures drawn for a closed load.
const USER_FIGURES_MAX: u32 = 12;

/// Draws the users (figures for a closed load, the count waiting) and the requests that
/// just left, the followed one among them even when it is not among the newest.
pub(super) fn users(p: &mut Picture, a: &Areas, s: &Snapshot, ctx: &Context) {
    let waiting = s.counters.in_flight.min(u64::from(u32::MAX)) as u32;
    let content = Rect::new(
        a.users.x + 8,
        a.users.y + 24,
        a.users.w - 16,
        a.done.y - a.users.y - 40,
    );
    let mut caption = Vec::new();
    match ctx.users {
        Some(users) => {
            let figures = users.min(USER_FIGURES_MAX);
            // Figures stand for equal shares of the users; a share is waiting when the
            // users waiting fill it.
            let waiting_figures = if users == 0 {
                0
            } else {
                (u64::from(waiting.min(users)) * u64::from(figures)).div_ceil(u64::from(users))
                    as u32
            };
            for i in 0..figures {
                p.users.push(User {
                    at: grid_cell(content, 22, i as usize),
                    waiting: i < waiting_figures,
                });
            }
            caption.push(format!("{users} {}", plural(users, "user", "users")));
            caption.push(format!("{} waiting", waiting.min(users)));
        }
        None => {
            caption.push("open load".to_owned());
            caption.push(format!("{waiting} waiting"));
        }
    }
    // The requests that just left, newest first.
    let mut recent: Vec<_> = s.recent.iter().rev().take(DONE_MAX).collect();
    if let Some(f) = ctx.followed {
        if !recent.iter().any(|d| d.request == f) {
            if let Some(d) = s.recent.iter().find(|d| d.request == f) {
                recent.pop();
                recent.push(d);
            }
        }
    }
    let done = a.done.inset(14, 2, 0);
    for (i, d) in recent.into_iter().enumerate() {
        let f = Some(d.request) == ctx.followed;
        p.tokens.push(Token {
            request: d.request,
            area: Area::Done,
            mark: Mark::Done(d.outcome),
            at: grid_cell(done, TOKEN_CELL + 2, i),
            r: if f { TOKEN_R + FOLLOWED_GROW } else { TOKEN_R },
            numbered: true,
            followed: f,
        });
    }
    p.frames.push(Frame {
        area: Area::Users,
        rect: a.users,
        title: "users",
        caption,
    });
    p.frames.push(Frame {
        area: Area::Done,
        rect: a.done,
        title: "answered",
        caption: Vec::new(),
    });
}
