use std::collections::BTreeMap;
use std::rc::Rc;

use sim::{Snapshot, ThreadState};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::glyph::state_name;
use super::token_layer::TokenLayer;
use crate::view::hooks::use_animation_frames;
use crate::view::stage_layout::{
    self, describe, travel, Area, Bar, Call, Context, Marker, Orientation, Picture, Point,
    TetherTo, ThreadBox, ThreadLook, Token,
};

/// How long one move of a token takes on screen, in wall-clock milliseconds.
pub const TRAVEL_MS: f64 = 360.0;
/// Above this many tokens moving in one update the eye cannot follow them anyway: they
/// are placed, not sent travelling, so a heavy frame costs no more than a light one.
pub const TRAVEL_MAX: usize = 40;
/// Below this width (CSS px) the picture stacks its areas (the narrow layout), so that its
/// words are not shrunk below reading size.
const NARROW_BELOW_PX: i32 = 600;

#[derive(Properties, PartialEq)]
pub struct StagePictureProps {
    pub snapshot: Rc<Snapshot>,
    pub followed: Option<u64>,
    pub on_follow: Callback<Option<u64>>,
    /// Prefix for the element ids inside the picture ("stage" or "stage-b").
    pub id: AttrValue,
    /// Users of a closed load; `None` for an open load.
    pub users: Option<u32>,
    /// Whether tokens travel; false places them (reduced motion).
    pub motion: bool,
    /// While the run plays the page redraws every frame anyway; paused, the picture asks
    /// for frames of its own until its tokens arrive.
    pub playing: bool,
}

/// One token's move: drawn at `travel(from, to, elapsed / TRAVEL_MS)`.
#[derive(Clone, Copy)]
struct Move {
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
struct Memory {
    moves: BTreeMap<u64, Move>,
    trail: Vec<(Area, Point)>,
    trail_of: Option<u64>,
    orientation: Option<Orientation>,
    /// The waffle's four paths and what they were drawn from: a thousand squares are
    /// written out again only when a count changes.
    waffle: Option<(Vec<Point>, [String; 4])>,
    /// The tokens of the latest render and where each is drawn, for the token layer.
    tokens: Vec<Token>,
    drawn: Vec<Point>,
}

fn now_ms() -> f64 {
    // At build time nothing moves, so any clock will do.
    if !cfg!(target_arch = "wasm32") {
        return 0.0;
    }
    js_sys::Date::now()
}

/// The layout for a width in CSS px.
fn orientation_for(width: i32) -> Orientation {
    if width < NARROW_BELOW_PX {
        Orientation::Narrow
    } else {
        Orientation::Wide
    }
}

/// The width the build-time render lays the picture out for.
pub const PRERENDER_WIDTH: i32 = 760;

/// The picture's width: its own once drawn, else the window's. Reading it forces a layout,
/// so it is read only when the picture mounts and when the window is resized, never while
/// a frame is drawn.
fn measured_width(svg: &NodeRef) -> i32 {
    if !cfg!(target_arch = "wasm32") {
        // Rendered at build time: the width of the stage column on a laptop screen.
        return PRERENDER_WIDTH;
    }
    svg.cast::<web_sys::Element>()
        .map(|e| e.client_width())
        .filter(|w| *w > 0)
        .or_else(|| {
            crate::window()
                .and_then(|w| w.inner_width().ok())
                .and_then(|w| w.as_f64())
                .map(|w| w as i32)
        })
        .unwrap_or(1440)
}

/// Updates the moves for the new picture and returns each token's drawn position now,
/// and whether any move is still under way.
fn plan_moves(
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
fn update_trail(memory: &mut Memory, picture: &Picture, followed: Option<u64>) {
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

fn points(ps: &[Point]) -> String {
    let mut s = String::new();
    for (x, y) in ps {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&format!("{x},{y}"));
    }
    s
}

fn text_lines(x: i32, y: i32, lines: &[String], class: &'static str) -> Html {
    html! {
        { for lines.iter().enumerate().map(|(i, line)| html! {
            <text class={class} x={x.to_string()} y={(y + i as i32 * 13).to_string()} text-anchor="middle">
                { line.clone() }
            </text>
        }) }
    }
}

fn thread_word(t: &ThreadBox) -> &'static str {
    match t.state {
        ThreadState::Idle => "idle",
        ThreadState::Ready => "ready",
        ThreadState::Running => "run",
        ThreadState::Blocked => "blocked",
    }
}

/// A state's symbol, drawn in the box's corner: the same shapes as the legend's and the
/// text view's glyphs (circle, triangle, square, barred square), so colour is never the
/// only signal.
fn state_symbol(state: ThreadState, x: i32, y: i32) -> Html {
    let d = match state {
        ThreadState::Idle => format!("M{} {y}a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0 -7 0", x - 3),
        ThreadState::Ready => format!("M{x} {}l4 7h-8z", y - 4),
        ThreadState::Running => format!("M{} {}h7v7h-7z", x - 3, y - 3),
        ThreadState::Blocked => format!("M{} {}h7v7h-7zM{} {}l7 -7", x - 3, y - 3, x - 3, y + 4),
    };
    html! { <path class="state-symbol" d={d} /> }
}

fn thread_box(t: &ThreadBox, hatch: &str) -> Html {
    let (css, word) = state_name(t.state);
    let r = t.rect;
    let fill = (t.state == ThreadState::Blocked).then(|| format!("url(#{hatch})"));
    let mut label = match t.request {
        Some(req) => format!("Thread {}: {word}, holding request {req}", t.id),
        None => format!("Thread {}: {word}", t.id),
    };
    if t.local_queue > 0 {
        label.push_str(&format!(
            "; its own local queue holds {} Task.Run {}",
            t.local_queue,
            if t.local_queue == 1 { "body" } else { "bodies" }
        ));
    }
    match t.look {
        ThreadLook::Box => html! {
            <g key={t.id} class={classes!("thread", css, t.deadlocked.then_some("deadlocked"), t.followed.then_some("followed"))}
               data-thread={t.id.to_string()} data-state={css}>
                <title>{ label }</title>
                <rect class="thread-box" x={r.x.to_string()} y={r.y.to_string()}
                      width={r.w.to_string()} height={r.h.to_string()} rx="6" fill={fill} />
                { state_symbol(t.state, r.x + 9, r.y + 10) }
                <text class="thread-label" x={(r.x + 16).to_string()} y={(r.y + 14).to_string()}>
                    { format!("T{} {}", t.id, thread_word(t)) }
                </text>
                if t.deadlocked {
                    <text class="thread-label deadlock-words" x={(r.x + r.w / 2).to_string()}
                          y={(r.y + r.h - 4).to_string()} text-anchor="middle">{ "deadlock" }</text>
                } else if t.local_queue > 0 {
                    // The work this thread waits for sits in its own queue, out of reach.
                    <text class="thread-label local-words" x={(r.x + r.w / 2).to_string()}
                          y={(r.y + r.h - 4).to_string()} text-anchor="middle">
                        { format!("{} in own queue", t.local_queue) }
                    </text>
                }
            </g>
        },
        ThreadLook::Square => html! {
            <rect key={t.id} class={classes!("thread", "square", css, t.followed.then_some("followed"))}
                  data-thread={t.id.to_string()} data-state={css}
                  x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()} height={r.h.to_string()}
                  fill={fill} />
        },
    }
}

