//! The root component: owns the one reducer and lays out the page's regions.

use yew::prelude::*;

use crate::components::{ChapterNav, Header, Intro, LessonPanel, StageRegion};
use crate::content::CHAPTERS;
use crate::state::{Action, State};

#[component]
pub fn App() -> Html {
    let state = use_reducer(State::default);

    // The theme lives on <html> so that CSS variables cascade to everything, including
    // the fatal-error box that sits outside the Yew tree.
    {
        let theme = state.theme;
        use_effect_with(theme, move |theme| {
            if let Some(html) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                let _ = html.set_attribute("data-theme", theme.attribute());
            }
        });
    }

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

    let dispatch = |action: Action| {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(action))
    };
    let on_select = {
        let state = state.clone();
        Callback::from(move |idx: usize| state.dispatch(Action::SelectChapter(idx)))
    };
    let chapter = CHAPTERS[state.chapter_idx];

    html! {
        <>
            <a class="skip-link" href="#stage">{ "Skip to the simulation" }</a>
            <Header theme={state.theme} on_cycle_theme={dispatch(Action::CycleTheme)} />
            <main id="main" class="layout">
                <Intro />
                <ChapterNav
                    chapters={CHAPTERS}
                    current_idx={state.chapter_idx}
                    on_select={on_select}
                />
                <LessonPanel
                    chapter={chapter}
                    idx={state.chapter_idx}
                    total={CHAPTERS.len()}
                    on_previous={dispatch(Action::PreviousChapter)}
                    on_next={dispatch(Action::NextChapter)}
                />
                <StageRegion />
            </main>
        </>
    }
}
