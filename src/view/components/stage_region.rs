use std::rc::Rc;

use sim::snapshot::{IoView, ThreadView, WorkView};
use sim::{Doing, Snapshot, ThreadState, WorkKind};
use yew::prelude::*;

use super::glyph::{glyph, state_name};
use super::stage_picture::StagePicture;
use crate::view::format;

/// Above this many threads the stage draws a strip of counts per state instead of one lane
/// per thread, so a thousand threads cost as much to draw as sixty-four.
pub const LANES_MAX: usize = 64;
/// Most queue entries and I/O receipts drawn one by one; the rest are counted.
pub const CHIPS_MAX: usize = 40;
/// Above this many queued items or I/O calls the stage shows counts instead of entries.
/// Measured: with ~450 calls in flight (10,000 users), redrawing forty churning receipts
/// every frame cost more than a third of the frame rate in headless Chromium.
pub const AGGREGATE_ABOVE: usize = 64;

/// A strip of counts, one segment per kind, each with its number and words, so that a
/// thousand items cost as much to draw as two. Segment widths are classes in 5 % steps
/// (`g1`–`g20`), not `style` attributes, so a Content-Security-Policy without
/// `'unsafe-inline'` styles allows the page; the exact numbers are in the segments.
fn aggregate_strip(label: &str, parts: &[(&'static str, &'static str, u32)]) -> Html {
    let total: u32 = parts.iter().map(|p| p.2).sum();
    let words = parts
        .iter()
        .map(|(_, w, n)| format!("{n} {w}"))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <div class="aggregate">
            <div class="heat-strip" role="img" aria-label={format!("{label}: {words}")}>
                { for parts.iter().filter(|p| p.2 > 0).map(|(css, word, n)| {
                    let steps = (f64::from(*n) * 20.0 / f64::from(total.max(1))).round() as u32;
                    html! {
                        <span class={format!("heat {css} g{}", steps.clamp(1, 20))}
                              title={format!("{word}: {n}")}>
                            { n }
                        </span>
                    }
                }) }
            </div>
            <p class="aggregate-words">{ words }</p>
        </div>
    }
}

const STATES: [ThreadState; 4] = [
    ThreadState::Idle,
    ThreadState::Ready,
    ThreadState::Running,
    ThreadState::Blocked,
];

#[derive(Properties, PartialEq)]
pub struct StageRegionProps {
    pub snapshot: Rc<Snapshot>,
    /// Whether the key to the picture is drawn under it (of two stacked stages, only the
    /// lower one draws it).
    #[prop_or(true)]
    pub legend: bool,
    /// Whether this stage carries the "Show as text" switch (it switches every stage, so
    /// of two, only the upper one does).
    #[prop_or(true)]
    pub text_toggle: bool,
    /// The request the reader follows; its thread, queue entry and I/O are highlighted.
    pub followed: Option<u64>,
    pub on_follow: Callback<Option<u64>>,
    /// The element id of the section: "stage" for the main stage, "stage-b" for the
    /// second stage in A/B mode.
    #[prop_or(AttrValue::Static("stage"))]
    pub id: AttrValue,
    #[prop_or(AttrValue::Static("The simulation"))]
    pub title: AttrValue,
    /// The endpoint's one line of code, shown under the title.
    #[prop_or_default]
    pub code_line: Option<AttrValue>,
    /// Users of a closed load (`None` for an open load), for the picture's users area.
    #[prop_or_default]
    pub users: Option<u32>,
    /// Whether the picture's tokens travel (false under reduced motion).
    #[prop_or(true)]
    pub motion: bool,
    /// Whether the run plays (the picture then needs no frames of its own).
    #[prop_or_default]
    pub playing: bool,
    /// Show the text lists instead of the picture.
    #[prop_or_default]
    pub text: bool,
    pub on_text: Callback<bool>,
    /// Which runtime's pool the run models, in words (".NET 7–9").
    #[prop_or_default]
    pub runtime: Option<AttrValue>,
}

/// `class` with `followed` added when the item belongs to the followed request.
fn with_followed(mut class: String, followed: bool) -> String {
    if followed {
        class.push_str(" followed");
    }
    class
}

