//! The root component: owns the one reducer and lays out the page's regions.

use yew::prelude::*;

use crate::components::{
    chapter_nav, code_panel, glossary_panel, live_figures, AbPanel, ChartsPanel, Controls,
    EventLog, Header, Intro, LessonPanel, RequestTimeline, ScenarioEditor, ShortcutsHelp,
    StageRegion,
};
use crate::content::CHAPTERS;
use crate::hooks::{use_animation_frames, use_key_shortcuts, use_root_attribute};
use crate::presets::PRESETS;
use crate::state::{Action, State, SPEEDS};

/// The keyboard shortcuts, as (key, what it does); the help text lists the same table.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("?", "show or hide this list"),
    ("Escape", "close this list"),
    ("Space or k", "play or pause"),
    ("→ or l", "step one event"),
    ("← or j", "step back one event"),
    ("+ / −", "faster / slower"),
    ("r", "reset the run"),
];

/// Maps a key to an action, given the current speed and whether the shortcut list is open.
/// `None` leaves the key to the browser.
pub fn shortcut(key: &str, speed_idx: usize, help_open: bool) -> Option<Action> {
    match key {
        "?" => Some(Action::SetHelp(!help_open)),
        "Escape" if help_open => Some(Action::SetHelp(false)),
        " " | "k" => Some(Action::TogglePlay),
        "ArrowRight" | "l" => Some(Action::StepForward),
        "ArrowLeft" | "j" => Some(Action::StepBack),
        "+" | "=" => Some(Action::SetSpeed((speed_idx + 1).min(SPEEDS.len() - 1))),
        "-" | "_" => Some(Action::SetSpeed(speed_idx.saturating_sub(1))),
        "r" => Some(Action::Reset),
        _ => None,
    }
}

/// The state the page opens in: chapter 1, or the chapter the link names, with the
/// progress the reader made on earlier visits. A bad link leaves a notice saying why.
fn initial_state() -> State {
    #[allow(unused_mut)]
    let mut state = State::default();
    #[cfg(target_arch = "wasm32")]
    {
        use crate::persist;
        let mut last = 0;
        if let Some((visited, answered, at)) = persist::load_progress() {
            state = state.reduce(Action::RestoreProgress(visited, answered));
            last = at;
        }
        match persist::chapter_in_address().map(|v| persist::chapter_param(&v)) {
            Some(Ok(idx)) => state = state.reduce(Action::SelectChapter(idx)),
            Some(Err(message)) => state = state.reduce(Action::Notice(Some(message.into()))),
            None => state = state.reduce(Action::SelectChapter(last)),
        }
    }
    state
}

