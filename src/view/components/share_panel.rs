use std::rc::Rc;

use sim::Scenario;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::links::share::{Embed, EmbedControls, EMBED_PANELS};
use crate::state::simulation::Simulation;
use crate::state::{Action, Theme};

#[derive(Properties, PartialEq)]
pub struct SharePanelProps {
    /// The link query of the view shown (from `share::encode`), without `?`.
    pub link: AttrValue,
    /// The chapter's title, for the embed's accessible name.
    pub title: AttrValue,
    pub scenario: Rc<Scenario>,
    /// The run's handle, read only when a file is saved: it stays the same object while
    /// the run plays, so the panel is not redrawn every frame.
    pub simulation: Simulation,
    /// While the run plays, the link is the last paused moment's; "Copy link" pauses first.
    pub playing: bool,
    pub on_action: Callback<Action>,
}

/// The page's address without its query or fragment: where links and embeds point, so
/// they work from whatever path the page is hosted under.
fn page_address() -> String {
    crate::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default()
}

/// Rough height of an embed showing `panels`, in CSS pixels, so the snippet starts close
/// to right; the author can change it.
fn embed_height_px(embed: &Embed) -> u32 {
    const HEIGHTS: [u32; 5] = [560, 200, 360, 320, 640];
    40 + HEIGHTS
        .iter()
        .enumerate()
        .filter(|(i, _)| embed.panels & (1 << i) != 0)
        .map(|(_, h)| h)
        .sum::<u32>()
}

/// The address of the directory holding the page: where `await-lab.js` is, next to it.
fn files_address(address: &str) -> &str {
    address.rfind('/').map_or(address, |at| &address[..=at])
}

/// The HTML a documentation author pastes to embed this view in an iframe named `title`.
pub fn embed_snippet(address: &str, link: &str, title: &str, embed: &Embed) -> String {
    format!(
        "<iframe src=\"{}?{}&amp;{}\" title=\"{}\" width=\"100%\" height=\"{}\" \
         loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>",
        crate::view::format::html_text(address),
        crate::view::format::html_text(link),
        crate::view::format::html_text(&embed.encode()),
        crate::view::format::html_text(title),
        embed_height_px(embed)
    )
}

/// Copies `text` to the clipboard where the browser allows it, and says what happened.
fn copy(text: String, status: UseStateHandle<String>) {
    let refused = "The browser refused the clipboard: select the text and copy it.";
    let Some(window) = crate::window() else {
        return;
    };
    // Outside a secure context (a plain http:// host) there is no clipboard at all, and
    // calling it would throw through the page's event handler.
    let navigator = window.navigator();
    let present = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !present {
        status.set(refused.to_owned());
        return;
    }
    let promise = navigator.clipboard().write_text(&text);
    yew::platform::spawn_local(async move {
        status.set(match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => "Copied.".to_owned(),
            Err(_) => refused.to_owned(),
        });
    });
}

