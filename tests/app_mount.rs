//! Component tests in a real browser (wasm-bindgen-test in headless Chromium): the app
//! mounts into a fresh element and its regions and controls behave.

// These tests run in the browser, where `web_sys::window` is always there.
#![allow(clippy::disallowed_methods)]
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh copy of the app and lets Yew finish its first render. The address and
/// the stored progress are cleared first: an earlier test's chapter would otherwise be
/// where this one starts.
async fn mount() -> Element {
    let window = web_sys::window().unwrap();
    if let Ok(Some(storage)) = window.local_storage() {
        storage
            .remove_item(await_lab::links::persist::PROGRESS_KEY)
            .unwrap();
    }
    let path = window.location().pathname().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
        .unwrap();
    let document = window.document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<await_lab::App>::with_root(root.clone()).render();
    settle().await;
    root
}

/// Yields to the browser so scheduled renders and effects run.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(10)).await;
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

/// The text of `selector` once it reads `want`, or what it reads after two seconds: a busy
/// machine can take longer than one `settle` to render a new chapter.
async fn text_when(root: &Element, selector: &str, want: &str) -> String {
    for _ in 0..200 {
        let got = text(root, selector);
        if got == want {
            return got;
        }
        settle().await;
    }
    text(root, selector)
}

/// Waits (up to two seconds) until `selector` matches something in `root`, and says whether
/// it did: a busy machine can take more than one `settle` to draw a change.
async fn appears(root: &Element, selector: &str) -> bool {
    for _ in 0..200 {
        if root.query_selector(selector).unwrap().is_some() {
            return true;
        }
        settle().await;
    }
    false
}

fn click(root: &Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
}

#[wasm_bindgen_test]
async fn mounts_with_every_region() {
    let root = mount().await;
    assert_eq!(text(&root, "h1"), "Await Lab");
    for region in [
        "aside.intro",
        "nav.toc",
        "details.toc-menu",
        "header.lesson-head",
        "section.lesson",
        ".stage-column .toolbar",
        "section#stage",
        "section.workbench",
    ] {
        assert!(
            root.query_selector(region).unwrap().is_some(),
            "missing region {region}"
        );
    }
    let chapters = root.query_selector_all("nav.toc li").unwrap().length() as usize;
    assert_eq!(chapters, await_lab::curriculum::content::CHAPTERS.len());
    assert_eq!(chapters, 12);
    // The phone's menu holds the same list.
    let in_menu = root
        .query_selector_all("details.toc-menu li")
        .unwrap()
        .length() as usize;
    assert_eq!(in_menu, chapters);
    // Six workbench tabs, one of them open, each controlling a panel named by its fragment.
    let tabs = root.query_selector_all("[role='tab']").unwrap();
    assert_eq!(tabs.length(), 6);
    let open = root
        .query_selector_all("[role='tabpanel']:not([hidden])")
        .unwrap();
    assert_eq!(open.length(), 1);
    for fragment in ["charts", "sweep", "editor", "log", "share", "glossary"] {
        let panel = root
            .query_selector(&format!("[role='tabpanel']#{fragment}"))
            .unwrap();
        assert!(panel.is_some(), "no panel #{fragment}");
    }
    // Four thread states, each with its own glyph so colour is not the only signal.
    assert_eq!(
        root.query_selector_all(".picture-legend svg.glyph")
            .unwrap()
            .length(),
        4
    );
}

#[wasm_bindgen_test]
async fn next_and_previous_move_through_chapters() {
    let root = mount().await;
    assert_eq!(text(&root, "#lesson-title"), "What a blocked thread costs");
    assert_eq!(text(&root, ".lesson-count"), "Chapter 1 of 12");
    let previous = root
        .query_selector(".lesson-nav button:first-child")
        .unwrap()
        .unwrap();
    assert!(
        previous.has_attribute("disabled"),
        "no previous chapter before the first"
    );

    click(&root, ".lesson-nav button:last-child");
    assert_eq!(
        text_when(&root, "#lesson-title", "Asynchronous is not multi-threaded").await,
        "Asynchronous is not multi-threaded"
    );
    assert_eq!(text(&root, ".lesson-count"), "Chapter 2 of 12");
    let current = text(&root, "nav.toc [aria-current='page']");
    assert!(
        current.contains("Asynchronous is not multi-threaded"),
        "{current}"
    );

    // The chapter's head is drawn with the page, its body by a component of its own,
    // a moment later: the Previous button is usable once the body shows chapter 2.
    assert!(appears(&root, ".lesson-nav button:first-child:not([disabled])").await);
    click(&root, ".lesson-nav button:first-child");
    assert_eq!(
        text_when(&root, ".lesson-count", "Chapter 1 of 12").await,
        "Chapter 1 of 12"
    );
}

