//! The scenario editor in a real browser (wasm-bindgen-test in headless Chromium), mounted
//! alone with a callback that records what it applies.

// These tests run in the browser, where `web_sys::window` is always there.
#![allow(clippy::disallowed_methods)]
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use await_lab::curriculum::presets::{self, PRESETS};
use await_lab::state::scenario_draft::dom_id;
use await_lab::view::components::{ScenarioEditor, ScenarioEditorProps};
use sim::Scenario;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew::AppHandle;

wasm_bindgen_test_configure!(run_in_browser);

type Applied = Rc<RefCell<Vec<Rc<Scenario>>>>;

struct Mounted {
    root: Element,
    handle: AppHandle<ScenarioEditor>,
    applied: Applied,
}

fn props(scenario: &Scenario, applied: &Applied) -> ScenarioEditorProps {
    let applied = applied.clone();
    ScenarioEditorProps {
        scenario: Rc::new(scenario.clone()),
        on_apply: Callback::from(move |s: Rc<Scenario>| applied.borrow_mut().push(s)),
    }
}

async fn mount(scenario: &Scenario) -> Mounted {
    let document = web_sys::window().unwrap().document().unwrap();
    // Earlier tests' editors stay mounted; take them out of the page so ids stay unique.
    let old = document.query_selector_all(".editor-test-root").unwrap();
    for i in 0..old.length() {
        old.get(i).unwrap().dyn_into::<Element>().unwrap().remove();
    }
    let root = document.create_element("div").unwrap();
    root.set_class_name("editor-test-root");
    document.body().unwrap().append_child(&root).unwrap();
    let applied: Applied = Rc::default();
    let handle = yew::Renderer::<ScenarioEditor>::with_root_and_props(
        root.clone(),
        props(scenario, &applied),
    )
    .render();
    settle().await;
    Mounted {
        root,
        handle,
        applied,
    }
}

/// Yields to the browser so scheduled renders and effects run.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(10)).await;
}

fn blocking() -> Scenario {
    presets::scenario(&PRESETS[0])
}

fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn field(root: &Element, slot: &str) -> Element {
    find(root, &format!("#{}", dom_id(slot))).unwrap_or_else(|| panic!("no field for {slot}"))
}

fn message(root: &Element, slot: &str) -> String {
    find(root, &format!("#{}-msg", dom_id(slot)))
        .unwrap_or_else(|| panic!("no message element for {slot}"))
        .text_content()
        .unwrap_or_default()
}

fn bubbling(kind: &str) -> web_sys::Event {
    let init = EventInit::new();
    init.set_bubbles(true);
    web_sys::Event::new_with_event_init_dict(kind, &init).unwrap()
}

async fn type_into(root: &Element, slot: &str, text: &str) {
    let input: HtmlInputElement = field(root, slot).dyn_into().unwrap();
    input.set_value(text);
    input.dispatch_event(&bubbling("input")).unwrap();
    settle().await;
}

async fn choose(root: &Element, slot: &str, value: &str) {
    let select: HtmlSelectElement = field(root, slot).dyn_into().unwrap();
    select.set_value(value);
    select.dispatch_event(&bubbling("change")).unwrap();
    settle().await;
}

/// Clicks the button whose accessible name (aria-label, else its text) is `name`.
async fn press(root: &Element, name: &str) {
    let buttons = root.query_selector_all("button").unwrap();
    for i in 0..buttons.length() {
        let button: HtmlElement = buttons.get(i).unwrap().dyn_into().unwrap();
        let label = button
            .get_attribute("aria-label")
            .unwrap_or_else(|| button.text_content().unwrap_or_default());
        if label.trim() == name {
            button.click();
            settle().await;
            return;
        }
    }
    panic!("no button named {name}");
}

fn focused() -> Element {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .expect("something has focus")
}

/// Waits (up to a second, for a loaded machine) until `ok` says focus is where it should be.
async fn wait_for_focus(ok: impl Fn() -> bool) {
    for _ in 0..100 {
        if ok() {
            return;
        }
        settle().await;
    }
    let f = focused();
    panic!(
        "focus is on <{} id={:?} aria-label={:?}>",
        f.tag_name(),
        f.id(),
        f.get_attribute("aria-label")
    );
}

fn focused_id() -> String {
    focused().id()
}

fn focused_label() -> String {
    focused().get_attribute("aria-label").unwrap_or_default()
}

fn apply_disabled(root: &Element) -> bool {
    find(root, "button.ed-apply")
        .expect("an Apply button")
        .has_attribute("disabled")
}

fn status(root: &Element) -> String {
    find(root, "#ed-status")
        .unwrap()
        .text_content()
        .unwrap_or_default()
}

/// The engine's own message for a scenario edited as JSON.
fn engine_message(
    scenario: &Scenario,
    edit: impl Fn(&mut serde_json::Value),
    field: &str,
) -> String {
    let mut json = serde_json::to_value(scenario).unwrap();
    edit(&mut json);
    let errors = sim::parse_scenario(&json.to_string()).unwrap_err();
    errors
        .into_iter()
        .find(|e| e.field == field)
        .unwrap_or_else(|| panic!("the engine reports nothing on {field}"))
        .message
}

