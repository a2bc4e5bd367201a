//! Making failures visible. A panic in wasm otherwise leaves a frozen or blank page with the
//! reason only in the developer console, which a reader on a projector never sees.

/// The id of the element in `index.html` that shows a fatal error. `static/boot.js` uses the
/// same element for failures that happen before the wasm module runs.
pub const FATAL_ELEMENT_ID: &str = "fatal";

/// Installs a panic hook that logs the panic to the console and shows it on the page.
/// It goes through Yew's setter: `Renderer::render` replaces any hook installed with
/// `std::panic::set_hook` by its own console-only one, so a panic after mount would
/// otherwise leave the page frozen with no message.
pub fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let detail = info.to_string();
        web_sys::console::error_1(&format!("Await Lab stopped: {detail}").into());
        show_fatal(&detail);
    }));
}

/// Shows `detail` in the fatal-error box, and in every `<await-lab>` element's own box (a
/// panic stops the one module they share). Text only: the message is never parsed as HTML.
pub fn show_fatal(detail: &str) {
    let Some(document) = crate::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(elements) = document.query_selector_all("await-lab") {
        for i in 0..elements.length() {
            let Some(host) = elements
                .item(i)
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            else {
                continue;
            };
            let boxed = host
                .shadow_root()
                .and_then(|root| root.query_selector(".fatal").ok().flatten());
            if let Some(boxed) = boxed {
                boxed.set_text_content(Some(&format!("Await Lab stopped: {detail}")));
                let _ = boxed.remove_attribute("hidden");
                let _ = host.set_attribute("data-app-state", "failed");
            }
        }
    }
    let Some(boxed) = document.get_element_by_id(FATAL_ELEMENT_ID) else {
        return;
    };
    if let Some(detail_el) = document.get_element_by_id("fatal-detail") {
        detail_el.set_text_content(Some(detail));
    } else {
        boxed.set_text_content(Some(detail));
    }
    let _ = boxed.remove_attribute("hidden");
    let _ = document
        .document_element()
        .map(|html| html.set_attribute("data-app-state", "failed"));
}