fn call(c: &Call) -> Html {
    let r = c.rect;
    if !c.row && r.w < 12 {
        // A dot-sized cell: an awaited call is its token alone; a call holding a thread is
        // a small square, where its tether ends.
        return match c.thread {
            Some(_) => html! {
                <rect key={format!("io-{}", c.request)} class="call sync dot"
                      x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()} height={r.h.to_string()} />
            },
            None => html! {},
        };
    }
    let kind = if c.thread.is_some() {
        "sync"
    } else {
        "receipt"
    };
    let progress = c.progress_permille.map(|p| {
        let w = (r.w - 4) * p as i32 / 1000;
        html! {
            <rect class="call-progress" x={(r.x + 2).to_string()} y={(r.y + r.h - 4).to_string()}
                  width={w.to_string()} height="2" />
        }
    });
    let words = || match (c.thread, c.task, c.waiting_for_resource) {
        (_, _, true) => format!("#{}: waits for a connection", c.request),
        (Some(t), _, _) => format!("query of #{}: T{t} waits on it", c.request),
        (None, Some(task), _) => match c.waiter {
            Some(t) => format!("Task {task} of #{}: T{t} blocks on it", c.request),
            None => format!("Task {task} of #{}: no thread", c.request),
        },
        (None, None, _) => format!("query of #{}", c.request),
    };
    html! {
        <g key={format!("io-{}", c.request)}
           class={classes!("call", kind, c.waiting_for_resource.then_some("waiting"), c.followed.then_some("followed"))}
           data-call={c.request.to_string()}>
            <rect class="call-card" x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()}
                  height={r.h.to_string()} rx="4" />
            if c.row {
                <text class="call-words" x={(r.x + if c.thread.is_some() { 8 } else { 28 }).to_string()}
                      y={(r.y + 14).to_string()}>{ words() }</text>
            }
            { progress.unwrap_or_default() }
        </g>
    }
}

