//! The stage as a picture: a pure function from one engine snapshot to what is drawn
//! where. Requests are tokens that keep their identity (their request number) wherever
//! they are; threads are boxes, small squares or, at a thousand, a waffle of counts; a
//! blocked thread is tethered to the call it waits on, and an awaited call sits in the
//! database area as its request's token on a Task receipt, with no tether.
//!
//! Coordinates are integers in the SVG's own units (the view box), so nothing here ever
//! formats a float (see ARCHITECTURE.md, "Build and size"). Every list drawn is bounded:
//! above what an area can show one by one, it shows dots, then a counted bar.

use sim::snapshot::{IoView, ThreadView};
use sim::{Doing, Outcome, Snapshot, ThreadState, WorkKind};

/// Where a request's token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    Users,
    Queue,
    Thread,
    Io,
    Done,
}

impl Area {
    /// The value of the token's `data-area`.
    pub fn name(self) -> &'static str {
        match self {
            Area::Users => "users",
            Area::Queue => "queue",
            Area::Thread => "thread",
            Area::Io => "io",
            Area::Done => "done",
        }
    }
}

/// What a token stands for at this moment; each has its own shape as well as its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A new request waiting in the queue (circle).
    New,
    /// The same request back in the queue for the rest of its work (diamond).
    Continuation,
    /// A `Task.Run` body waiting for a second thread (square).
    TaskRunBody,
    /// Held by a thread (circle).
    Held,
    /// An awaited call: the token on a Task receipt, no thread (circle on a dashed card).
    Receipt,
    /// Left the server.
    Done(Outcome),
}

impl Mark {
    /// The value of the token's `data-kind`.
    pub fn name(self) -> &'static str {
        match self {
            Mark::New => "new",
            Mark::Continuation => "continuation",
            Mark::TaskRunBody => "task-run",
            Mark::Held => "held",
            Mark::Receipt => "receipt",
            Mark::Done(Outcome::Answered) => "answered",
            Mark::Done(Outcome::Late) => "late",
            Mark::Done(Outcome::Rejected) => "rejected",
        }
    }
}

/// A point in the picture's units.
pub type Point = (i32, i32);

/// A rectangle in the picture's units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl Rect {
    const fn new(x: i32, y: i32, w: i32, h: i32) -> Rect {
        Rect { x, y, w, h }
    }
    fn inset(self, top: i32, side: i32, bottom: i32) -> Rect {
        Rect::new(
            self.x + side,
            self.y + top,
            self.w - 2 * side,
            self.h - top - bottom,
        )
    }
}

/// One request's token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub request: u64,
    pub area: Area,
    pub mark: Mark,
    /// Its centre.
    pub at: Point,
    /// Its radius.
    pub r: i32,
    /// Drawn with its number (and then pickable by pointer and keyboard); a dot otherwise.
    pub numbered: bool,
    pub followed: bool,
}

/// A second sign of a request that a thread already holds: the completion of the task a
/// `.Result` waits on, queued, or the thread finishing another request's task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    pub request: u64,
    pub area: Area,
    pub at: Point,
    pub r: i32,
}

/// How a thread is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreadLook {
    /// A labelled box that holds its request's token.
    Box,
    /// A small square in a grid.
    Square,
}

/// One thread, drawn individually.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadBox {
    pub id: u32,
    pub state: ThreadState,
    pub rect: Rect,
    pub look: ThreadLook,
    pub request: Option<u64>,
    pub deadlocked: bool,
    pub followed: bool,
    /// Work items in its own local queue (`Task.Run` bodies nobody took yet).
    pub local_queue: u32,
}

/// Threads too many to draw one by one: one square per thread, grouped by state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waffle {
    /// The side of one square.
    pub cell: i32,
    /// Squares' top-left corners per state: idle, ready, running, blocked.
    pub squares: [Vec<Point>; 4],
}

/// A core, and the thread it runs when that thread is drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoreBox {
    pub idx: usize,
    pub rect: Rect,
    pub thread: Option<u32>,
    pub link_to: Option<Point>,
}