/// A request id as a button that follows (or stops following) that request.
fn request_button(request: u64, followed: Option<u64>, on_follow: &Callback<Option<u64>>) -> Html {
    let is_followed = followed == Some(request);
    let on_follow = on_follow.clone();
    let onclick = Callback::from(move |_: MouseEvent| {
        on_follow.emit(if is_followed { None } else { Some(request) })
    });
    html! {
        <button type="button" class="request-link" aria-pressed={is_followed.to_string()}
                title={if is_followed { "Stop following this request" } else { "Follow this request" }}
                {onclick}>
            { format!("#{request}") }
            if is_followed { <span class="followed-mark">{ " (followed)" }</span> }
        </button>
    }
}

/// What a thread is doing, in words a reader can follow.
pub fn doing_words(doing: Doing) -> &'static str {
    match doing {
        Doing::Idle => "waiting for work",
        Doing::Dispatch => "picking up a work item",
        Doing::Cpu => "running request code",
        Doing::BlockedIo => "blocked in synchronous I/O",
        Doing::WaitingResource => "blocked waiting for a database connection",
        Doing::WaitResult => "blocked in .Result",
        Doing::SleepPoll => "asleep in a polling loop",
        Doing::Polling => "checking whether the task is done",
        Doing::InnerCompletion => "finishing another request's task",
    }
}

fn work_words(kind: WorkKind) -> (&'static str, &'static str) {
    match kind {
        WorkKind::NewRequest => ("request", "new request"),
        WorkKind::Continuation => ("continuation", "continuation"),
        WorkKind::InnerCompletion => ("inner", "inner completion"),
        WorkKind::TaskRunBody => ("taskrun", "Task.Run body"),
        WorkKind::TimerFiring => ("timer", "timer firing"),
    }
}

fn lane(thread: &ThreadView, followed: Option<u64>, on_follow: &Callback<Option<u64>>) -> Html {
    let (css, word) = state_name(thread.state);
    let is_followed = thread.request.is_some() && thread.request == followed;
    let request = thread
        .request
        .map(|r| html! { <>{ "request " }{ request_button(r, followed, on_follow) }</> })
        .unwrap_or_default();
    let core = thread.core.map(|c| format!("core {c}")).unwrap_or_default();
    html! {
        <li key={thread.id} class={with_followed(format!("lane {css}"), is_followed)} data-state={css}
            data-thread={thread.id.to_string()}>
            { glyph(thread.state) }
            <span class="lane-name">{ format!("Thread {}", thread.id) }</span>
            <span class="lane-state">{ word }</span>
            <span class="lane-doing">{ doing_words(thread.doing) }</span>
            <span class="lane-request">{ request }</span>
            <span class="lane-core">{ core }</span>
        </li>
    }
}

fn work_chip(item: &WorkView, followed: Option<u64>, on_follow: &Callback<Option<u64>>) -> Html {
    let (css, word) = work_words(item.kind);
    let task = item
        .task
        .map(|t| format!(" (task {t})"))
        .unwrap_or_default();
    let is_followed = followed == Some(item.request);
    html! {
        // Keyed by what the item is, so a new arrival gets a new element (and, where motion is
        // welcome, its arrival animation) while the items ahead of it keep theirs.
        <li key={format!("{css}-{}-{}", item.request, item.task.unwrap_or(u64::MAX))}
            class={with_followed(format!("chip {css}"), is_followed)} data-kind={css}>
            <span class="chip-kind">{ word }</span>
            { " " }{ request_button(item.request, followed, on_follow) }{ task }
        </li>
    }
}

