use sim::decimal::shortest;
use yew::prelude::*;

use crate::curriculum::content::{Question, Target, CHAPTERS};
use crate::curriculum::glossary::GLOSSARY;
use crate::curriculum::knobs::Knob;
use crate::curriculum::model_notes;
use crate::state::{Action, ChallengeView};
use crate::view::components::{challenge_list, intro, workload_quiz};
use crate::view::format;

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub idx: usize,
    /// The chapter run that is loaded, as (chapter, setup), if any.
    pub lesson: Option<(usize, usize)>,
    pub watch: Option<Target>,
    pub guess: Option<usize>,
    pub revealed: Option<f64>,
    /// Chapter 11's exercise: rows chosen, and rows answered "I/O-bound" (bit sets).
    pub picked: u32,
    pub picked_io: u32,
    /// The run's knob and its value now, when the reader can move one here.
    pub knob: Option<(&'static Knob, u32)>,
    /// The sandbox's challenges: the one loaded, the last verdict, the ones solved.
    #[prop_or_default]
    pub challenges: ChallengeView,
    pub on_action: Callback<Action>,
}

/// Splits chapter prose into text, glossary links (`[[slug]]`, `[[slug|words]]`) and code
/// (`` `code` ``). Text is only ever set as text, never parsed as HTML.
pub fn rich(text: &str) -> Html {
    let mut out: Vec<Html> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let link = rest.find("[[");
        let code = rest.find('`');
        match (link, code) {
            (Some(l), c) if c.is_none_or(|c| l < c) => {
                out.push(html! { { &rest[..l] } });
                let Some(end) = rest[l..].find("]]") else {
                    out.push(html! { { &rest[l..] } });
                    break;
                };
                let inner = &rest[l + 2..l + end];
                let (slug, words) = inner.split_once('|').unwrap_or((inner, ""));
                let term = GLOSSARY.iter().find(|t| t.slug == slug);
                let words = match (words, term) {
                    // ASCII lowering: the Unicode case tables cost about 25 KB of wasm, and
                    // a test keeps every glossary term ASCII.
                    ("", Some(term)) => term.term.to_ascii_lowercase(),
                    ("", None) => slug.to_string(),
                    (w, _) => w.to_string(),
                };
                out.push(match term {
                    Some(term) => html! {
                        <a class="term" href={format!("#term-{}", term.slug)}>{ words }</a>
                    },
                    None => html! { { words } },
                });
                rest = &rest[l + end + 2..];
            }
            (_, Some(c)) => {
                out.push(html! { { &rest[..c] } });
                let Some(end) = rest[c + 1..].find('`') else {
                    out.push(html! { { &rest[c..] } });
                    break;
                };
                out.push(html! { <code>{ &rest[c + 1..c + 1 + end] }</code> });
                rest = &rest[c + 1 + end + 1..];
            }
            _ => {
                out.push(html! { { rest } });
                break;
            }
        }
    }
    out.into_iter().collect()
}

/// A callback for any event that sends `action`.
fn send<E: 'static>(on_action: &Callback<Action>, action: Action) -> Callback<E> {
    let on_action = on_action.clone();
    Callback::from(move |_| on_action.emit(action.clone()))
}

fn question_view(q: &Question, props: &LessonPanelProps) -> Html {
    let emit = |action: Action| send::<MouseEvent>(&props.on_action, action);
    let answer = props.revealed.and_then(|v| q.answer(v));
    let choices = q.choices.iter().enumerate().map(|(i, choice)| {
        let marks = match props.revealed {
            Some(_) => {
                let mut m = String::new();
                if answer == Some(i) {
                    m.push_str(" ✓ the simulation's answer");
                }
                if props.guess == Some(i) {
                    m.push_str(" (your guess)");
                }
                m
            }
            None => String::new(),
        };
        html! {
            <li class={classes!("choice", (answer == Some(i)).then_some("right"))}>
                <label>
                    <input type="radio" name="guess" checked={props.guess == Some(i)}
                        disabled={props.revealed.is_some()}
                        onchange={send::<Event>(&props.on_action, Action::Guess(i))} />
                    { " " }{ choice.label }<strong>{ marks }</strong>
                </label>
            </li>
        }
    });
    let verdict = props.revealed.map(|value| {
        let said = format!(
            "The simulation says: {} ({}) at {} s. ",
            format::measured(value),
            q.measure.label(),
            shortest(q.at_ms as f64 / 1000.0)
        );
        let judged = match (answer, props.guess) {
            (Some(a), Some(g)) if a == g => "Your prediction was right.",
            (Some(_), _) => "Not what you predicted: the run above shows why.",
            (None, _) => "That falls outside every choice; the run above shows the moment.",
        };
        html! {
            <>
                <p><strong>{ said }</strong>{ judged }</p>
                <p>{ rich(q.explain) }</p>
                <button type="button" onclick={emit(Action::AskAgain)}>{ "Predict again" }</button>
            </>
        }
    });
    html! {
        <section class="question" aria-labelledby="question-title">
            <h3 id="question-title">{ "Predict, then see" }</h3>
            <fieldset>
                <legend>{ q.prompt }</legend>
                <ul class="choices">{ for choices }</ul>
            </fieldset>
            if props.revealed.is_none() {
                <button type="button" class="reveal" disabled={props.guess.is_none()}
                    onclick={emit(Action::Reveal)}>
                    { format!("Run to {} s and see", shortest(q.at_ms as f64 / 1000.0)) }
                </button>
                if props.guess.is_none() {
                    <p class="hint">{ "Choose a prediction first." }</p>
                }
            }
            <div class="verdict" role="status">{ verdict.unwrap_or_default() }</div>
        </section>
    }
}