fn bar(b: &Bar) -> Html {
    let total: u32 = b.segments.iter().map(|s| s.2).sum::<u32>().max(1);
    let mut x = b.rect.x;
    let words = b
        .segments
        .iter()
        .map(|(_, w, n)| format!("{n} {w}"))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <g class="bar" data-bar={b.area.name()}>
            <title>{ words.clone() }</title>
            { for b.segments.iter().filter(|s| s.2 > 0).map(|(css, _, n)| {
                let w = (i64::from(b.rect.w) * i64::from(*n) / i64::from(total)).max(2) as i32;
                let seg = html! {
                    <rect class={classes!("bar-part", *css)} x={x.to_string()} y={b.rect.y.to_string()}
                          width={w.to_string()} height={b.rect.h.to_string()} />
                };
                x += w;
                seg
            }) }
            { for b.segments.iter().enumerate().map(|(i, (_, w, n))| html! {
                <text class="bar-words" x={b.rect.x.to_string()} y={(b.rect.y + b.rect.h + 14 + 13 * i as i32).to_string()}>
                    { format!("{n} {w}") }
                </text>
            }) }
        </g>
    }
}

/// What a second sign of a request stands for, by where it is; its token is with the
/// thread that holds the request.
fn marker_words(m: &Marker) -> String {
    let r = m.request;
    match m.area {
        Area::Queue => format!("request {r}: the completion its blocked thread waits for"),
        Area::Io => format!("request {r}: the Task its blocked thread waits for"),
        _ => format!("request {r}: this thread finishes its Task for it"),
    }
}

/// A blocked thread's tether: a curve from the thread to what it waits for.
fn tether_path(from: Point, to: Point, to_what: TetherTo, down: bool) -> String {
    match to_what {
        TetherTo::Deadlock => {
            // A loop that leaves the thread and comes back into it: it waits on itself.
            let (x, y) = from;
            format!("M{} {y}a7 7 0 1 1 12 0", x - 12)
        }
        _ => {
            // Out of the thread first (up, or down when the calls are below), then across
            // to the call, entering it level.
            let lift = match (down, to.1 < from.1) {
                (true, _) => -30,
                (false, true) => 36,
                (false, false) => 24,
            };
            let dx = ((to.0 - from.0) / 2).max(24);
            format!(
                "M{} {}C{} {} {} {} {} {}",
                from.0,
                from.1,
                from.0,
                from.1 - lift,
                to.0 - dx,
                to.1,
                to.0,
                to.1
            )
        }
    }
}

