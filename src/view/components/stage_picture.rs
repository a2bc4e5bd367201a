//! The drawn stage ([`StagePicture`]): the layout (`stage_layout::layout`) drawn as SVG,
//! with its tokens moved between renders. The motion is in `stage_picture/motion.rs`, the
//! parts' SVG in `stage_picture/shapes.rs`; the tokens themselves are kept by
//! `token_layer.rs`.

use std::rc::Rc;

use sim::{Snapshot, ThreadState};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::glyph::state_name;
use super::token_layer::TokenLayer;
use crate::view::hooks::use_animation_frames;
use crate::view::stage_layout::{self, describe, Context, Orientation, Point, TetherTo};

mod motion;
mod shapes;

use motion::{now_ms, plan_moves, update_trail, Memory};
use shapes::{bar, call, marker_words, points, tether_path, text_lines, thread_box, waffle_paths};

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
        Some(w) => waffle_paths(&mut memory.borrow_mut().waffle, w),
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
