use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::curriculum::presets::PRESETS;
use crate::state::{Action, SPEEDS};
use crate::view::format;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub playing: bool,
    pub finished: bool,
    pub at_start: bool,
    pub lagging: bool,
    pub speed_idx: usize,
    pub time_us: u64,
    pub end_us: u64,
    pub seed: u64,
    pub preset_idx: usize,
    /// What runs when it is not a preset (a chapter's run, the reader's scenario); the
    /// scenario list shows it as its first, selected entry.
    #[prop_or_default]
    pub run_label: Option<AttrValue>,
    /// The preset whose style the A/B comparison uses, if it is on.
    pub compare_idx: Option<usize>,
    /// What side B runs when it is not a preset (a chapter's own second server); the
    /// compare list shows it as its first, selected entry, instead of claiming "Off".
    #[prop_or_default]
    pub compare_label: Option<AttrValue>,
    /// An embedded view's minimal set: play, step, reset and the clock, nothing that
    /// changes the run.
    #[prop_or_default]
    pub minimal: bool,
    pub on_action: Callback<Action>,
}

/// The stage's toolbar: play/pause, step back, step, reset, speed and time in one row, and
/// a small menu with the scenario, the comparison and the seed.
/// Every control is a native element with a visible or accessible name, so it works from
/// the keyboard and with screen readers without extra scripting.
#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    let act = |action: Action| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
    };
    let on_preset = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(idx) = select.value().parse::<usize>() {
                on_action.emit(Action::SelectPreset(idx));
            }
        })
    };
    let on_compare = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            on_action.emit(Action::Compare(select.value().parse::<usize>().ok()));
        })
    };
    let on_speed = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(idx) = input.value().parse::<usize>() {
                on_action.emit(Action::SetSpeed(idx));
            }
        })
    };
    let on_scrub = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(ms) = input.value().parse::<u64>() {
                on_action.emit(Action::Seek(ms.saturating_mul(1_000)));
            }
        })
    };
    // The message in a cell, redrawn on change (as the charts keep their cursors).
    let seed_error = use_mut_ref(|| None::<String>);
    let redraw = use_force_update();
    let on_seed = {
        let on_action = props.on_action.clone();
        let seed_error = seed_error.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let seed = input.value().trim().parse::<u64>();
            *seed_error.borrow_mut() = seed.is_err().then(|| {
                format!(
                    "seed = \"{}\": must be a whole number from 0 to {}",
                    input.value(),
                    u64::MAX
                )
            });
            redraw.force_update();
            if let Ok(seed) = seed {
                on_action.emit(Action::SetSeed(seed));
            }
        })
    };
    let seed_error = seed_error.borrow().clone();
    // The Run menu closes as a menu does: when the focus leaves it (a click elsewhere, Tab
    // past its last field) and on Escape, which gives the focus back to its button. Yew
    // delegates events to the app's root, so the handlers find the menu through a
    // reference rather than the event's current target.
    let menu_ref = use_node_ref();
    let close_menu_on_leave = {
        let menu_ref = menu_ref.clone();
        Callback::from(move |e: FocusEvent| {
            let Some(menu) = menu_ref.cast::<web_sys::Element>() else {
                return;
            };
            let to = e
                .related_target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            if !to.is_some_and(|node| menu.contains(Some(&node))) {
                let _ = menu.remove_attribute("open");
            }
        })
    };
    let close_menu_on_escape = {
        let menu_ref = menu_ref.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(menu) = menu_ref.cast::<web_sys::Element>() else {
                return;
            };
            if e.key() == "Escape" && menu.has_attribute("open") {
                e.prevent_default();
                let _ = menu.remove_attribute("open");
                if let Some(summary) = menu
                    .query_selector("summary")
                    .ok()
                    .flatten()
                    .and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = summary.focus();
                }
            }
        })
    };
    let speed_label = SPEEDS[props.speed_idx].1;
    html! {
        <div class="toolbar" role="group" aria-label="Simulation controls">
            <div class="toolbar-row">
                <button type="button" class="play" onclick={act(Action::TogglePlay)}
                        disabled={props.finished} aria-keyshortcuts="Space">
                    <span aria-hidden="true">{ if props.playing { "❚❚ " } else { "▶ " } }</span>
                    { if props.playing { "Pause" } else { "Play" } }
                </button>
                <button type="button" class="step-back" onclick={act(Action::StepBack)} disabled={props.at_start}
                        aria-keyshortcuts="ArrowLeft" aria-label="Step back" title="Step back one event (←)">
                    <span aria-hidden="true">{ "◀ " }</span>{ "Back" }
                </button>
                <button type="button" class="step" onclick={act(Action::StepForward)} disabled={props.finished}
                        aria-keyshortcuts="ArrowRight" title="Step one event (→)">
                    { "Step" }<span aria-hidden="true">{ " ▶" }</span>
                </button>
                <button type="button" class="reset" onclick={act(Action::Reset)} aria-keyshortcuts="r"
                        title="Back to the start of the run (r)">
                    { "Reset" }
                </button>
                if !props.minimal {
                    <span class="toolbar-field speed">
                        <label for="speed">{ "Speed" }</label>
                        <input id="speed" type="range" min="0" max={(SPEEDS.len() - 1).to_string()}
                               step="1" value={props.speed_idx.to_string()}
                               aria-valuetext={format!("{speed_label} real time")}
                               oninput={on_speed} />
                        <output for="speed">{ speed_label }</output>
                    </span>
                }
                <span class="toolbar-field time">
                    <label for="scrub" class="visually-hidden">{ "Time" }</label>
                    <input id="scrub" type="range" min="0" max={(props.end_us / 1_000).to_string()}
                           step="10" value={(props.time_us / 1_000).to_string()}
                           aria-valuetext={format::seconds(props.time_us)}
                           oninput={on_scrub} />
                    <output for="scrub" class="clock">
                        { format!("{} / {}", format::seconds(props.time_us), format::seconds(props.end_us)) }
                    </output>
                </span>
                if !props.minimal {
                    // The run's choices (what runs, what it is compared with, the seed) are
                    // a click away rather than above the picture: they change the run,
                    // which a reader does far less often than play or step.
                    <details class="run-menu" ref={menu_ref} onfocusout={close_menu_on_leave} onkeydown={close_menu_on_escape}>
                        <summary>{ "Run" }<span class="visually-hidden">{ ": scenario, comparison and seed" }</span></summary>
                        <div class="run-menu-body" tabindex="-1">
                            <div class="control-row">
                                <label for="preset">{ "Scenario" }</label>
                                <select id="preset" onchange={on_preset}>
                                    if let Some(label) = &props.run_label {
                                        <option value="" selected=true>{ label.clone() }</option>
                                    }
                                    { for PRESETS.iter().enumerate().map(|(idx, p)| html! {
                                        <option value={idx.to_string()}
                                            selected={props.run_label.is_none() && idx == props.preset_idx}>
                                            { p.name }
                                        </option>
                                    }) }
                                </select>
                            </div>
                            <div class="control-row">
                                <label for="compare">{ "Compare" }</label>
                                <select id="compare" onchange={on_compare}>
                                    if props.compare_idx.is_none() && props.compare_label.is_some() {
                                        <option value="" selected=true>{ props.compare_label.clone() }</option>
                                    }
                                    <option value="" selected={props.compare_idx.is_none() && props.compare_label.is_none()}>{ "Off: one stage" }</option>
                                    { for PRESETS.iter().enumerate().map(|(idx, p)| html! {
                                        <option value={idx.to_string()} selected={props.compare_idx == Some(idx)}>
                                            { format!("B: {}", p.name) }
                                        </option>
                                    }) }
                                </select>
                            </div>
                            <div class="control-row">
                                <label for="seed">{ "Seed" }</label>
                                <input id="seed" type="text" inputmode="numeric" size="10"
                                       value={props.seed.to_string()} onchange={on_seed}
                                       aria-invalid={seed_error.is_some().then_some("true")}
                                       aria-describedby="seed-error" />
                            </div>
                            <span id="seed-error" class="field-error" role="status">
                                { seed_error.clone().unwrap_or_default() }
                            </span>
                        </div>
                    </details>
                }
            </div>
            if props.lagging {
                <p class="lagging" role="status">
                    { "This speed asks for more events per frame than the page can draw; the clock is running behind." }
                </p>
            }
        </div>
    }
}