/// The chapter's one knob: a native slider, named, with its value and unit said in
/// `aria-valuetext` and shown beside it. Each move restarts the run with the value.
fn knob_view(knob: &'static Knob, value: u32, on_action: &Callback<Action>) -> Html {
    let oninput = {
        let on_action = on_action.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().parse::<u32>() {
                on_action.emit(Action::SetKnob(v));
            }
        })
    };
    let said = knob.say(value);
    html! {
        <div class="knob">
            <label for="knob">{ knob.label }</label>
            <input id="knob" type="range" min={knob.min.to_string()} max={knob.max.to_string()}
                step={knob.step.to_string()} value={value.to_string()}
                aria-valuetext={said.clone()} aria-describedby="knob-help" {oninput} />
            <output for="knob">{ said }</output>
            <p id="knob-help" class="hint">{ knob.help }</p>
        </div>
    }
}

/// The top of the current chapter: where it sits, its title, its claim and its first
/// paragraph. It is drawn apart from the rest so that the page can put the stage right
/// after it on a phone and beside it on a wide screen.
pub fn lesson_head(idx: usize) -> Html {
    let chapter = &CHAPTERS[idx];
    html! {
        <header class="lesson-head" data-chapter={chapter.slug}>
            <p class="lesson-count">{ format!("Chapter {} of {}", idx + 1, CHAPTERS.len()) }</p>
            <h2 id="lesson-title" tabindex="-1">{ chapter.title }</h2>
            <p class="lesson-claim">{ chapter.claim }</p>
            if let Some(lead) = chapter.prose.first() {
                <p class="lesson-lead">{ rich(lead) }</p>
            }
        </header>
    }
}

