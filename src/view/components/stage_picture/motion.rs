//! The picture's motion: where each token was going and since when, so a token whose
//! place changed travels there over `TRAVEL_MS` of wall time; and the followed token's
//! trail. Nothing here reads the snapshot: the layout has placed every token already.

use std::collections::BTreeMap;

use crate::view::stage_layout::{travel, Area, Orientation, Picture, Point, Token};

/// How long one move of a token takes on screen, in wall-clock milliseconds.
const TRAVEL_MS: f64 = 360.0;
/// Above this many tokens moving in one update the eye cannot follow them anyway: they
/// are placed, not sent travelling, so a heavy frame costs no more than a light one.
const TRAVEL_MAX: usize = 40;
/// One token's move: drawn at `travel(from, to, elapsed / TRAVEL_MS)`.
#[derive(Clone, Copy)]
pub(super) struct Move {
    from: Point,
    to: Point,
    start_ms: f64,
}

impl Move {
    fn at(&self, now_ms: f64) -> Point {
        travel(self.from, self.to, self.permille(now_ms))
    }
    fn permille(&self, now_ms: f64) -> u32 {
        // Not f64::clamp: its assertion would bring the float formatting into the bundle
        // (ARCHITECTURE.md, "Build and size"); a float-to-int cast saturates at both ends.
        ((now_ms - self.start_ms) * 1000.0 / TRAVEL_MS) as u32
    }
}

/// What the picture remembers between renders: where each token was going, and the
/// followed token's path so far.
#[derive(Default)]
pub(super) struct Memory {
    pub(super) moves: BTreeMap<u64, Move>,
    pub(super) trail: Vec<(Area, Point)>,
    pub(super) trail_of: Option<u64>,
    pub(super) orientation: Option<Orientation>,
    /// The waffle's four paths and what they were drawn from: a thousand squares are
    /// written out again only when a count changes.
    pub(super) waffle: Option<(Vec<Point>, [String; 4])>,
    /// The tokens of the latest render and where each is drawn, for the token layer.
    pub(super) tokens: Vec<Token>,
    pub(super) drawn: Vec<Point>,
}

pub(super) fn now_ms() -> f64 {
    // At build time nothing moves, so any clock will do.
    if !cfg!(target_arch = "wasm32") {
        return 0.0;
    }
    js_sys::Date::now()
}

/// Updates the moves for the new picture and returns each token's drawn position now,
/// and whether any move is still under way.
pub(super) fn plan_moves(
    memory: &mut Memory,
    picture: &Picture,
    motion: bool,
    now: f64,
) -> (Vec<Point>, bool) {
    let mut changed = 0;
    for t in &picture.tokens {
        match memory.moves.get(&t.request) {
            Some(m) if m.to == t.at => {}
            _ => changed += 1,
        }
    }
    let travel_now = motion && changed <= TRAVEL_MAX;
    let mut next: BTreeMap<u64, Move> = BTreeMap::new();
    let mut drawn = Vec::with_capacity(picture.tokens.len());
    let mut active = false;
    for t in &picture.tokens {
        let m = match memory.moves.get(&t.request) {
            Some(m) if m.to == t.at => *m,
            Some(m) if travel_now => Move {
                from: m.at(now),
                to: t.at,
                start_ms: now,
            },
            // A request seen for the first time comes in through the door.
            None if travel_now && matches!(t.area, Area::Queue | Area::Thread) => Move {
                from: picture.door,
                to: t.at,
                start_ms: now,
            },
            _ => Move {
                from: t.at,
                to: t.at,
                start_ms: now - TRAVEL_MS,
            },
        };
        let at = m.at(now);
        active |= at != m.to;
        drawn.push(at);
        next.insert(t.request, m);
    }
    memory.moves = next;
    (drawn, active)
}

/// The followed token's path so far: one point per area visited, the last one where the token is now: moving within an area
/// (the queue draining ahead of it) moves the last point, and a step back into the area
/// before removes the last one, so stepping back redraws exactly the earlier picture. A
/// token no longer drawn (answered long ago) has no trail.
pub(super) fn update_trail(memory: &mut Memory, picture: &Picture, followed: Option<u64>) {
    if memory.trail_of != followed {
        memory.trail.clear();
        memory.trail_of = followed;
    }
    let Some(t) = picture.tokens.iter().find(|t| t.followed) else {
        memory.trail.clear();
        return;
    };
    let n = memory.trail.len();
    match memory.trail.last() {
        Some((area, _)) if *area == t.area => {}
        _ if n >= 2 && memory.trail[n - 2].0 == t.area => {
            memory.trail.pop();
        }
        _ => memory.trail.push((t.area, t.at)),
    }
    if let Some(last) = memory.trail.last_mut() {
        last.1 = t.at;
    }
}
