//! What the layout returns: the picture's parts, each placed in the picture's integer
//! units, and the bounds that decide how many of a kind are drawn one by one.

use sim::{Outcome, ThreadState};

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
    pub(super) const fn new(x: i32, y: i32, w: i32, h: i32) -> Rect {
        Rect { x, y, w, h }
    }
    /// The rectangle inside this one, `top`, `side` (both sides) and `bottom` in.
    pub(super) fn inset(self, top: i32, side: i32, bottom: i32) -> Rect {
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
pub(super) const TOKEN_CELL: i32 = 24;
/// A dot's radius, and its cell.
pub const DOT_R: i32 = 3;
pub(super) const DOT_CELL: i32 = 9;
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
