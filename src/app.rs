//! The root component: owns the one reducer and lays out the page's regions.

use yew::prelude::*;

use crate::curriculum::content::CHAPTERS;
use crate::curriculum::presets::PRESETS;
use crate::links::element::ElementHost;
use crate::links::share::{encode, EmbedControls};
use crate::state::{Action, Tab};
use crate::view::components::{
    ab_panel, chapter_nav, code_panel, glossary_panel, header, lesson_head, live_figures,
    request_timeline, shortcuts_help, AbPanelProps, ChartsPanel, Controls, EventLog, HeaderProps,
    LessonPanel, RequestTimelineProps, ScenarioEditor, SharePanel, StageRegion, SweepChart,
    Workbench,
};
use crate::view::hooks::{
    use_animation_frames, use_fragment_tab, use_in_view, use_key_shortcuts, use_root_attribute,
};

mod embed_view;
mod opening;
mod shortcuts;

#[cfg(not(target_arch = "wasm32"))]
pub use opening::prerender_chapter;
pub use shortcuts::{shortcut, SHORTCUTS};

/// Where the app lives: the page (its own, or an iframe's), or an `<await-lab>` element.
#[derive(Properties, Clone, Debug, Default, PartialEq)]
pub struct AppProps {
    /// Set when the app is mounted in an `<await-lab>` element (`element::AwaitLabElement`).
    #[prop_or_default]
    pub element: Option<std::rc::Rc<ElementHost>>,
}