/// One I/O call drawn individually.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub request: u64,
    pub rect: Rect,
    /// Rows are wide enough for words; cells are not.
    pub row: bool,
    /// The blocked thread waiting in it (synchronous I/O).
    pub thread: Option<u32>,
    /// The Task waiting for it (asynchronous I/O).
    pub task: Option<u64>,
    /// The thread blocked on that Task (`.Result` or a polling loop), if any: the call
    /// holds no thread itself, but its request's thread waits for it all the same.
    pub waiter: Option<u32>,
    /// Thousandths of the call done, once it is on the wire.
    pub progress_permille: Option<u32>,
    pub waiting_for_resource: bool,
    pub followed: bool,
}

/// What a tether joins a blocked thread to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TetherTo {
    /// The I/O call it waits in (or whose Task its `.Result` waits for).
    Call,
    /// The queued completion of the task its `.Result` waits for.
    Queued,
    /// Itself: the completion needs this thread's context, which it never gives up.
    Deadlock,
}

/// A blocked thread joined to what it waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tether {
    /// True when it leaves the thread downwards (the narrow layout, calls below threads).
    pub down: bool,
    pub thread: u32,
    pub from: Point,
    pub to: Point,
    pub to_what: TetherTo,
}

/// Many tethers drawn as one line whose width is their count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bundle {
    pub count: u32,
    pub from: Point,
    pub to: Point,
    pub width: i32,
}

/// A counted bar: what an area shows when its items are too many to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    pub area: Area,
    pub rect: Rect,
    /// (css class, words, count) per segment.
    pub segments: Vec<(&'static str, &'static str, u32)>,
}

/// A frame around one area of the server, with its title and caption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub area: Area,
    pub rect: Rect,
    pub title: &'static str,
    pub caption: Vec<String>,
}

/// A user of a closed load: waiting for an answer or thinking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub at: Point,
    pub waiting: bool,
}

/// The picture's proportions: wide for a column of 640 px and more, narrow below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Orientation {
    Wide,
    Narrow,
}

/// What the layout needs besides the snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Context {
    pub orientation: Orientation,
    pub followed: Option<u64>,
    /// The number of users of a closed load; `None` for an open load.
    pub users: Option<u32>,
}

/// Everything drawn, where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picture {
    pub width: i32,
    pub height: i32,
    pub frames: Vec<Frame>,
    pub users: Vec<User>,
    pub cores: Vec<CoreBox>,
    /// Cores too many to draw: (busy, total) in one bar.
    pub cores_bar: Option<(Rect, u32, u32)>,
    pub threads: Vec<ThreadBox>,
    pub waffle: Option<Waffle>,
    pub calls: Vec<Call>,
    pub tethers: Vec<Tether>,
    pub bundle: Option<Bundle>,
    pub bars: Vec<Bar>,
    pub markers: Vec<Marker>,
    /// Tokens in drawing order; the followed one last, so it is on top.
    pub tokens: Vec<Token>,
    /// Arrows between areas: (from, to).
    pub arrows: Vec<(Point, Point)>,
    /// The path responses take back to the users.
    pub response_path: Vec<Point>,
    /// Where a new request enters (a new token travels in from here).
    pub door: Point,
}

/// A numbered token's radius, and the grid cell it needs.
pub const TOKEN_R: i32 = 9;
const TOKEN_CELL: i32 = 24;
/// A dot's radius, and its cell.
pub const DOT_R: i32 = 3;
const DOT_CELL: i32 = 9;
/// The followed token is drawn this much larger.
pub const FOLLOWED_GROW: i32 = 3;
/// Most thread boxes; above, threads are squares.
pub const BOXES_MAX: usize = 16;
/// Most threads drawn one by one (the snapshot lists at most this many); above, a waffle.
pub const SQUARES_MAX: usize = 256;
/// Most queued requests drawn as dots; above, the queue is a counted bar.
pub const QUEUE_DOTS_MAX: usize = 160;
/// Most tethers drawn one by one; above, a bundle.
pub const TETHERS_MAX: usize = 48;
/// Most cores drawn one by one.
pub const CORES_MAX: usize = 16;
/// Finished requests shown leaving.
pub const DONE_MAX: usize = 6;
/// User figures drawn for a closed load.
const USER_FIGURES_MAX: u32 = 12;