fn receipt(
    io: &IoView,
    now_us: u64,
    followed: Option<u64>,
    on_follow: &Callback<Option<u64>>,
) -> Html {
    let holder = match (io.task, io.thread) {
        (_, Some(thread)) => {
            html! { <span class="holder blocked">{ format!("thread {thread} blocked") }</span> }
        }
        (Some(task), None) => {
            html! { <span class="holder receipt">{ format!("Task {task}: no thread") }</span> }
        }
        (None, None) => html! { <span class="holder">{ "no thread" }</span> },
    };
    let when = if io.waiting_for_resource {
        "waiting for a connection".to_owned()
    } else {
        io.done_at_us
            .map(|done| format!("{} left", format::millis(done.saturating_sub(now_us))))
            .unwrap_or_default()
    };
    // How far the call has got, from the clock: it advances every frame, not only at
    // events, so the bar fills smoothly between one event and the next.
    let progress = io.started_at_us.zip(io.done_at_us).map(|(start, done)| {
        let span = done.saturating_sub(start).max(1);
        (now_us.saturating_sub(start).min(span) * 100 / span) as u32
    });
    html! {
        <li key={format!("io-{}-{}", io.request, io.started_at_us.unwrap_or(u64::MAX))}
            class={with_followed(
                if io.thread.is_some() { "io-op sync".to_owned() } else { "io-op".to_owned() },
                followed == Some(io.request),
            )}
            data-holder={if io.thread.is_some() { "thread" } else { "task" }}>
            { "request " }{ request_button(io.request, followed, on_follow) }{ " " }
            { holder }
            if let Some(pct) = progress {
                <progress class="io-progress" max="100" value={pct.to_string()}
                          aria-label={format!("request #{}: database call {pct} % done", io.request)} />
            }
            <span class="io-when">{ when }</span>
        </li>
    }
}

/// The picture's key: what each shape means, so neither colour nor a guess is needed.
fn legend() -> Html {
    let item = |class: &'static str, words: &'static str| {
        html! { <li><span class={classes!("key-mark", class)} aria-hidden="true"></span>{ words }</li> }
    };
    html! {
        <ul class="picture-legend" aria-label="Key to the picture">
            { for STATES.iter().map(|st| {
                let (_, word) = state_name(*st);
                html! { <li>{ glyph(*st) }{ format!("{word} thread") }</li> }
            }) }
            { item("request", "request") }
            { item("continuation", "continuation (the same request, back)") }
            { item("receipt", "Task receipt: no thread") }
            { item("tether", "tether: a thread blocked on a call") }
        </ul>
    }
}