/// Share, embed, export and import: a link to the exact view, the HTML for an iframe of
/// it, the run's data as files, and a scenario file read back in.
#[component]
pub fn SharePanel(props: &SharePanelProps) -> Html {
    let embed = use_state(Embed::default);
    let open = use_state(|| false);
    let status = use_state(String::new);
    let problems = use_state(Vec::<String>::new);
    let address = page_address();
    let url = format!("{address}?{}", props.link);
    // The author's own name for the embed, if they gave one; else the chapter's.
    let embed_title = use_state(String::new);
    let own_title = Some(embed_title.trim()).filter(|t| !t.is_empty());
    let snippet = embed_snippet(
        &address,
        &props.link,
        &own_title.map_or_else(|| format!("Await Lab: {}", props.title), str::to_owned),
        &embed,
    );
    let element = crate::links::element::element_snippet(
        files_address(&address),
        &props.link,
        &embed,
        own_title,
    );
    let on_title = {
        let embed_title = embed_title.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            embed_title.set(input.value());
        })
    };
    let on_theme = {
        let embed = embed.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let theme = match select.value().as_str() {
                "light" => Theme::Light,
                "dark" => Theme::Dark,
                _ => Theme::System,
            };
            embed.set(Embed { theme, ..*embed })
        })
    };

    let toggle_panel = |i: usize| {
        let embed = embed.clone();
        Callback::from(move |_: Event| {
            let panels = embed.panels ^ (1 << i);
            // At least one panel stays: an empty embed would show nothing.
            if panels != 0 {
                embed.set(Embed { panels, ..*embed });
            }
        })
    };
    let on_autoplay = {
        let embed = embed.clone();
        Callback::from(move |_: Event| {
            embed.set(Embed {
                autoplay: !embed.autoplay,
                ..*embed
            })
        })
    };
    let on_controls = {
        let embed = embed.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let controls = match select.value().as_str() {
                "full" => EmbedControls::Full,
                "none" => EmbedControls::None,
                _ => EmbedControls::Min,
            };
            embed.set(Embed { controls, ..*embed })
        })
    };
    let copy_text = |text: String| {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| copy(text.clone(), status.clone()))
    };
    // A link is made while the run is paused, so "Copy link" during play pauses the run
    // and copies the link to that moment once it is made (still within the click's user
    // activation, which the clipboard asks for).
    let copy_on_pause = use_mut_ref(|| false);
    {
        let copy_on_pause = copy_on_pause.clone();
        let status = status.clone();
        use_effect_with((url.clone(), props.playing), move |(url, playing)| {
            if !*playing && std::mem::take(&mut *copy_on_pause.borrow_mut()) {
                copy(url.clone(), status);
            }
        });
    }
    let on_copy_link = if props.playing {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| {
            *copy_on_pause.borrow_mut() = true;
            on_action.emit(Action::Pause);
        })
    } else {
        copy_text(url.clone())
    };

    let stem = crate::links::export::file_stem(&props.title, props.scenario.seed);
    let save = |what: &'static str| {
        let scenario = props.scenario.clone();
        let simulation = props.simulation.clone();
        let stem = stem.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            use crate::links::export;
            let (name, mime, text) = match what {
                "scenario" => (
                    format!("{stem}.scenario.json"),
                    "application/json",
                    export::scenario_file(&scenario),
                ),
                "metrics" => (
                    format!("{stem}.metrics.csv"),
                    "text/csv",
                    export::metrics_csv(&simulation.samples()),
                ),
                _ => {
                    let events = simulation.trace_tail(usize::MAX);
                    let dropped = simulation.trace_total() - events.len() as u64;
                    (
                        format!("{stem}.trace.json"),
                        "application/json",
                        export::trace_json(&scenario, &events, dropped),
                    )
                }
            };
            status.set(
                match crate::links::download::save_text(&name, mime, &text) {
                    Ok(()) => format!("Saved {name}."),
                    Err(why) => format!("{name} could not be saved: {why}"),
                },
            );
        })
    };
    let on_import = {
        let on_action = props.on_action.clone();
        let status = status.clone();
        let problems = problems.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let on_action = on_action.clone();
            let status = status.clone();
            let problems = problems.clone();
            let reset = input.clone();
            crate::links::download::read_text_file(&input, move |read| {
                // Cleared so that choosing the same file again (after fixing it) reads it.
                reset.set_value("");
                match read
                    .map_err(|e| vec![e])
                    .and_then(|text: String| crate::links::export::import_scenario(&text))
                {
                    Ok(scenario) => {
                        problems.set(Vec::new());
                        status.set(
                            "Imported: the scenario runs now and is kept as your own.".to_owned(),
                        );
                        on_action.emit(Action::ApplyScenario(Rc::new(scenario)));
                    }
                    Err(list) => {
                        status.set(String::new());
                        problems.set(list);
                    }
                }
            });
        })
    };

    html! {
        <section class="share" aria-labelledby="share-title">
            <h2 id="share-title">{ "Share, embed, export" }</h2>
            <div class="share-row">
                <label for="share-link">{ "Link to this view" }</label>
                <input id="share-link" type="text" readonly=true value={url.clone()} />
                <button type="button" onclick={on_copy_link}>
                    { if props.playing { "Pause and copy link" } else { "Copy link" } }
                </button>
            </div>
            // The embed's own parameters (at most about 70 characters) must fit too.
            if props.link.len() > crate::links::share::LINK_CHARS_MAX - 80 {
                // The decoder refuses links this long; say so before anyone sends one.
                <p class="field-error">{ format!(
                    "This scenario makes the link {} characters long, more than the {} a link may have: \
                     save the scenario file below and share that instead.",
                    props.link.len(),
                    crate::links::share::LINK_CHARS_MAX - 80
                ) }</p>
            } else {
                <p class="hint">{ "The link holds the chapter, the run, the seed, the comparison and the exact step (while paused)." }</p>
            }
            <button type="button" class="embed-toggle" aria-expanded={(*open).to_string()}
                    aria-controls="embed-options"
                    onclick={let open = open.clone(); move |_| open.set(!*open)}>
                { "Embed" }
            </button>
            <div id="embed-options" class="embed-options" hidden={!*open}>
                <fieldset>
                    <legend>{ "Panels to show" }</legend>
                    { for EMBED_PANELS.iter().enumerate().map(|(i, name)| html! {
                        <label class="check">
                            // The last panel shown cannot be taken away: an embed shows something.
                            <input type="checkbox" checked={embed.panels & (1 << i) != 0}
                                   disabled={embed.panels == 1 << i}
                                   onchange={toggle_panel(i)} />
                            { *name }
                        </label>
                    }) }
                </fieldset>
                <label class="check">
                    <input type="checkbox" checked={embed.autoplay} onchange={on_autoplay} />
                    { "Play on load (not for readers who ask for reduced motion; play and pause stay)" }
                </label>
                <label for="embed-controls">{ "Controls" }</label>
                <select id="embed-controls" onchange={on_controls}>
                    <option value="min" selected={embed.controls == EmbedControls::Min}>{ "Play, step, reset" }</option>
                    <option value="full" selected={embed.controls == EmbedControls::Full}>{ "All" }</option>
                    <option value="none" selected={embed.controls == EmbedControls::None}>{ "None" }</option>
                </select>
                <label for="embed-theme">{ "Theme" }</label>
                <select id="embed-theme" onchange={on_theme}>
                    <option value="system" selected={embed.theme == Theme::System}>{ "The reader's system setting" }</option>
                    <option value="light" selected={embed.theme == Theme::Light}>{ "Light" }</option>
                    <option value="dark" selected={embed.theme == Theme::Dark}>{ "Dark" }</option>
                </select>
                <label for="embed-title">{ "Title, for screen readers and the embed's heading (optional)" }</label>
                <input id="embed-title" type="text" placeholder={format!("Await Lab: {}", props.title)}
                       value={(*embed_title).clone()} oninput={on_title} />
                <h3 class="embed-kind">{ "As an element, for documentation sites" }</h3>
                <p class="hint" id="embed-element-hint">{
                    "For pages you build (mdBook, Docusaurus, MkDocs, plain HTML): it takes the \
                     text's width and its own height, and starts only when scrolled to. The \
                     script tag is needed once per page, however many elements it holds."
                }</p>
                <label for="embed-element-code">{ "HTML for an <await-lab> element" }</label>
                <textarea id="embed-element-code" readonly=true rows="3" value={element.clone()}
                          aria-describedby="embed-element-hint" />
                <button type="button" onclick={copy_text(element)}>{ "Copy element HTML" }</button>
                <h3 class="embed-kind">{ "As an iframe, where scripts are not allowed" }</h3>
                <p class="hint" id="embed-code-hint">{
                    "For wikis, blogs and content systems that take no script of yours, or to \
                     keep the view fully apart from the page: set its height yourself."
                }</p>
                <label for="embed-code">{ "HTML for an iframe" }</label>
                <textarea id="embed-code" readonly=true rows="4" value={snippet.clone()}
                          aria-describedby="embed-code-hint" />
                <button type="button" onclick={copy_text(snippet)}>{ "Copy iframe HTML" }</button>
            </div>
            <div class="share-row" role="group" aria-label="Save the run as files">
                <button type="button" onclick={save("scenario")}>{ "Save scenario (JSON)" }</button>
                <button type="button" onclick={save("metrics")}>{ "Save metrics (CSV)" }</button>
                <button type="button" onclick={save("trace")}>{ "Save trace (JSON)" }</button>
            </div>
            <div class="share-row">
                <label for="import-file">{ "Open a scenario file (JSON)" }</label>
                <input id="import-file" type="file" accept=".json,application/json"
                       aria-describedby="import-problems" onchange={on_import} />
            </div>
            <p class="share-status" role="status">{ (*status).clone() }</p>
            <div id="import-problems" role="alert">
                if !problems.is_empty() {
                    <p>{ "The file was not opened; nothing changed:" }</p>
                    <ul>{ for problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul>
                }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_element_script_sits_beside_the_page() {
        assert_eq!(
            files_address("https://x.example/lab/"),
            "https://x.example/lab/"
        );
        assert_eq!(
            files_address("https://x.example/lab/starvation.html"),
            "https://x.example/lab/"
        );
        assert_eq!(
            files_address("https://x.example/index.html"),
            "https://x.example/"
        );
    }

    #[test]
    fn the_snippet_escapes_and_sizes_its_iframe() {
        let embed = Embed::default();
        let html = embed_snippet(
            "https://x.example/lab/",
            "v=1&ch=starvation",
            "Await Lab: A \"b\" <c>",
            &embed,
        );
        assert_eq!(
            html,
            "<iframe src=\"https://x.example/lab/?v=1&amp;ch=starvation&amp;embed=1\" \
             title=\"Await Lab: A &quot;b&quot; &lt;c>\" width=\"100%\" height=\"600\" \
             loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>"
        );
        let all = Embed {
            panels: 0b11111,
            ..Embed::default()
        };
        assert_eq!(embed_height_px(&all), 40 + 560 + 200 + 360 + 320 + 640);
    }
}