#[wasm_bindgen_test]
async fn a_bad_value_shows_the_engine_message_beside_its_field_and_blocks_apply() {
    let m = mount(&blocking()).await;
    assert!(!apply_disabled(&m.root));
    assert_eq!(status(&m.root), "No problems");

    type_into(&m.root, "load.users", "0").await;
    let users = field(&m.root, "load.users");
    assert_eq!(users.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        users.get_attribute("aria-describedby").as_deref(),
        Some("ed-load-users-msg")
    );
    let expected = engine_message(&blocking(), |j| j["load"]["users"] = 0.into(), "load.users");
    assert_eq!(message(&m.root, "load.users"), expected);
    assert!(apply_disabled(&m.root));
    assert_eq!(status(&m.root), "1 problem");
    // Only that field is marked.
    assert_eq!(
        m.root
            .query_selector_all("[aria-invalid]")
            .unwrap()
            .length(),
        1
    );

    // Submitting anyway (Enter in a field) hands nothing on.
    let form = find(&m.root, "form").unwrap();
    form.dispatch_event(&bubbling("submit")).unwrap();
    settle().await;
    assert!(m.applied.borrow().is_empty());

    type_into(&m.root, "load.users", "7").await;
    let users = field(&m.root, "load.users");
    assert_eq!(users.get_attribute("aria-invalid"), None);
    assert_eq!(message(&m.root, "load.users"), "");
    assert!(!apply_disabled(&m.root));
    assert!(status(&m.root).contains("not applied"));

    press(&m.root, "Apply").await;
    let mut expected = blocking();
    expected.load.users = 7;
    assert_eq!(m.applied.borrow().len(), 1);
    assert_eq!(*m.applied.borrow()[0], expected);
    assert_eq!(status(&m.root), "No problems");
}

#[wasm_bindgen_test]
async fn a_half_typed_number_is_kept_and_reported() {
    let m = mount(&blocking()).await;
    type_into(&m.root, "load.think_ms", "1e").await;
    let input: HtmlInputElement = field(&m.root, "load.think_ms").dyn_into().unwrap();
    assert_eq!(input.value(), "1e");
    let expected = engine_message(
        &blocking(),
        |j| j["load"]["think_ms"] = "1e".into(),
        "load.think_ms",
    );
    assert_eq!(message(&m.root, "load.think_ms"), expected);
    assert!(apply_disabled(&m.root));
}

#[wasm_bindgen_test]
async fn open_load_shows_its_rate_and_keeps_the_closed_fields() {
    let m = mount(&blocking()).await;
    assert!(find(&m.root, "#ed-load-rate_per_s").is_none());
    type_into(&m.root, "load.users", "33").await;
    choose(&m.root, "load.kind", "open").await;
    assert!(find(&m.root, "#ed-load-rate_per_s").is_some());
    assert!(find(&m.root, "#ed-load-users").is_none());
    type_into(&m.root, "load.rate_per_s", "250").await;
    press(&m.root, "Add a burst").await;
    type_into(&m.root, "load.bursts[0].start_ms", "2000").await;
    choose(&m.root, "load.kind", "closed").await;
    let users: HtmlInputElement = field(&m.root, "load.users").dyn_into().unwrap();
    assert_eq!(users.value(), "33");
    choose(&m.root, "load.kind", "open").await;
    press(&m.root, "Apply").await;
    let applied = m.applied.borrow()[0].clone();
    assert_eq!(applied.load.kind, sim::LoadKind::Open);
    assert_eq!(applied.load.rate_per_s, 250.0);
    assert_eq!(applied.load.users, 33);
    assert_eq!(applied.load.bursts.len(), 1);
    assert_eq!(applied.load.bursts[0].start_ms, 2000);
}