#[wasm_bindgen_test]
async fn choosing_a_chapter_in_the_table_of_contents_opens_it() {
    let root = mount().await;
    click(&root, "nav.toc li:last-child a");
    assert_eq!(
        text_when(&root, "#lesson-title", "Sandbox").await,
        "Sandbox"
    );
    assert!(appears(&root, ".lesson-nav button:last-child[disabled]").await);
    let next = root
        .query_selector(".lesson-nav button:last-child")
        .unwrap()
        .unwrap();
    assert!(
        next.has_attribute("disabled"),
        "no next chapter after the last"
    );
}

/// Waits (up to two seconds) until the stage has handled `want` events, and returns how
/// many it has.
async fn events_when(root: &Element, want: u64) -> u64 {
    for _ in 0..200 {
        if stage_number(root, "data-events") == want {
            break;
        }
        settle().await;
    }
    stage_number(root, "data-events")
}

fn stage_number(root: &Element, key: &str) -> u64 {
    root.query_selector("#stage")
        .unwrap()
        .unwrap()
        .get_attribute(key)
        .unwrap()
        .parse()
        .unwrap()
}

#[wasm_bindgen_test]
async fn step_and_step_back_move_the_stage_by_exactly_one_event() {
    let root = mount().await;
    assert_eq!(stage_number(&root, "data-events"), 0);
    for _ in 0..30 {
        click(&root, ".toolbar button[aria-keyshortcuts='ArrowRight']");
        settle().await;
    }
    assert_eq!(events_when(&root, 30).await, 30);
    // Tokens travel for a moment after a step; compare the pictures once they rest.
    let picture = |root: &Element| {
        root.query_selector("#stage svg[data-picture='stage']")
            .unwrap()
            .expect("the stage is drawn as a picture")
            .inner_html()
    };
    let rest = || yew::platform::time::sleep(Duration::from_millis(500));
    rest().await;
    let picture_after_30 = picture(&root);
    click(&root, ".toolbar button[aria-keyshortcuts='ArrowLeft']");
    assert_eq!(events_when(&root, 29).await, 29);
    click(&root, ".toolbar button[aria-keyshortcuts='ArrowRight']");
    assert_eq!(events_when(&root, 30).await, 30);
    rest().await;
    assert_eq!(
        picture_after_30,
        picture(&root),
        "stepping back and forward redraws the same picture"
    );
    // The same holds for the text view.
    click(&root, ".stage-text-toggle");
    assert!(appears(&root, ".lanes").await);
    let lanes_after_30 = root.query_selector(".lanes").unwrap().unwrap().inner_html();
    click(&root, ".toolbar button[aria-keyshortcuts='ArrowLeft']");
    assert_eq!(events_when(&root, 29).await, 29);
    click(&root, ".toolbar button[aria-keyshortcuts='ArrowRight']");
    assert_eq!(events_when(&root, 30).await, 30);
    let lanes_again = root.query_selector(".lanes").unwrap().unwrap().inner_html();
    assert_eq!(
        lanes_after_30, lanes_again,
        "stepping back and forward redraws the same lanes"
    );
}

#[wasm_bindgen_test]
async fn blocked_lanes_match_the_engines_blocked_count() {
    let root = mount().await;
    // The comparison preset (40 users on blocking I/O), not chapter 1's single user.
    let select = root
        .query_selector("#preset")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlSelectElement>()
        .unwrap();
    select.set_value("0");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let change = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    select.dispatch_event(&change).unwrap();
    settle().await;
    for _ in 0..200 {
        click(&root, ".toolbar button[aria-keyshortcuts='ArrowRight']");
    }
    settle().await;
    let blocked = stage_number(&root, "data-blocked");
    let count = |selector: &str| root.query_selector_all(selector).unwrap().length() as u64;
    // The picture: one hatched box per blocked thread, each tethered to its call.
    assert!(blocked > 0, "the blocking preset blocks threads on I/O");
    assert_eq!(count("#stage [data-thread][data-state='blocked']"), blocked);
    assert_eq!(count("#stage [data-tether]"), blocked);
    // The text view says the same.
    click(&root, ".stage-text-toggle");
    assert!(appears(&root, ".lanes").await);
    let lanes = root
        .query_selector_all(".lane[data-state='blocked']")
        .unwrap()
        .length() as u64;
    assert!(blocked > 0, "the blocking preset blocks threads on I/O");
    assert_eq!(lanes, blocked);
    // In the blocking preset every blocked thread holds an I/O call of its own.
    let held = root
        .query_selector_all(".io-op[data-holder='thread']")
        .unwrap()
        .length() as u64;
    assert_eq!(held, blocked);
}

