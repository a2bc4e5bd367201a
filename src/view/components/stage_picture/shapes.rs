//! The picture's parts as SVG, each a plain function of what the layout placed: threads,
//! calls, counted bars, markers' words and tethers' paths.

use sim::ThreadState;
use yew::prelude::*;

use super::super::glyph::state_name;
use crate::view::stage_layout::{
    Area, Bar, Call, Marker, Point, TetherTo, ThreadBox, ThreadLook, Waffle,
};

/// SVG `points` for a polyline.
pub(super) fn points(ps: &[Point]) -> String {
    let mut s = String::new();
    for (x, y) in ps {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&format!("{x},{y}"));
    }
    s
}

/// Lines of text, one under the other, centred on `x`.
pub(super) fn text_lines(x: i32, y: i32, lines: &[String], class: &'static str) -> Html {
    html! {
        { for lines.iter().enumerate().map(|(i, line)| html! {
            <text class={class} x={x.to_string()} y={(y + i as i32 * 13).to_string()} text-anchor="middle">
                { line.clone() }
            </text>
        }) }
    }
}

/// The word a thread's box shows for its state.
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

/// One thread drawn on its own: a labelled box, or a small square.
pub(super) fn thread_box(t: &ThreadBox, hatch: &str) -> Html {
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

/// One I/O call: a card (a row with words, or a cell), or a dot.
pub(super) fn call(c: &Call) -> Html {
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

/// A counted bar: a segment per kind, and its words below.
pub(super) fn bar(b: &Bar) -> Html {
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
pub(super) fn marker_words(m: &Marker) -> String {
    let r = m.request;
    match m.area {
        Area::Queue => format!("request {r}: the completion its blocked thread waits for"),
        Area::Io => format!("request {r}: the Task its blocked thread waits for"),
        _ => format!("request {r}: this thread finishes its Task for it"),
    }
}

/// A blocked thread's tether: a curve from the thread to what it waits for.
pub(super) fn tether_path(from: Point, to: Point, to_what: TetherTo, down: bool) -> String {
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

/// The waffle's four paths, a square per thread by state; `cache` holds the last paths and
/// what they were drawn from, so a thousand squares are written out again only when a
/// count changes.
pub(super) fn waffle_paths(
    cache: &mut Option<(Vec<Point>, [String; 4])>,
    w: &Waffle,
) -> [String; 4] {
    // Keyed by each state's first square and count: the same counts draw the same.
    let key: Vec<Point> = w
        .squares
        .iter()
        .map(|sq| (sq.first().map_or(-1, |p| p.0 * 4096 + p.1), sq.len() as i32))
        .chain(std::iter::once((w.cell, 0)))
        .collect();
    match cache {
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
            *cache = Some((key, paths.clone()));
            paths
        }
    }
}