struct Areas {
    users: Rect,
    done: Rect,
    queue: Rect,
    threads: Rect,
    io: Rect,
    width: i32,
    height: i32,
}

fn areas(orientation: Orientation) -> Areas {
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

/// Cells of `cell` units filling `rect` row by row: (columns, rows).
fn grid_size(rect: Rect, cell: i32) -> (i32, i32) {
    ((rect.w / cell).max(1), (rect.h / cell).max(1))
}

fn grid_cell(rect: Rect, cell: i32, i: usize) -> Point {
    let (cols, _) = grid_size(rect, cell);
    let i = i as i32;
    (
        rect.x + (i % cols) * cell + cell / 2,
        rect.y + (i / cols) * cell + cell / 2,
    )
}

fn capacity(rect: Rect, cell: i32) -> usize {
    let (c, r) = grid_size(rect, cell);
    (c * r) as usize
}

/// How many items an area draws, and how: numbered, as dots, or counted in a bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Density {
    Numbered,
    Dots,
    Counted,
}

fn density(rect: Rect, listed: usize, total: usize) -> Density {
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
fn holds_token(t: &ThreadView) -> bool {
    t.request.is_some() && t.doing != Doing::InnerCompletion
}

/// Draws the snapshot.
pub fn layout(s: &Snapshot, ctx: &Context) -> Picture {
    let a = areas(ctx.orientation);
    let followed = ctx.followed;
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
    // Which requests a thread holds: their tokens are drawn in the thread.
    let held: Vec<u64> = s
        .threads
        .iter()
        .filter(|t| holds_token(t))
        .filter_map(|t| t.request)
        .collect();
    let is_held = |r: u64| held.contains(&r);

    let receipts = s.io_total - s.io_holding_thread;

    // Users, and the requests that left.
    users(&mut p, &a, s, ctx);

    // The pool queue.
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
            if !is_held(w.request) {
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
            if is_held(w.request) {
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

    // Threads, with the cores above them.
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
            push_thread(&mut p, t, rect, ThreadLook::Box, followed);
        }
    } else if individually {
        let cell = square_cell(t_content, n);
        for (i, t) in s.threads.iter().enumerate() {
            let (cx, cy) = grid_cell(t_content, cell, i);
            let rect = Rect::new(cx - cell / 2 + 1, cy - cell / 2 + 1, cell - 2, cell - 2);
            thread_points.push((t.id, rect));
            push_thread(&mut p, t, rect, ThreadLook::Square, followed);
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
    // Cores above the threads.
    if s.cores.len() <= CORES_MAX {
        let n_cores = s.cores.len().max(1) as i32;
        let gap = 6;
        let cw = ((cores_row.w - gap * (n_cores - 1)) / n_cores).min(64);
        for (i, t) in s.cores.iter().enumerate() {
            let rect = Rect::new(
                cores_row.x + i as i32 * (cw + gap),
                cores_row.y,
                cw,
                cores_row.h,
            );
            let link_to = t.and_then(|id| {
                thread_points
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
        p.cores_bar = Some((cores_row, busy, s.cores.len() as u32));
    }
    p.frames.push(Frame {
        area: Area::Thread,
        rect: t_frame,
        title: "threads (cores above)",
        caption: thread_caption(s),
    });

    // I/O: the database and the OS.
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
                push_call(&mut p, io, rect, true, s.time_us, followed, waiter);
                if io.thread.is_none() {
                    receipt_or_marker(&mut p, io, (rect.x + 14, anchor.1), true, followed, waiter);
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
                Some(io.request) == followed && io.thread.is_none() && !is_held(io.request)
            }) {
                push_receipt_token(
                    &mut p,
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
                push_call(&mut p, io, rect, false, s.time_us, followed, waiter);
                if io.thread.is_none() {
                    let numbered = d == Density::Numbered;
                    receipt_or_marker(&mut p, io, (cx, cy), numbered, followed, waiter);
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

    // Tokens held by threads, and the tethers of blocked threads.
    let mut bundled = 0u32;
    for t in &s.threads {
        let Some(r) = t.request else { continue };
        let rect = thread_points
            .iter()
            .find(|(id, _)| *id == t.id)
            .map(|x| x.1);
        if let Some(rect) = rect {
            // In a box the token sits below the label; only boxes are big enough for numbers.
            let numbered = boxes;
            let center = (
                rect.x + rect.w / 2,
                rect.y + rect.h / 2 + if boxes { 6 } else { 0 },
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
            } else if boxes {
                (rect.x + rect.w - 8, rect.y)
            } else {
                (rect.x + rect.w, rect.y + rect.h / 2)
            }
        });
        let call = call_points.iter().find(|(req, _)| *req == r).map(|x| x.1);
        let queued = queued_points.iter().find(|(req, _)| *req == r).map(|x| x.1);
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
                if !t.deadlocked && (from.is_none() || io_density == Some(Density::Counted)) {
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
    if !individually {
        bundled = s.io_holding_thread.max(bundled);
    }
    if bundled > 0 {
        let from = (t_frame.x + t_frame.w - 8, t_content.y + t_content.h / 2);
        let to = (io_content.x, io_content.y + 40);
        p.bundle = Some(Bundle {
            count: bundled,
            from,
            to,
            width: (1 + bundled as i32 / 8).min(18),
        });
    }

    // Arrows and the way back.
    let mid = |r: Rect| r.y + 60;
    match ctx.orientation {
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

    // The followed token last, so it is drawn on top.
    if let Some(i) = p.tokens.iter().position(|t| t.followed) {
        let t = p.tokens.remove(i);
        p.tokens.push(t);
    }
    p
}

/// A cell for each request that stays its own while the request is there: its number
/// modulo the cells, or the next free one, taken in request order. Calls at the database
/// then sit still while others come and go, instead of shifting along a list (which
/// moved every token on every answer, and cost a DOM write per token per frame).
fn stable_cells(requests: impl Iterator<Item = u64>, cells: usize) -> Vec<usize> {
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
fn crowd_cells(n: usize, rect: Rect, cell: i32) -> usize {
    let (cols, _) = grid_size(rect, cell);
    let cols = cols as usize;
    let rows = (n * 5 / 4).div_ceil(cols).max(1);
    (rows * cols).min(capacity(rect, cell)).max(n)
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

fn plural(n: u32, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn users(p: &mut Picture, a: &Areas, s: &Snapshot, ctx: &Context) {
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

fn thread_caption(s: &Snapshot) -> Vec<String> {
    let (idle, ready, running, blocked) = (
        s.threads_in(ThreadState::Idle),
        s.threads_in(ThreadState::Ready),
        s.threads_in(ThreadState::Running),
        s.threads_in(ThreadState::Blocked),
    );
    let n = s.threads_total;
    let threads = plural(n, "thread", "threads");
    if n == 0 {
        return vec!["no threads yet".to_owned()];
    }
    if blocked == n {
        let why = if s.local_queue_total > 0 {
            // `.Result` on work that sits in the blocked threads' own local queues.
            format!(
                "{} Task.Run {} in their own queues",
                s.local_queue_total,
                plural(s.local_queue_total, "body waits", "bodies wait")
            )
        } else if s.io_holding_thread >= blocked {
            "each holds its request while the database works".to_owned()
        } else {
            "each holds its request and waits".to_owned()
        };
        return vec![format!("{n} {threads}, all blocked:"), why];
    }
    let mut parts = Vec::new();
    if running > 0 {
        parts.push(format!("{running} running"));
    }
    if ready > 0 {
        parts.push(format!("{ready} waiting for a core"));
    }
    if idle > 0 {
        parts.push(format!("{idle} idle"));
    }
    let first = if blocked == 0 {
        format!("{n} {threads}, none blocked:")
    } else {
        format!("{n} {threads}, {blocked} blocked:")
    };
    vec![first, parts.join(", ")]
}

fn io_caption(s: &Snapshot, receipts: u32, waiting: u32) -> Vec<String> {
    let n = s.io_total;
    let calls = plural(n, "call", "calls");
    if n == 0 {
        return vec!["no calls out".to_owned()];
    }
    if s.io_holding_thread == n {
        vec![
            format!("{n} {calls} out, each holding"),
            "a blocked thread".to_owned(),
        ]
    } else if s.io_holding_thread == 0 && waiting > 0 {
        // `.Result` or polling: the calls hold no thread, but threads wait on their Tasks.
        vec![
            format!("{n} {calls} out as Task receipts;"),
            format!(
                "{waiting} {} blocked on them",
                plural(waiting, "thread", "threads")
            ),
        ]
    } else if s.io_holding_thread == 0 {
        vec![
            format!("{n} {calls} out, each a Task receipt:"),
            "no thread attached".to_owned(),
        ]
    } else {
        vec![
            format!("{n} {calls} out: {} holding a thread,", s.io_holding_thread),
            format!("{receipts} only a Task"),
        ]
    }
}

/// The picture in one sentence, for its description and for screen readers.
pub fn describe(s: &Snapshot) -> String {
    let (idle, ready, running, blocked) = (
        s.threads_in(ThreadState::Idle),
        s.threads_in(ThreadState::Ready),
        s.threads_in(ThreadState::Running),
        s.threads_in(ThreadState::Blocked),
    );
    let n = s.threads_total;
    let mut parts = Vec::new();
    for (count, words) in [
        (blocked, "blocked holding requests"),
        (running, "running"),
        (ready, "waiting for a core"),
        (idle, "idle"),
    ] {
        if count > 0 {
            parts.push(format!("{count} {words}"));
        }
    }
    let threads = if parts.is_empty() {
        format!("{n} threads")
    } else {
        format!(
            "{n} {}: {}",
            plural(n, "thread", "threads"),
            parts.join(", ")
        )
    };
    let q = s.pool_queue_total;
    let continuations = q - s.incoming_total;
    let queue = match (q, continuations) {
        (0, _) => "the queue is empty".to_owned(),
        (_, 0) => format!(
            "{q} {} waiting in the queue",
            plural(q, "request", "requests")
        ),
        _ => format!("{q} work items waiting in the queue, {continuations} of them continuations"),
    };
    let queue = match s.local_queue_total {
        0 => queue,
        l => format!(
            "{queue}; {l} Task.Run {} in threads' own local queues",
            plural(l, "body waits", "bodies wait")
        ),
    };
    let io = match (s.io_total, s.io_holding_thread) {
        (0, _) => "no calls at the database".to_owned(),
        (n, h) if h == n => format!(
            "{n} {} at the database, each holding a blocked thread",
            plural(n, "call", "calls")
        ),
        (n, 0) => format!(
            "{n} {} at the database as Task receipts, holding no thread",
            plural(n, "call", "calls")
        ),
        (n, h) => format!("{n} calls at the database, {h} holding a blocked thread"),
    };
    format!("{threads}; {queue}; {io}.")
}

/// Words for a token, for its accessible name.
pub fn token_words(t: &Token) -> String {
    let what = match t.mark {
        Mark::New => "new, waiting in the pool queue",
        Mark::Continuation => "continuation, waiting in the pool queue for a thread",
        Mark::TaskRunBody => "Task.Run body, waiting in the pool queue for a thread",
        Mark::Held => "on a thread",
        Mark::Receipt => "awaiting the database as a Task, holding no thread",
        Mark::Done(Outcome::Answered) => "answered",
        Mark::Done(Outcome::Late) => "answered after its client gave up",
        Mark::Done(Outcome::Rejected) => "rejected with 503",
    };
    format!("Request {}: {what}", t.request)
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
    use super::*;
    use crate::state::simulation::Simulation;
    use sim::Scenario;

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