/// The value of the input `selector` once it satisfies `ok`, or its value after two seconds.
async fn value_when(root: &Element, selector: &str, ok: impl Fn(&str) -> bool) -> String {
    let read = || {
        root.query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no element matches {selector}"))
            .dyn_into::<web_sys::HtmlInputElement>()
            .unwrap()
            .value()
    };
    for _ in 0..200 {
        if ok(&read()) {
            break;
        }
        settle().await;
    }
    read()
}

#[wasm_bindgen_test]
async fn the_share_link_follows_the_view_and_decodes_back_to_it() {
    let root = mount().await;
    // The share panel sits in its workbench tab, mounted even while another tab is open.
    assert!(root
        .query_selector("#share[hidden] #share-link")
        .unwrap()
        .is_some());
    click(&root, "#tab-share");
    assert!(appears(&root, "#share:not([hidden])").await);
    let link = value_when(&root, "#share-link", |v| {
        v.contains("ch=blocked-is-not-busy")
    })
    .await;
    let query = link.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let decoded = await_lab::links::share::decode(query).expect("the page's own link decodes");
    assert_eq!(decoded.chapter, Some(0));
    assert_eq!(decoded.events, None, "nothing has happened yet");

    // One exact step: the link names it, and the address is the same link.
    click(&root, ".toolbar button.step");
    let link = value_when(&root, "#share-link", |v| v.contains("&e=1")).await;
    // The open tab is in the link's fragment, after the query the step changed.
    assert!(
        web_sys::window().unwrap().location().hash().unwrap() == "#share",
        "the address names the open tab"
    );
    let decoded = await_lab::links::share::decode(link.split_once('?').unwrap().1).unwrap();
    assert_eq!(decoded.events, Some(1));
    // The address is written by an effect, after the render that shows the link.
    let want = format!("?{}", link.split_once('?').unwrap().1);
    let address = || web_sys::window().unwrap().location().search().unwrap();
    for _ in 0..200 {
        if address() == want {
            break;
        }
        settle().await;
    }
    assert_eq!(address(), want);

    // The Embed button shows the HTML for that view.
    click(&root, ".embed-toggle");
    settle().await;
    let snippet = root
        .query_selector("#embed-code")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .unwrap()
        .value();
    assert!(snippet.starts_with("<iframe src=\""), "{snippet}");
    assert!(snippet.contains("&amp;e=1&amp;embed=1"), "{snippet}");
}

#[wasm_bindgen_test]
async fn workbench_tabs_follow_the_arrow_keys_and_the_fragment() {
    let root = mount().await;
    let selected = |root: &Element| {
        root.query_selector("[role='tab'][aria-selected='true']")
            .unwrap()
            .unwrap()
            .id()
    };
    assert_eq!(selected(&root), "tab-charts");
    let key = |root: &Element, key: &str| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        let tab = root
            .query_selector("[role='tab'][aria-selected='true']")
            .unwrap()
            .unwrap();
        tab.dispatch_event(&event).unwrap();
        event.default_prevented()
    };
    assert!(key(&root, "ArrowRight"), "the tabs use the arrow");
    assert!(appears(&root, "#tab-sweep[aria-selected='true']").await);
    let focused = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .map(|e| e.id());
    assert_eq!(
        focused.as_deref(),
        Some("tab-sweep"),
        "focus follows the selection"
    );
    // The arrow opened a tab and did not also step the run.
    assert_eq!(stage_number(&root, "data-events"), 0);
    assert!(appears(&root, "#sweep:not([hidden])").await);
    key(&root, "End");
    assert!(appears(&root, "#tab-glossary[aria-selected='true']").await);
    // The charts' content is drawn only while their tab is open.
    assert!(root.query_selector("#charts .chart").unwrap().is_none());
    key(&root, "Home");
    assert!(appears(&root, "#tab-charts[aria-selected='true']").await);
    assert!(appears(&root, "#charts .chart").await);
    // A fragment opens its tab, and a glossary term's fragment the glossary.
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("term-thread")
        .unwrap();
    for _ in 0..200 {
        if selected(&root) == "tab-glossary" {
            break;
        }
        settle().await;
    }
    assert_eq!(selected(&root), "tab-glossary");
    assert!(root.query_selector("#term-thread").unwrap().is_some());
}