/// Moves focus to the new chapter's title, as a page change would, so keyboard and screen
/// reader users start reading the chapter they asked for.
fn focus_chapter_title() {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(title) = document
        .get_element_by_id("lesson-title")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = title.focus();
    }
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);

    // The chapter goes into the address (so the address is always a deep link to it) and
    // the progress into storage, whenever either changes. A chapter the reader moves to
    // (not the first one shown, and not an answer in the same chapter) also takes the
    // keyboard focus to its title, so screen readers announce it.
    {
        let shown = use_mut_ref(|| None::<usize>);
        let key = (state.chapter_idx, state.visited, state.answered);
        use_effect_with(key, move |&(chapter_idx, visited, answered)| {
            #[cfg(target_arch = "wasm32")]
            {
                crate::persist::show_chapter_in_address(CHAPTERS[chapter_idx].slug);
                crate::persist::save_progress(visited, answered, chapter_idx);
            }
            #[cfg(not(target_arch = "wasm32"))]
            let _ = (chapter_idx, visited, answered);
            let before = shown.borrow_mut().replace(chapter_idx);
            if before.is_some_and(|b| b != chapter_idx) {
                focus_chapter_title();
            }
        });
    }

    // Theme and motion live on <html> so that CSS cascades them to everything, including
    // the fatal-error box that sits outside the Yew tree.
    use_root_attribute("data-theme", state.theme.attribute());
    use_root_attribute("data-motion", state.motion.attribute());

    // Once mounted, retire the loading message and tell boot.js (and tests) that the app
    // runs, so later errors are no longer mistaken for a failed start.
    use_effect_with((), |_| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Some(boot) = document.get_element_by_id("boot") {
                boot.remove();
            }
            if let Some(html) = document.document_element() {
                let _ = html.set_attribute("data-app-state", "ready");
            }
        }
    });

    let on_action = {
        let state = state.clone();
        Callback::from(move |action: Action| state.dispatch(action))
    };
    use_animation_frames(state.playing, {
        let on_action = on_action.clone();
        Callback::from(move |elapsed_ms: u32| on_action.emit(Action::Tick { elapsed_ms }))
    });
    {
        // The reducer handle always dispatches against the latest state, but the speed
        // the shortcut reads must be current too, so the callback is rebuilt with it.
        let state = state.clone();
        let speed_idx = state.speed_idx;
        let help_open = state.help_open;
        use_key_shortcuts(Callback::from(move |key: String| {
            match shortcut(&key, speed_idx, help_open) {
                Some(action) => {
                    state.dispatch(action);
                    true
                }
                None => false,
            }
        }));
    }

    let dispatch = |action: Action| {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(action.clone()))
    };
    let on_select = {
        let state = state.clone();
        Callback::from(move |idx: usize| state.dispatch(Action::SelectChapter(idx)))
    };
    // Stable callbacks (built once, from the reducer's dispatcher) keep the editor's and
    // the stage's props unchanged between frames, so Yew can skip re-rendering them.
    let dispatcher = state.dispatcher();
    let on_apply = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |scenario, _| {
            dispatcher.dispatch(Action::ApplyScenario(scenario))
        })
    };
    let on_follow = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |request, _| {
            dispatcher.dispatch(Action::Follow(request))
        })
    };
    let style = state.scenario.endpoint.style;
    let follow_panel = match state.followed {
        Some(request) => html! {
            <RequestTimeline
                request={request}
                events={state.followed_events.clone()}
                style={style}
                on_stop={dispatch(Action::Follow(None))}
            />
        },
        None => html! {},
    };
    let a_name = match (&state.custom, state.lesson) {
        (Some(_), _) => AttrValue::Static("your scenario"),
        (None, Some((chapter, setup))) => {
            AttrValue::Static(CHAPTERS[chapter].setups[setup].a_title)
        }
        (None, None) => AttrValue::Static(PRESETS[state.preset_idx].name),
    };
    let a_title = AttrValue::from(format!("A: {a_name}"));
    let chapter = CHAPTERS[state.chapter_idx];
    let notice = state.notice.as_ref().map(|message| {
        html! {
            <div class="notice" role="alert">
                <p>{ message.to_string() }</p>
                <button type="button" onclick={dispatch(Action::Notice(None))}>{ "Dismiss" }</button>
            </div>
        }
    });
    let controls = html! {
        <Controls
            playing={state.playing}
            finished={state.simulation.is_finished() || state.snapshot.time_us >= state.simulation.end_us()}
            at_start={state.snapshot.counters.events == 0}
            lagging={state.lagging}
            speed_idx={state.speed_idx}
            time_us={state.snapshot.time_us}
            end_us={state.simulation.end_us()}
            seed={state.seed}
            preset_idx={state.preset_idx}
            run_label={match (&state.custom, state.lesson) {
                (Some(_), _) => Some(AttrValue::Static("Your scenario")),
                (None, Some((chapter, _))) => Some(AttrValue::from(format!("Chapter {}'s run", chapter + 1))),
                (None, None) => None,
            }}
            compare_idx={state.b.as_ref().and_then(|b| b.preset_idx)}
            on_action={on_action.clone()}
        />
    };

    html! {
        <>
            <a class="skip-link" href="#stage">{ "Skip to the simulation" }</a>
            <Header
                theme={state.theme}
                on_cycle_theme={dispatch(Action::CycleTheme)}
                motion={state.motion}
                on_cycle_motion={dispatch(Action::CycleMotion)}
                on_help={dispatch(Action::SetHelp(!state.help_open))}
            />
            if state.help_open {
                <ShortcutsHelp shortcuts={SHORTCUTS} on_close={dispatch(Action::SetHelp(false))} />
            }
            { notice.unwrap_or_default() }
            <main id="main" class="layout" data-watch={state.watch.map(|t| t.attribute())}>
                <Intro />
                { chapter_nav(state.chapter_idx, state.visited, state.answered, &on_select) }
                <div class="lesson-column">
                    <LessonPanel
                        idx={state.chapter_idx}
                        lesson={state.lesson}
                        watch={state.watch}
                        guess={state.guess}
                        revealed={state.revealed}
                        picked={state.picked}
                        picked_io={state.picked_io}
                        on_action={on_action.clone()}
                    />
                    { live_figures(
                        chapter.figures,
                        &state.snapshot,
                        &state.samples,
                        state.b.as_ref().map(|b| &*b.snapshot),
                    ) }
                </div>
                <div class="stage-column">
                <div class={classes!("stages", state.b.is_some().then_some("ab"))}>
                    <StageRegion
                        snapshot={state.snapshot.clone()}
                        controls={controls}
                        followed={state.followed}
                        on_follow={on_follow.clone()}
                        follow_panel={follow_panel}
                        title={if state.b.is_some() { a_title.clone() } else { AttrValue::Static("The simulation") }}
                    />
                    if let Some(b) = &state.b {
                        <StageRegion
                            id="stage-b"
                            title={AttrValue::from(format!("B: {}", b.name))}
                            snapshot={b.snapshot.clone()}
                            controls={html! {
                                <AbPanel
                                    a_name={a_name.clone()}
                                    b_name={AttrValue::Static(b.name)}
                                    a={state.snapshot.clone()}
                                    a_samples={state.samples.clone()}
                                    b={b.snapshot.clone()}
                                    b_samples={b.samples.clone()}
                                />
                            }}
                            followed={state.followed}
                            on_follow={on_follow.clone()}
                        />
                    }
                </div>
                { code_panel(
                        &state.scenario,
                        state.followed,
                        &state.followed_events.0,
                        chapter.slug == "await-is-syntax",
                        &on_action,
                    ) }
                </div>
                <EventLog events={state.log.clone()} style={style} playing={state.playing} />
                <ChartsPanel
                    samples={state.samples.clone()}
                    time_us={state.snapshot.time_us}
                    end_us={state.simulation.end_us()}
                    scenario={state.scenario.clone()}
                />
                <ScenarioEditor
                    scenario={state.scenario.clone()}
                    on_apply={on_apply}
                />
                { glossary_panel() }
            </main>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_map_to_actions_and_clamp_speed() {
        assert_eq!(shortcut(" ", 0, false), Some(Action::TogglePlay));
        assert_eq!(shortcut("ArrowLeft", 0, false), Some(Action::StepBack));
        assert_eq!(
            shortcut("+", SPEEDS.len() - 1, false),
            Some(Action::SetSpeed(SPEEDS.len() - 1))
        );
        assert_eq!(shortcut("-", 0, false), Some(Action::SetSpeed(0)));
        assert_eq!(shortcut("Tab", 3, false), None);
        assert_eq!(shortcut("?", 0, false), Some(Action::SetHelp(true)));
        assert_eq!(shortcut("?", 0, true), Some(Action::SetHelp(false)));
        assert_eq!(shortcut("Escape", 0, true), Some(Action::SetHelp(false)));
        assert_eq!(shortcut("Escape", 0, false), None);
    }
}