/// The stage: the cores, the threads, the pool's queue and the I/O in flight at the
/// snapshot's moment, plus the controls passed in.
#[component]
pub fn StageRegion(props: &StageRegionProps) -> Html {
    let s = &props.snapshot;
    let (idle, ready, running, blocked) = (
        s.threads_in(ThreadState::Idle),
        s.threads_in(ThreadState::Ready),
        s.threads_in(ThreadState::Running),
        s.threads_in(ThreadState::Blocked),
    );
    let c = &s.counters;
    html! {
        <section id={props.id.clone()} class="stage" aria-labelledby={format!("{}-title", props.id)} tabindex="-1"
                 data-threads={s.threads_total.to_string()}
                 data-blocked={blocked.to_string()} data-time-us={s.time_us.to_string()}
                 data-events={c.events.to_string()}>
            <div class="stage-head">
                <h2 id={format!("{}-title", props.id)}>{ props.title.clone() }</h2>
                if let Some(code) = &props.code_line {
                    <code class="stage-code">{ code.clone() }</code>
                }
                if props.text_toggle {
                <button type="button" class="stage-text-toggle" aria-pressed={props.text.to_string()}
                        onclick={{
                            let on_text = props.on_text.clone();
                            let text = props.text;
                            Callback::from(move |_: MouseEvent| on_text.emit(!text))
                        }}>
                    { "Show as text" }
                </button>
                }
            </div>
            <dl class="totals" aria-label="Totals so far">
                { for [
                    ("Answered", "completed", c.completed),
                    ("Timed out", "failed", c.failed),
                    ("In flight", "in-flight", c.in_flight),
                    ("Thread goal", "goal", u64::from(c.thread_goal)),
                    ("Events", "events", c.events),
                ].into_iter().map(|(words, key, n)| html! {
                    <div><dt>{ words }</dt><dd data-total={key}>{ n }</dd></div>
                }) }
                if let Some(runtime) = &props.runtime {
                    <div><dt>{ "Pool" }</dt><dd data-total="runtime">{ runtime.clone() }</dd></div>
                }
            </dl>

            if !props.text {
                <StagePicture snapshot={props.snapshot.clone()} followed={props.followed}
                              on_follow={props.on_follow.clone()} id={props.id.clone()}
                              users={props.users} motion={props.motion} playing={props.playing} />
                if props.legend {
                    { legend() }
                }
            } else {
            <div class="stage-part cores">
                <h3>{ format!("Cores ({})", s.cores.len()) }</h3>
                <ol class="core-strip">
                    { for s.cores.iter().enumerate().map(|(i, t)| html! {
                        <li class={if t.is_some() { "core busy" } else { "core" }}>
                            <span class="core-name">{ format!("Core {i}") }</span>
                            <span>{ t.map(|t| format!("thread {t}")).unwrap_or_else(|| "idle".to_owned()) }</span>
                        </li>
                    }) }
                </ol>
            </div>

            <div class="stage-part threads">
                <h3>{ format!("Threads ({})", s.threads_total) }</h3>
                <p class="state-counts">
                    { for STATES.iter().zip([idle, ready, running, blocked]).map(|(st, n)| {
                        let (_, word) = state_name(*st);
                        html! { <span class="state-count">{ glyph(*st) }{ format!("{word} {n}") }</span> }
                    }) }
                </p>
                if (s.threads_total as usize) <= LANES_MAX {
                    <ul class="lanes" tabindex="0" aria-label="Threads, one per line">
                        { for s.threads.iter().map(|t| lane(t, props.followed, &props.on_follow)) }
                    </ul>
                } else {
                    { aggregate_strip("Threads", &[
                        ("idle", "idle", idle),
                        ("ready", "ready", ready),
                        ("running", "running", running),
                        ("blocked", "blocked", blocked),
                    ]) }
                }
            </div>

            <div class="stage-part queue">
                <h3>{ format!("Pool queue ({}, of which {} new requests)", s.pool_queue_total, s.incoming_total) }</h3>
                if s.pool_queue_total == 0 {
                    <p class="empty">{ "Empty: every work item has a thread." }</p>
                } else if s.pool_queue_total as usize > AGGREGATE_ABOVE {
                    { aggregate_strip("Queued work items", &[
                        ("request", "new requests", s.incoming_total),
                        ("continuation", "continuations and other work", s.pool_queue_total - s.incoming_total),
                    ]) }
                } else {
                    <ol class="chips" aria-label="Work items, oldest first">
                        { for s.pool_queue.iter().take(CHIPS_MAX).map(|w| work_chip(w, props.followed, &props.on_follow)) }
                    </ol>
                    if s.pool_queue_total as usize > CHIPS_MAX {
                        <p class="more">{ format!("and {} more", s.pool_queue_total as usize - CHIPS_MAX) }</p>
                    }
                }
            </div>

            <div class="stage-part io">
                <h3>{ format!("OS and I/O ({} in flight)", s.io_total) }</h3>
                { for s.resources.iter().map(|r| html! {
                    <p class="resource">
                        { format!("{}: {} of {} connections in use, {} waiting", r.name, r.in_use, r.capacity, r.waiting) }
                    </p>
                }) }
                if s.io_total == 0 {
                    <p class="empty">{ "No I/O in flight." }</p>
                } else if s.io_total as usize > AGGREGATE_ABOVE {
                    { aggregate_strip("I/O calls in flight", &[
                        ("receipt", "only a Task waits: no thread", s.io_total - s.io_holding_thread),
                        ("sync", "a blocked thread waits", s.io_holding_thread),
                    ]) }
                    if s.io_waiting_for_resource > 0 {
                        <p class="more">{ format!("{} of them wait for a connection.", s.io_waiting_for_resource) }</p>
                    }
                } else {
                    <ul class="io-list" aria-label="I/O operations in flight">
                        { for s.io.iter().take(CHIPS_MAX).map(|io| receipt(io, s.time_us, props.followed, &props.on_follow)) }
                    </ul>
                    if s.io_total as usize > CHIPS_MAX {
                        <p class="more">{ format!("and {} more", s.io_total as usize - CHIPS_MAX) }</p>
                    }
                }
            </div>
            }
        </section>
    }
}
