//! Where the picture's areas are in each orientation, the arrows between them, and how
//! an area's items fill a grid of cells: numbered, as dots, or counted.

use super::picture::{Orientation, Picture, Point, Rect, DOT_CELL, TOKEN_CELL};

/// Each area's frame, and the picture's size.
pub(super) struct Areas {
    pub(super) users: Rect,
    pub(super) done: Rect,
    pub(super) queue: Rect,
    pub(super) threads: Rect,
    pub(super) io: Rect,
    pub(super) width: i32,
    pub(super) height: i32,
}

pub(super) fn areas(orientation: Orientation) -> Areas {
    match orientation {
        Orientation::Wide => Areas {
            users: Rect::new(0, 0, 110, 300),
            done: Rect::new(4, 176, 102, 84),
            queue: Rect::new(126, 0, 204, 300),
            threads: Rect::new(346, 0, 290, 300),
            io: Rect::new(652, 0, 308, 300),
            width: 960,
            height: 330,
        },
        Orientation::Narrow => Areas {
            users: Rect::new(0, 0, 110, 200),
            done: Rect::new(4, 112, 102, 54),
            queue: Rect::new(120, 0, 240, 200),
            threads: Rect::new(24, 214, 336, 236),
            io: Rect::new(24, 464, 336, 220),
            width: 360,
            height: 700,
        },
    }
}

/// The arrows from area to area, and the way responses take back to the users.
pub(super) fn arrows(p: &mut Picture, a: &Areas, orientation: Orientation) {
    let mid = |r: Rect| r.y + 60;
    match orientation {
        Orientation::Wide => {
            p.arrows.push((
                (a.users.x + a.users.w + 2, mid(a.queue)),
                (a.queue.x - 2, mid(a.queue)),
            ));
            p.arrows.push((
                (a.queue.x + a.queue.w + 2, mid(a.queue)),
                (a.threads.x - 2, mid(a.queue)),
            ));
            p.arrows.push((
                (a.threads.x + a.threads.w + 2, mid(a.queue)),
                (a.io.x - 2, mid(a.queue)),
            ));
            let y = a.height - 12;
            p.response_path = vec![
                (a.threads.x + a.threads.w / 2, a.threads.y + a.threads.h),
                (a.threads.x + a.threads.w / 2, y),
                (a.users.x + a.users.w / 2, y),
                (a.users.x + a.users.w / 2, a.users.y + a.users.h + 2),
            ];
        }
        Orientation::Narrow => {
            p.arrows.push((
                (a.users.x + a.users.w + 1, mid(a.queue)),
                (a.queue.x - 1, mid(a.queue)),
            ));
            p.arrows.push((
                (a.queue.x + a.queue.w / 2, a.queue.y + a.queue.h + 1),
                (a.queue.x + a.queue.w / 2, a.threads.y - 1),
            ));
            p.arrows.push((
                (a.threads.x + a.threads.w / 2, a.threads.y + a.threads.h + 1),
                (a.threads.x + a.threads.w / 2, a.io.y - 1),
            ));
            p.response_path = vec![
                (a.threads.x, a.threads.y + a.threads.h / 2),
                (10, a.threads.y + a.threads.h / 2),
                (10, a.users.y + a.users.h + 2),
            ];
        }
    }
}

/// Cells of `cell` units filling `rect` row by row: (columns, rows).
pub(super) fn grid_size(rect: Rect, cell: i32) -> (i32, i32) {
    ((rect.w / cell).max(1), (rect.h / cell).max(1))
}

pub(super) fn grid_cell(rect: Rect, cell: i32, i: usize) -> Point {
    let (cols, _) = grid_size(rect, cell);
    let i = i as i32;
    (
        rect.x + (i % cols) * cell + cell / 2,
        rect.y + (i / cols) * cell + cell / 2,
    )
}

pub(super) fn capacity(rect: Rect, cell: i32) -> usize {
    let (c, r) = grid_size(rect, cell);
    (c * r) as usize
}

/// How many items an area draws, and how: numbered, as dots, or counted in a bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Density {
    Numbered,
    Dots,
    Counted,
}

pub(super) fn density(rect: Rect, listed: usize, total: usize) -> Density {
    if listed < total {
        Density::Counted
    } else if total <= capacity(rect, TOKEN_CELL) {
        Density::Numbered
    } else if total <= capacity(rect, DOT_CELL) {
        Density::Dots
    } else {
        Density::Counted
    }
}

/// A cell for each request that stays its own while the request is there: its number
/// modulo the cells, or the next free one, taken in request order. Calls at the database
/// then sit still while others come and go, instead of shifting along a list (which
/// moved every token on every answer, and cost a DOM write per token per frame).
pub(super) fn stable_cells(requests: impl Iterator<Item = u64>, cells: usize) -> Vec<usize> {
    let mut by_request: Vec<(u64, usize)> = requests.enumerate().map(|(i, r)| (r, i)).collect();
    let mut out = vec![0; by_request.len()];
    let cells = cells.max(by_request.len()).max(1);
    let mut taken = vec![false; cells];
    by_request.sort_unstable();
    for (request, i) in by_request {
        let mut cell = (request % cells as u64) as usize;
        while taken[cell] {
            cell = (cell + 1) % cells;
        }
        taken[cell] = true;
        out[i] = cell;
    }
    out
}

/// How many cells a crowd of `n` spreads over: whole rows, a quarter more than it needs,
/// so the crowd stays compact and a few arrivals or departures rarely change the rows
/// (which would move every dot).
pub(super) fn crowd_cells(n: usize, rect: Rect, cell: i32) -> usize {
    let (cols, _) = grid_size(rect, cell);
    let cols = cols as usize;
    let rows = (n * 5 / 4).div_ceil(cols).max(1);
    (rows * cols).min(capacity(rect, cell)).max(n)
}