/// The drawn stage: users, the pool queue, the threads under their cores and the database,
/// with every request a token that travels between them.
#[component]
pub fn StagePicture(props: &StagePictureProps) -> Html {
    let memory = use_mut_ref(Memory::default);
    let redraw = use_force_update();
    let svg = use_node_ref();
    let width = use_mut_ref(|| measured_width(&svg));
    let orientation = orientation_for(*width.borrow());
    {
        // Measured once drawn, and again whenever the window changes size; a change of
        // layout redraws the picture even while paused.
        let (redraw, svg, width) = (redraw.clone(), svg.clone(), width.clone());
        use_effect_with((), move |_| {
            let measure = move || {
                let w = measured_width(&svg);
                let before = orientation_for(std::mem::replace(&mut *width.borrow_mut(), w));
                if before != orientation_for(w) {
                    redraw.force_update();
                }
            };
            measure();
            let listener = crate::window()
                .map(|w| gloo_events::EventListener::new(&w, "resize", move |_| measure()));
            move || drop(listener)
        });
    }
    let ctx = Context {
        orientation,
        followed: props.followed,
        users: props.users,
    };
    let mut picture = stage_layout::layout(&props.snapshot, &ctx);
    let active = {
        let mut m = memory.borrow_mut();
        if m.orientation != Some(orientation) {
            // A new layout is not a move: place everything.
            m.moves.clear();
            m.trail.clear();
            m.orientation = Some(orientation);
        }
        update_trail(&mut m, &picture, props.followed);
        let (drawn, active) = plan_moves(&mut m, &picture, props.motion, now_ms());
        // The token layer draws the tokens; Yew draws none of them, so they move there.
        m.tokens = std::mem::take(&mut picture.tokens);
        m.drawn = drawn;
        active
    };
    // The tokens are put in the DOM after each render, by hand (see token_layer.rs).
    let tokens_ref = use_node_ref();
    let layer = use_mut_ref(TokenLayer::default);
    {
        let (memory, tokens_ref, layer) = (memory.clone(), tokens_ref.clone(), layer.clone());
        use_effect(move || {
            if let Some(parent) = tokens_ref.cast::<web_sys::Element>() {
                let m = memory.borrow();
                layer.borrow_mut().sync(&parent, &m.tokens, &m.drawn);
            }
        });
    }
    use_animation_frames(
        active && !props.playing,
        Callback::from(move |_| redraw.force_update()),
    );

    // One handler for the whole picture: a click or Enter on a token follows its request
    // (or stops following it).
    let pick = {
        let on_follow = props.on_follow.clone();
        let followed = props.followed;
        Rc::new(move |target: Option<web_sys::EventTarget>| -> bool {
            let Some(el) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
                return false;
            };
            let Ok(Some(token)) = el.closest("[data-request]") else {
                return false;
            };
            let Some(request) = token
                .get_attribute("data-request")
                .and_then(|r| r.parse::<u64>().ok())
            else {
                return false;
            };
            on_follow.emit(if followed == Some(request) {
                None
            } else {
                Some(request)
            });
            true
        })
    };
    let onclick = {
        let pick = pick.clone();
        Callback::from(move |e: MouseEvent| {
            pick(e.target());
        })
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if (e.key() == "Enter" || e.key() == " ") && pick(e.target()) {
            e.prevent_default();
            // The page's shortcuts (Space plays) must not also act on this key.
            e.stop_propagation();
        }
    });

    let id = &props.id;
    let hatch = format!("{id}-hatch");
    let arrow = format!("{id}-arrow");
    let title_id = format!("{id}-picture-title");
    let desc_id = format!("{id}-picture-desc");
    let waffle_paths: [String; 4] = match &picture.waffle {
        Some(w) => {
            // Keyed by each state's first square and count: the same counts draw the same.
            let key: Vec<Point> = w
                .squares
                .iter()
                .map(|sq| (sq.first().map_or(-1, |p| p.0 * 4096 + p.1), sq.len() as i32))
                .chain(std::iter::once((w.cell, 0)))
                .collect();
            let mut m = memory.borrow_mut();
            match &m.waffle {
                Some((k, paths)) if *k == key => paths.clone(),
                _ => {
                    let c = w.cell - 1;
                    let blocked = 3;
                    let mut paths: [String; 4] = Default::default();
                    for (i, sq) in w.squares.iter().enumerate() {
                        let d = &mut paths[i];
                        for (x, y) in sq {
                            d.push_str(&format!("M{x} {y}h{c}v{c}h-{c}z"));
                            // A blocked thread's square is barred, as its glyph is.
                            if i == blocked {
                                d.push_str(&format!("M{x} {}l{c} -{c}", y + c));
                            }
                        }
                    }
                    m.waffle = Some((key, paths.clone()));
                    paths
                }
            }
        }
        None => Default::default(),
    };
    let trail: Vec<Point> = memory.borrow().trail.iter().map(|(_, p)| *p).collect();
    let p = &picture;
    html! {
        <svg class={classes!("picture", if orientation == Orientation::Narrow { "narrow" } else { "wide" })}
             ref={svg}
             data-picture="stage" viewBox={format!("0 0 {} {}", p.width, p.height)}
             role="group" aria-labelledby={title_id.clone()} aria-describedby={desc_id.clone()}
             {onclick} {onkeydown}>
            <title id={title_id}>{ "The server, drawn: users, the pool queue, threads and the database" }</title>
            <desc id={desc_id}>{ describe(&props.snapshot) }</desc>
            <defs>
                <pattern id={hatch.clone()} width="6" height="6" patternUnits="userSpaceOnUse"
                         patternTransform="rotate(45)">
                    <rect class="hatch-bg" width="6" height="6" />
                    <line class="hatch-line" x1="0" y1="0" x2="0" y2="6" />
                </pattern>
                <marker id={arrow.clone()} viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7"
                        markerHeight="7" orient="auto-start-reverse">
                    <path class="arrow-head" d="M0 0L8 4L0 8z" />
                </marker>
            </defs>
            { for p.frames.iter().map(|f| {
                let r = f.rect;
                let cap_y = r.y + r.h - 13 * f.caption.len() as i32 - 2;
                html! {
                    <g class={classes!("area", f.area.name())}>
                        <rect class="area-frame" x={r.x.to_string()} y={r.y.to_string()}
                              width={r.w.to_string()} height={r.h.to_string()} rx="8" />
                        <text class="area-title" x={(r.x + r.w / 2).to_string()} y={(r.y + 14).to_string()}
                              text-anchor="middle">{ f.title }</text>
                        { text_lines(r.x + r.w / 2, cap_y + 10, &f.caption, "area-caption") }
                    </g>
                }
            }) }
            { for p.arrows.iter().map(|(a, b)| html! {
                <line class="flow" x1={a.0.to_string()} y1={a.1.to_string()} x2={b.0.to_string()} y2={b.1.to_string()}
                      marker-end={format!("url(#{arrow})")} />
            }) }
            <polyline class="response" points={points(&p.response_path)} marker-end={format!("url(#{arrow})")} />
            { for p.users.iter().map(|u| html! {
                <circle class={classes!("user", if u.waiting { "waiting" } else { "thinking" })}
                        cx={u.at.0.to_string()} cy={u.at.1.to_string()} r="7" />
            }) }
            { for p.cores.iter().map(|c| {
                let r = c.rect;
                html! {
                    <g class={classes!("core", c.thread.is_some().then_some("busy"))}>
                        <rect class="core-box" x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()}
                              height={r.h.to_string()} rx="4" />
                        <text class="core-label" x={(r.x + r.w / 2).to_string()} y={(r.y + 12).to_string()}
                              text-anchor="middle">
                            { match c.thread {
                                Some(t) if r.w >= 44 => format!("core {}: T{t}", c.idx),
                                Some(t) => format!("T{t}"),
                                None if r.w >= 44 => format!("core {}", c.idx),
                                None => "–".to_owned(),
                            } }
                        </text>
                        if let Some((x, y)) = c.link_to {
                            <line class="core-link" x1={(r.x + r.w / 2).to_string()} y1={(r.y + r.h).to_string()}
                                  x2={x.to_string()} y2={y.to_string()} />
                        }
                    </g>
                }
            }) }
            if let Some((r, busy, total)) = p.cores_bar {
                <text class="core-label" x={(r.x + r.w / 2).to_string()} y={(r.y + 12).to_string()} text-anchor="middle">
                    { format!("{busy} of {total} cores busy") }
                </text>
            }
            { for p.calls.iter().map(call) }
            { for p.threads.iter().map(|t| thread_box(t, &hatch)) }
            if p.waffle.is_some() {
                <g class="waffle" role="img" aria-label={{
                    let s = &props.snapshot;
                    let (i, r, run, b) = (
                        s.threads_in(ThreadState::Idle),
                        s.threads_in(ThreadState::Ready),
                        s.threads_in(ThreadState::Running),
                        s.threads_in(ThreadState::Blocked),
                    );
                    format!("{} threads: {run} running, {r} ready, {b} blocked, {i} idle", props.snapshot.threads_total)
                }}>
                    { for [ThreadState::Idle, ThreadState::Ready, ThreadState::Running, ThreadState::Blocked]
                        .iter().enumerate().map(|(i, st)| {
                        let (css, _) = state_name(*st);
                        // No pattern fill here: a thousand patterned squares cost more to
                        // paint than the frame has. Blocked squares carry their bar as a
                        // stroke of the path instead (see the waffle's paths).
                        let d = waffle_paths[i].clone();
                        html! { <path class={classes!("waffle-part", css)} d={d} /> }
                    }) }
                </g>
            }
            { for p.tethers.iter().map(|t| html! {
                <path key={t.thread} class={classes!("tether", (t.to_what == TetherTo::Deadlock).then_some("deadlock"))}
                      data-tether={t.thread.to_string()} d={tether_path(t.from, t.to, t.to_what, t.down)} />
            }) }
            if let Some(b) = &p.bundle {
                <g class="tether-bundle-group">
                    <path class="tether-bundle" data-tether-bundle="" data-count={b.count.to_string()}
                          stroke-width={b.width.to_string()} d={tether_path(b.from, b.to, TetherTo::Call, false)} />
                    <text class="bundle-words" x={((b.from.0 + b.to.0) / 2).to_string()} y={(b.from.1.min(b.to.1) - 6).to_string()}
                          text-anchor="middle">
                        { format!("{} blocked", b.count) }
                    </text>
                </g>
            }
            { for p.bars.iter().map(bar) }
            { for p.markers.iter().map(|m| html! {
                <g class="marker" data-for-request={m.request.to_string()}
                   transform={format!("translate({} {})", m.at.0, m.at.1)}>
                    <title>{ marker_words(m) }</title>
                    <path class="marker-shape" d={format!("M0 {}L{} 0L0 {}L{} 0z", -m.r, m.r, m.r, -m.r)} />
                </g>
            }) }
            if trail.len() >= 2 {
                <polyline class="trail" points={points(&trail)} />
            }
            <g class="tokens" ref={tokens_ref}></g>
        </svg>
    }
}