/// Whether the reader's system asks for reduced motion (then an embed does not autoplay).
fn prefers_reduced_motion() -> bool {
    crate::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// Moves focus to the new chapter's title, as a page change would, so keyboard and screen
/// reader users start reading the chapter they asked for.
fn focus_chapter_title() {
    use wasm_bindgen::JsCast;
    let Some(document) = crate::window().and_then(|w| w.document()) else {
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
pub fn App(props: &AppProps) -> Html {
    let element = props.element.clone();
    let state = {
        let element = element.clone();
        use_reducer(move || opening::initial_state(element.as_deref()))
    };
    // An element is always an embedded view, with its attributes' options.
    let embed = *use_memo(
        element.as_ref().map(|e| e.spec.clone()),
        |spec| match spec {
            Some(spec) => Some(spec.embed),
            None => opening::embed_in_address(),
        },
    );
    let element_root = element.as_ref().map(|e| e.root.clone());
    // An element's attributes changed after it was mounted: it opens what they now link to
    // (a change of panels, theme or title alone leaves the run where it is), and shows
    // their problems, or none.
    {
        let state = state.clone();
        let opened = use_mut_ref(|| None::<std::rc::Rc<crate::links::element::ElementSpec>>);
        let in_view = element.as_ref().is_none_or(|e| e.in_view);
        use_effect_with(element.as_ref().map(|e| e.spec.clone()), move |spec| {
            if let Some(spec) = spec {
                let before = opened.borrow_mut().replace(spec.clone());
                if let Some(before) = before.filter(|b| b != spec) {
                    if before.link != spec.link {
                        state.dispatch(Action::OpenLink(std::rc::Rc::new(spec.link.clone())));
                        // A new run plays as the first did, and waits if out of view.
                        if spec.embed.autoplay && !prefers_reduced_motion() {
                            state.dispatch(Action::TogglePlay);
                            if !in_view {
                                state.dispatch(Action::SetInView(false));
                            }
                        }
                    }
                    let notice =
                        (!spec.problems.is_empty()).then(|| spec.problems.join("\n").into());
                    state.dispatch(Action::Notice(notice));
                }
            }
        });
    }

    // The link to this exact view, made while the run is paused (a link to a moment that
    // is already gone would mislead, and the address should not churn every frame).
    let link = {
        let last = use_mut_ref(String::new);
        if !state.run.playing {
            *last.borrow_mut() = encode(&state.link());
        }
        let link = last.borrow().clone();
        link
    };

    // The link goes into the address (so the address is always a link to what is shown)
    // and the progress and the reader's scenario into storage, whenever they change; an
    // embedded view leaves both alone, as it lives in someone else's page. A chapter the
    // reader moves to (not the first one shown, and not an answer in the same chapter)
    // also takes the keyboard focus to its title, so screen readers announce it.
    {
        let in_element = element.is_some();
        let shown = use_mut_ref(|| None::<usize>);
        let key = (
            state.course.chapter_idx,
            state.course.progress,
            link.clone(),
        );
        use_effect_with(key, move |(chapter_idx, progress, link)| {
            #[cfg(target_arch = "wasm32")]
            match (embed, in_element) {
                (None, _) => {
                    crate::links::persist::show_link_in_address(
                        link,
                        &crate::links::share::LINK_KEYS,
                    );
                    crate::links::persist::save_progress(progress, *chapter_idx);
                }
                // An iframe's address is its own: the moment shown goes into it, with its
                // embed options, so that reloading the frame keeps the moment.
                (Some(embed), false) => {
                    let keys: Vec<&str> = crate::links::share::LINK_KEYS
                        .iter()
                        .chain(&crate::links::share::EMBED_KEYS)
                        .copied()
                        .collect();
                    crate::links::persist::show_link_in_address(
                        &format!("{link}&{}", embed.encode()),
                        &keys,
                    );
                }
                (Some(_), true) => {}
            }
            #[cfg(not(target_arch = "wasm32"))]
            let _ = (progress, link, in_element);
            let before = shown.borrow_mut().replace(*chapter_idx);
            if before.is_some_and(|b| b != *chapter_idx) && embed.is_none() {
                focus_chapter_title();
            }
        });
        use_effect_with(state.course.own.clone(), move |own| {
            #[cfg(target_arch = "wasm32")]
            if let (Some(own), None) = (own, embed) {
                crate::links::persist::save_own(own);
            }
            #[cfg(not(target_arch = "wasm32"))]
            let _ = own;
        });
    }

    // Theme and motion live on <html> so that CSS cascades them to everything, including
    // the fatal-error box that sits outside the Yew tree; an element keeps them on its own
    // root. An embed has no theme switch: its link or attributes choose.
    let theme = embed.map_or(state.page.theme, |e| e.theme);
    use_root_attribute("data-theme", theme.attribute(), element_root.clone());
    use_root_attribute(
        "data-motion",
        state.page.motion.attribute(),
        element_root.clone(),
    );

    // Once mounted, retire the loading message and tell boot.js (and tests) that the app
    // runs, so later errors are no longer mistaken for a failed start. An embed asked to
    // autoplay starts now, unless the reader's system asks for reduced motion.
    {
        let state = state.clone();
        let host = element.as_ref().map(|e| e.host.clone());
        use_effect_with((), move |_| {
            if let Some(host) = host {
                let _ = host.set_attribute("data-app-state", "ready");
            } else if let Some(document) = crate::window().and_then(|w| w.document()) {
                if let Some(boot) = document.get_element_by_id("boot") {
                    boot.remove();
                }
                if let Some(html) = document.document_element() {
                    let _ = html.set_attribute("data-app-state", "ready");
                    if embed.is_some() {
                        let _ = html.set_attribute("data-embed", "");
                    }
                }
            }
            if embed.is_some_and(|e| e.autoplay) && !prefers_reduced_motion() {
                state.dispatch(Action::TogglePlay);
            }
        });
    }
    // An iframe's view, likewise, once the page around it scrolls it away.
    use_in_view(
        embed.is_some() && element.is_none(),
        state.dispatcher().to_callback().reform(Action::SetInView),
    );
    // An element out of view pauses its run, and plays it on when it is back; one that
    // mounts out of view with autoplay waits for the view (this runs after the autoplay).
    {
        let state = state.clone();
        let in_view = element.as_ref().is_none_or(|e| e.in_view);
        use_effect_with(in_view, move |&in_view| {
            if !in_view || state.run.held {
                state.dispatch(Action::SetInView(in_view));
            }
        });
    }

    let on_action = {
        let state = state.clone();
        Callback::from(move |action: Action| state.dispatch(action))
    };
    use_animation_frames(state.run.playing, {
        let on_action = on_action.clone();
        Callback::from(move |elapsed_ms: u32| on_action.emit(Action::Tick { elapsed_ms }))
    });
    {
        // The reducer handle always dispatches against the latest state, but the speed
        // the shortcut reads must be current too, so the callback is rebuilt with it.
        let state = state.clone();
        let speed_idx = state.page.speed_idx;
        let help_open = state.page.help_open;
        use_key_shortcuts(
            Callback::from(
                move |key: String| match shortcut(&key, speed_idx, help_open) {
                    Some(action) => {
                        state.dispatch(action);
                        true
                    }
                    None => false,
                },
            ),
            element_root.clone(),
        );
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
    let on_tab = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |tab, _| dispatcher.dispatch(Action::OpenTab(tab)))
    };
    use_fragment_tab(on_tab.clone(), element.is_none());
    let on_follow = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |request, _| {
            dispatcher.dispatch(Action::Follow(request))
        })
    };
    let style = state.run.scenario.endpoint.style;
    let follow_panel = match state.run.followed {
        Some(request) => html! {
            { request_timeline(&RequestTimelineProps {
                request,
                events: state.run.followed_events.clone(),
                style,
                on_stop: dispatch(Action::Follow(None)),
            }) }
        },
        None => html! {},
    };
    let a_name = match (&state.run.custom, state.run.lesson) {
        (Some(_), _) => AttrValue::Static("your scenario"),
        (None, Some((chapter, setup))) => {
            AttrValue::Static(CHAPTERS[chapter].setups[setup].a_title)
        }
        (None, None) => AttrValue::Static(PRESETS[state.run.preset_idx].name),
    };
    let a_title = AttrValue::from(format!("A: {a_name}"));
    let chapter = CHAPTERS[state.course.chapter_idx];
    // A bad link's message, one problem per line, and (as nothing the reader made is
    // lost to a link) the way back to their own scenario when they have one.
    let notice = state.page.notice.as_ref().map(|message| {
        html! {
            <div class="notice" role="alert">
                { for message.lines().map(|line| html! { <p>{ line.to_owned() }</p> }) }
                if state.course.own.is_some() && embed.is_none() && state.course.chapter_idx + 1 != CHAPTERS.len() {
                    <p>{ format!("Your own scenario is kept: the sandbox (chapter {}) runs it.", CHAPTERS.len()) }</p>
                    <button type="button" onclick={dispatch(Action::SelectChapter(CHAPTERS.len() - 1))}>
                        { "Open your scenario" }
                    </button>
                }
                <button type="button" onclick={dispatch(Action::Notice(None))}>{ "Dismiss" }</button>
            </div>
        }
    });
    // Moving content must be possible to pause (WCAG 2.2.2): an embed that plays on load
    // keeps its minimal controls even when the link asks for none.
    let minimal = embed.is_some_and(|e| {
        e.controls == EmbedControls::Min || (e.controls == EmbedControls::None && e.autoplay)
    });
    let controls = if embed.is_some_and(|e| e.controls == EmbedControls::None && !e.autoplay) {
        html! {}
    } else {
        html! {
            <Controls
                playing={state.run.playing}
                finished={state.run.simulation.is_finished() || state.run.snapshot.time_us >= state.run.simulation.end_us()}
                at_start={state.run.snapshot.counters.events == 0}
                lagging={state.run.lagging}
                speed_idx={state.page.speed_idx}
                time_us={state.run.snapshot.time_us}
                end_us={state.run.simulation.end_us()}
                seed={state.run.seed}
                preset_idx={state.run.preset_idx}
                run_label={match (&state.run.custom, state.run.lesson) {
                    (Some(_), _) => Some(AttrValue::Static("Your scenario")),
                    (None, Some((chapter, _))) => Some(AttrValue::from(format!("Chapter {}'s run", chapter + 1))),
                    (None, None) => None,
                }}
                compare_idx={state.run.b.as_ref().and_then(|b| b.preset_idx)}
                compare_label={state.run.b.as_ref().filter(|b| b.preset_idx.is_none())
                    .map(|b| AttrValue::from(format!("B: {}", b.name)))}
                minimal={minimal}
                on_action={on_action.clone()}
            />
        }
    };
    // Read once: asking the browser on every frame would cost a query per frame.
    let system_reduced = use_memo((), |_| prefers_reduced_motion());
    let users = |scenario: &sim::Scenario| {
        (scenario.load.kind == sim::LoadKind::Closed).then_some(scenario.load.users)
    };
    let code_line = |scenario: &sim::Scenario| {
        crate::curriculum::listings::key_line(crate::curriculum::listings::listing_for_scenario(
            scenario,
        ))
        .map(AttrValue::from)
    };
    // The runtime whose pool a run models, as the page shows it beside the totals.
    let runtime = |scenario: &sim::Scenario| {
        let words = crate::state::scenario_draft::option_words(scenario.pool.runtime.name());
        Some(AttrValue::Static(words))
    };
    let motion = match state.page.motion {
        crate::state::Motion::Full => true,
        crate::state::Motion::Reduced => false,
        crate::state::Motion::System => !*system_reduced,
    };
    let on_text = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |text, _| {
            dispatcher.dispatch(Action::SetStageText(text))
        })
    };
    let two = state.run.b.is_some();
    let stages = html! {
        <div class={classes!("stages", two.then_some("ab"))}>
            <StageRegion
                users={users(&state.run.scenario)}
                code_line={code_line(&state.run.scenario)}
                runtime={runtime(&state.run.scenario)}
                motion={motion}
                playing={state.run.playing}
                text={state.page.stage_text}
                on_text={on_text.clone()}
                snapshot={state.run.snapshot.clone()}
                legend={!two}
                followed={state.run.followed}
                on_follow={on_follow.clone()}
                title={if two { a_title.clone() } else { AttrValue::Static("The simulation") }}
            />
            if let Some(b) = &state.run.b {
                { ab_panel(&AbPanelProps {
                    a_name: a_name.clone(),
                    b_name: AttrValue::Static(b.name),
                    a: state.run.snapshot.clone(),
                    a_samples: state.run.samples.clone(),
                    b: b.snapshot.clone(),
                    b_samples: b.samples.clone(),
                }) }
                <StageRegion
                    id="stage-b"
                    users={users(&b.scenario)}
                    code_line={code_line(&b.scenario)}
                    runtime={runtime(&b.scenario)}
                    motion={motion}
                    playing={state.run.playing}
                    text={state.page.stage_text}
                    on_text={on_text.clone()}
                    title={AttrValue::from(format!("B: {}", b.name))}
                    text_toggle={false}
                    snapshot={b.snapshot.clone()}
                    followed={state.run.followed}
                    on_follow={on_follow.clone()}
                />
            }
        </div>
    };
    // The toolbar drives both servers, so it sits above them rather than in one.
    let stage_column = html! {
        <div class="stage-column">
            { controls }
            { stages }
            { follow_panel }
        </div>
    };
    let figures = || {
        live_figures(
            chapter.figures,
            &state.run.snapshot,
            &state.run.samples,
            state.run.b.as_ref().map(|b| &*b.snapshot),
        )
    };
    let code = || {
        code_panel(
            &state.run.scenario,
            state.run.followed,
            state.run.followed_phase,
            chapter.slug == "await-is-syntax",
            &on_action,
        )
    };
    let log = || html! { <EventLog events={state.run.log.clone()} style={style} playing={state.run.playing} /> };
    let charts = || {
        html! {
            <ChartsPanel
                samples={state.run.samples.clone()}
                time_us={state.run.snapshot.time_us}
                end_us={state.run.simulation.end_us()}
                scenario={state.run.scenario.clone()}
            />
        }
    };

    if let Some(embed) = embed {
        // The embedded view: no page chrome, the panels the link asks for, and a way to
        // the full page at the same moment (opened in a new tab, as the host page stays).
        // An element's way back is to where the Await Lab files are, not to the host page.
        let base = element.as_ref().map_or("", |e| &*e.base);
        let full = format!("{base}?{link}");
        let title = element
            .as_ref()
            .and_then(|e| e.spec.title.clone())
            .unwrap_or_else(|| format!("Await Lab: {}", chapter.title));
        let panels = html! {
            <>
                if embed.shows("stage") { { stage_column } }
                if embed.shows("figures") { { figures() } }
                if embed.shows("code") { { code() } }
                if embed.shows("log") { { log() } }
                if embed.shows("charts") { { charts() } }
            </>
        };
        return embed_view::embed_view(title, full, notice, panels, element.is_some());
    }

    html! {
        <>
            <a class="skip-link" href="#stage">{ "Skip to the simulation" }</a>
            { header(&HeaderProps {
                theme: state.page.theme,
                on_cycle_theme: dispatch(Action::CycleTheme),
                motion: state.page.motion,
                on_cycle_motion: dispatch(Action::CycleMotion),
                on_help: dispatch(Action::SetHelp(!state.page.help_open)),
            }) }
            if state.page.help_open {
                { shortcuts_help(SHORTCUTS, dispatch(Action::SetHelp(false))) }
            }
            { notice.unwrap_or_default() }
            <main id="main" class="layout" data-watch={state.course.watch.map(|t| t.name())}>
                // The reading part is a grid of its own: a sticky element sticks within its
                // grid container, so the workbench below must be outside it, or the stage
                // and the chapter list would stay stuck over the workbench.
                <div class="reading">
                { chapter_nav(state.course.chapter_idx, &state.course.progress, &on_select) }
                { lesson_head(state.course.chapter_idx) }
                { stage_column }
                <div class="lesson-column">
                    <LessonPanel
                        idx={state.course.chapter_idx}
                        lesson={state.run.lesson}
                        watch={state.course.watch}
                        guess={state.course.guess}
                        revealed={state.course.revealed}
                        picked={state.course.picked}
                        picked_io={state.course.picked_io}
                        knob={state.knob_shown()}
                        challenges={state.challenge_view()}
                        on_action={on_action.clone()}
                    />
                    { figures() }
                    { code() }
                </div>
                </div>
                <Workbench tab={state.page.tab} on_tab={on_tab} panels={[
                    if state.page.tab == Tab::Charts { charts() } else { html! {} },
                    html! { <SweepChart scenario={state.run.scenario.clone()} /> },
                    html! { <ScenarioEditor scenario={state.run.scenario.clone()} on_apply={on_apply} /> },
                    if state.page.tab == Tab::Log { log() } else { html! {} },
                    html! {
                        <SharePanel
                            link={AttrValue::from(link)}
                            title={AttrValue::Static(chapter.title)}
                            scenario={state.run.scenario.clone()}
                            simulation={state.run.simulation.clone()}
                            playing={state.run.playing}
                            on_action={on_action.clone()}
                        />
                    },
                    if state.page.tab == Tab::Glossary { glossary_panel() } else { html! {} },
                ]} />
            </main>
        </>
    }
}