/// The rest of the current chapter: the runs it offers, its prose after the first
/// paragraph, where to look, its question, what the run showed (once answered), its
/// sources and its model notes, with previous/next navigation.
#[component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let chapter = &CHAPTERS[props.idx];
    let total = CHAPTERS.len();
    // The button the reader pressed goes away when the answer shows (and comes back when
    // they predict again), so the keyboard focus moves to what replaced it: "Predict
    // again", then the first choice. Only on that change, never when a chapter opens.
    {
        let was = use_mut_ref(|| props.revealed.is_some());
        use_effect_with(props.revealed.is_some(), move |&shown| {
            if *was.borrow() != shown {
                *was.borrow_mut() = shown;
                let target = if shown {
                    ".question .verdict button"
                } else {
                    ".question .choice input"
                };
                if let Some(el) = crate::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.query_selector(target).ok().flatten())
                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
                {
                    let _ = el.focus();
                }
            }
        });
    }
    let emit = |action: Action| send::<MouseEvent>(&props.on_action, action);
    let setups = (chapter.setups.len() > 1).then(|| {
        html! {
            <div class="setups" role="group" aria-label="Runs in this chapter">
                { for chapter.setups.iter().enumerate().map(|(i, setup)| {
                    let loaded = props.lesson == Some((props.idx, i));
                    html! {
                        <button type="button" aria-pressed={loaded.to_string()}
                            onclick={emit(Action::LoadSetup(i))}>{ setup.label }</button>
                    }
                }) }
            </div>
        }
    });
    let reload =
        (!chapter.setups.is_empty() && props.lesson.map(|l| l.0) != Some(props.idx)).then(|| {
            html! {
                <p class="reload">
                    { "The stage is running something else. " }
                    <button type="button" onclick={emit(Action::LoadSetup(0))}>
                        { "Load this chapter's run" }
                    </button>
                </p>
            }
        });
    let cues = (!chapter.watch.is_empty()).then(|| {
        html! {
            <section class="watch" aria-labelledby="watch-title">
                <h3 id="watch-title">{ "Where to look" }</h3>
                <ul>
                    { for chapter.watch.iter().map(|cue| {
                        let on = props.watch == Some(cue.target);
                        let next = (!on).then_some(cue.target);
                        // A cue that points into the workbench also goes there: the tab
                        // opens (the reducer sees to that) and the fragment brings it into
                        // view, as the outline it draws is far below the lesson.
                        let fragment = match next {
                            Some(Target::Charts) => Some("charts"),
                            Some(Target::Sweep) => Some("sweep"),
                            _ => None,
                        };
                        let onclick = {
                            let on_action = props.on_action.clone();
                            Callback::from(move |_: MouseEvent| {
                                on_action.emit(Action::Watch(next));
                                if let Some(fragment) = fragment {
                                    if let Some(window) = crate::window() {
                                        let _ = window.location().set_hash(fragment);
                                    }
                                }
                            })
                        };
                        html! {
                            <li>
                                <button type="button" class="cue" aria-pressed={on.to_string()}
                                    {onclick}>
                                    <span class="cue-mark" aria-hidden="true">{ if on { "◉" } else { "○" } }</span>
                                    { rich(cue.text) }
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            </section>
        }
    });
    let sources = (!chapter.sources.is_empty()).then(|| {
        html! {
            <section class="sources" aria-labelledby="sources-title">
                <h3 id="sources-title">{ "Sources" }</h3>
                <ul>
                    { for chapter.sources.iter().map(|s| html! {
                        <li>{ match s.url {
                            Some(url) => html! { <a href={url} rel="noopener">{ s.label }</a> },
                            None => html! { { s.label } },
                        } }</li>
                    }) }
                </ul>
            </section>
        }
    });
    // What the model simplifies for this chapter's runs, collapsed. Keyed by chapter, so
    // a chapter opens with its notes closed whatever the last one was left as.
    let notes = model_notes::notes(chapter.slug);
    let notes = (!notes.is_empty()).then(|| {
        html! {
            <details class="model-notes" key={chapter.slug}>
                <summary>{ "Model notes" }</summary>
                <p>{ "What this chapter's runs simplify, and which way each simplification moves their numbers:" }</p>
                <ul>{ for notes.iter().map(|n| html! { <li>{ rich(n) }</li> }) }</ul>
            </details>
        }
    });
    html! {
        <section class="lesson" aria-labelledby="lesson-title" data-chapter={chapter.slug}>
            if props.idx == 0 {
                { intro() }
            }
            { setups.unwrap_or_default() }
            { reload.unwrap_or_default() }
            { props.knob.map(|(k, v)| knob_view(k, v, &props.on_action)).unwrap_or_default() }
            <div class="prose">
                { for chapter.prose.iter().skip(1).map(|p| html! { <p>{ rich(p) }</p> }) }
            </div>
            { cues.unwrap_or_default() }
            { chapter.question.map(|q| question_view(&q, props)).unwrap_or_default() }
            // What the run showed, and why: only once the reader has predicted and the run
            // has answered, so that nothing above gives the answer away.
            if props.revealed.is_some() && !chapter.reveal.is_empty() {
                <section class="revealed" aria-labelledby="revealed-title">
                    <h3 id="revealed-title">{ "What the run showed" }</h3>
                    { for chapter.reveal.iter().map(|p| html! { <p>{ rich(p) }</p> }) }
                </section>
            }
            if chapter.slug == "sandbox" {
                <p class="tool-links">
                    { "Your tools, in the workbench below: " }
                    <a href="#editor">{ "the scenario editor" }</a>{ ", " }
                    <a href="#sweep">{ "the sweep" }</a>{ ", " }
                    <a href="#charts">{ "the charts" }</a>{ " and " }
                    <a href="#share">{ "share & export" }</a>{ "." }
                </p>
            }
            if chapter.slug == "sandbox" {
                { challenge_list(&props.challenges, &props.on_action) }
            }
            if chapter.slug == "async-in-name-only" {
                { workload_quiz(props.picked, props.picked_io, &props.on_action) }
            }
            { sources.unwrap_or_default() }
            { notes.unwrap_or_default() }
            <nav class="lesson-nav" aria-label="Previous and next chapter">
                <button type="button" onclick={emit(Action::PreviousChapter)} disabled={props.idx == 0}>
                    { "Previous chapter" }
                </button>
                <button type="button" onclick={emit(Action::NextChapter)} disabled={props.idx + 1 >= total}>
                    { "Next chapter" }
                </button>
            </nav>
        </section>
    }
}