#[wasm_bindgen_test]
async fn an_error_in_an_added_step_is_shown_beside_that_step_and_follows_it() {
    let m = mount(&blocking()).await;
    assert_eq!(
        m.root
            .query_selector_all(".ed-rows > li.ed-io")
            .unwrap()
            .length(),
        1
    );
    press(&m.root, "Add an I/O step").await;
    // The new step's first field has focus, ready to type in.
    wait_for_focus(|| focused_id() == "ed-endpoint-steps-3--io_ms").await;
    type_into(&m.root, "endpoint.steps[3].io_ms", "-5").await;
    let expected = engine_message(
        &blocking(),
        |j| j["endpoint"]["steps"][1]["io_ms"] = (-5).into(),
        "endpoint.steps[1].io_ms",
    );
    assert_eq!(message(&m.root, "endpoint.steps[3].io_ms"), expected);
    assert_eq!(
        field(&m.root, "endpoint.steps[3].io_ms")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert!(apply_disabled(&m.root));

    // Moved up, it is step 3 (index 2), and its message moves with it.
    press(&m.root, "Move step 4 up").await;
    // Focus stays on the moved step's button, which is now step 3's.
    wait_for_focus(|| focused_label() == "Move step 3 up").await;
    let moved: HtmlInputElement = field(&m.root, "endpoint.steps[2].io_ms")
        .dyn_into()
        .unwrap();
    assert_eq!(moved.value(), "-5");
    assert_eq!(message(&m.root, "endpoint.steps[2].io_ms"), expected);
    assert!(find(&m.root, "#ed-endpoint-steps-3--io_ms").is_none());

    // Fixed and sent through the database, it reaches the scenario.
    type_into(&m.root, "endpoint.steps[2].io_ms", "15").await;
    let db_row = field(&m.root, "endpoint.steps[1].resource")
        .dyn_into::<HtmlSelectElement>()
        .unwrap()
        .value();
    choose(&m.root, "endpoint.steps[2].resource", &db_row).await;
    press(&m.root, "Apply").await;
    let steps = &m.applied.borrow()[0].endpoint.steps;
    assert_eq!(steps.len(), 4);
    assert_eq!(steps[2].io_ms, Some(15.0));
    assert_eq!(steps[2].resource.as_deref(), Some("db"));
    assert_eq!(steps[3].cpu_ms, Some(1.0));
}

#[wasm_bindgen_test]
async fn every_input_has_a_label_and_a_message_slot() {
    let m = mount(&presets::scenario(&PRESETS[2])).await;
    let inputs = m.root.query_selector_all("input, select").unwrap();
    assert!(inputs.length() > 30, "{} inputs", inputs.length());
    for i in 0..inputs.length() {
        let input: Element = inputs.get(i).unwrap().dyn_into().unwrap();
        let id = input.id();
        assert!(
            find(&m.root, &format!("label[for=\"{id}\"]")).is_some(),
            "no label for {id}"
        );
        let described = input.get_attribute("aria-describedby").unwrap();
        assert!(find(&m.root, &format!("#{described}")).is_some(), "{id}");
    }
    // sync_over_async shows its wait; sleep_poll adds the poll interval.
    assert!(find(&m.root, "#ed-endpoint-wait").is_some());
    assert!(find(&m.root, "#ed-endpoint-poll_ms").is_none());
    choose(&m.root, "endpoint.wait", "sleep_poll").await;
    assert!(find(&m.root, "#ed-endpoint-poll_ms").is_some());
}

#[wasm_bindgen_test]
async fn a_new_running_scenario_loads_unless_there_are_unapplied_edits() {
    let mut m = mount(&blocking()).await;
    let async_preset = presets::scenario(&PRESETS[1]);

    // No edits: the new scenario replaces the draft.
    m.handle.update(props(&async_preset, &m.applied));
    settle().await;
    let style: HtmlSelectElement = field(&m.root, "endpoint.style").dyn_into().unwrap();
    assert_eq!(style.value(), "async");
    assert!(find(&m.root, ".ed-notice").is_none());

    // With edits: they stay, and a notice offers Revert.
    type_into(&m.root, "machine.cores", "12").await;
    m.handle.update(props(&blocking(), &m.applied));
    settle().await;
    let cores: HtmlInputElement = field(&m.root, "machine.cores").dyn_into().unwrap();
    assert_eq!(cores.value(), "12");
    let style: HtmlSelectElement = field(&m.root, "endpoint.style").dyn_into().unwrap();
    assert_eq!(style.value(), "async");
    assert!(find(&m.root, ".ed-notice").is_some());

    press(&m.root, "Revert to the running scenario").await;
    wait_for_focus(|| focused_id() == "ed-apply").await;
    let cores: HtmlInputElement = field(&m.root, "machine.cores").dyn_into().unwrap();
    assert_eq!(cores.value(), "4");
    let style: HtmlSelectElement = field(&m.root, "endpoint.style").dyn_into().unwrap();
    assert_eq!(style.value(), "blocking");
    assert!(find(&m.root, ".ed-notice").is_none());
    assert!(m.applied.borrow().is_empty());
}

#[wasm_bindgen_test]
async fn a_problem_in_the_collapsed_limits_opens_them() {
    let m = mount(&blocking()).await;
    let details = find(&m.root, "details.ed-more").unwrap();
    assert!(!details.has_attribute("open"));
    // Limits fields exist even while collapsed, so typing reaches them.
    type_into(&m.root, "limits.max_events", "0").await;
    assert!(details.has_attribute("open"));
    assert!(!message(&m.root, "limits.max_events").is_empty());
}

#[wasm_bindgen_test]
async fn the_parent_rerendering_with_a_new_callback_keeps_the_draft_and_uses_the_newest_callback() {
    // The app re-renders on every animation frame with a fresh on_apply callback.
    let mut m = mount(&blocking()).await;
    type_into(&m.root, "machine.cores", "12").await;
    let newer: Applied = Rc::default();
    for _ in 0..3 {
        m.handle.update(props(&blocking(), &newer));
        settle().await;
    }
    let cores: HtmlInputElement = field(&m.root, "machine.cores").dyn_into().unwrap();
    assert_eq!(cores.value(), "12");
    assert!(find(&m.root, ".ed-notice").is_none());
    press(&m.root, "Apply").await;
    assert!(m.applied.borrow().is_empty());
    assert_eq!(newer.borrow().len(), 1);
    assert_eq!(newer.borrow()[0].machine.cores, 12);
}
