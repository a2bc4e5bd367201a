//! The browser half of saving and opening files (issue 6): text handed to the browser as a
//! download, a chart copied as a standalone SVG picture, and a chosen file read as text.
//! What the text says is built and tested natively in [`crate::links::export`]; this module only
//! talks to web APIs (it compiles natively, but only a browser can run it).
//!
//! Everything here works under the page's strict Content-Security-Policy (no inline script,
//! no `style` attribute): elements are hidden with the `hidden` attribute, and the chart's
//! look is copied as SVG presentation attributes, never as a `style` attribute.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, CssStyleDeclaration, Element, Url};

use crate::links::export::{too_big_message, IMPORT_BYTES_MAX};
use crate::view::format::shorten;

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// How long a download's object URL stays valid after the click, in ms. Some browsers start
/// fetching a download only after the click's task has ended, so revoking the URL at once
/// can cancel it; a while later it only frees the blob.
const REVOKE_AFTER_MS: u32 = 40_000;

/// Gives `text` to the browser as a download named `file_name`, of type `mime` (say
/// `text/csv;charset=utf-8`). Errors say the browser refused; there is nothing to retry.
pub fn save_text(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let refused = |_: JsValue| "The browser refused to save the file.".to_owned();
    let window = crate::window().ok_or("There is no window to save from.")?;
    let document = window
        .document()
        .ok_or("There is no document to save from.")?;
    let body = document
        .body()
        .ok_or("There is no page body to save from.")?;

    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(refused)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(refused)?;

    let clicked = (|| -> Result<(), JsValue> {
        let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
        link.set_href(&url);
        link.set_download(file_name);
        link.set_hidden(true);
        // Older Firefox versions ignore a click on a link that is not in the document.
        body.append_child(&link)?;
        link.click();
        link.remove();
        Ok(())
    })();

    // Dropping the timer would cancel it; forgotten, it fires once and frees itself.
    gloo_timers::callback::Timeout::new(REVOKE_AFTER_MS, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    clicked.map_err(refused)
}

/// What a chart's look is made of: each CSS property copied to the picture, and when its
/// attribute can be left out because the picture would show the same without it.
const LOOK: &[(&str, Skip)] = &[
    ("fill", Skip::AsParent),
    ("stroke", Skip::AsParent),
    ("stroke-width", Skip::AsParent),
    ("stroke-dasharray", Skip::AsParent),
    // The charts' lines set their caps and joins too (`.line` in app.css).
    ("stroke-linecap", Skip::AsParent),
    ("stroke-linejoin", Skip::AsParent),
    ("stroke-opacity", Skip::AsParent),
    ("fill-opacity", Skip::AsParent),
    ("opacity", Skip::Initial("1")),
    ("font-family", Skip::AsParent),
    ("font-size", Skip::AsParent),
    ("font-weight", Skip::AsParent),
    ("text-anchor", Skip::AsParent),
    // Inherited in CSS, but not in SVG 1.1, so older viewers may not pass it down.
    ("dominant-baseline", Skip::AsParentAndInitial("auto")),
    ("visibility", Skip::AsParent),
    ("display", Skip::Initial("inline")),
];

/// When a property's attribute is left out of the picture.
#[derive(Clone, Copy)]
enum Skip {
    /// An inherited property: when the parent shows the same value, it passes it down.
    AsParent,
    /// A property that is not inherited: when its value is the initial one.
    Initial(&'static str),
    /// A property viewers disagree about: only when both hold.
    AsParentAndInitial(&'static str),
}

/// A standalone SVG file of the chart `svg` as it is drawn now: a copy whose every element
/// carries its resolved colours, strokes and fonts as presentation attributes (the page's
/// stylesheet and CSS variables do not travel with the file), sized as on screen, on a
/// rectangle of the background behind the chart so it reads on a slide of any colour.
/// `None` if the browser gives no computed style or refuses the copy.
pub fn svg_picture(svg: &Element) -> Option<String> {
    let window = crate::window()?;
    let computed = |el: &Element| window.get_computed_style(el).ok().flatten();
    let copy: Element = svg.clone_node_with_deep(true).ok()?.dyn_into().ok()?;

    copy_look(&computed(svg)?, None, &copy);
    // Both lists are in document order of the same tree, so they pair element for element.
    let originals = svg.query_selector_all("*").ok()?;
    let copies = copy.query_selector_all("*").ok()?;
    for i in 0..originals.length().min(copies.length()) {
        let original: Option<Element> = originals.get(i).and_then(|n| n.dyn_into().ok());
        let copied: Option<Element> = copies.get(i).and_then(|n| n.dyn_into().ok());
        let (Some(original), Some(copied)) = (original, copied) else {
            continue;
        };
        let Some(style) = computed(&original) else {
            continue;
        };
        let parent = original.parent_element().and_then(|p| computed(&p));
        copy_look(&style, parent.as_ref(), &copied);
    }

    let rect = svg.get_bounding_client_rect();
    let (width, height) = (rect.width().round(), rect.height().round());
    copy.set_attribute("xmlns", SVG_NS).ok()?;
    copy.set_attribute("width", &sim::decimal::shortest(width))
        .ok()?;
    copy.set_attribute("height", &sim::decimal::shortest(height))
        .ok()?;

    // The background covers the viewBox, the picture's own coordinates, or the whole
    // picture when there is none.
    let document = svg.owner_document()?;
    let back = document.create_element_ns(Some(SVG_NS), "rect").ok()?;
    let view_box = svg.get_attribute("viewBox").unwrap_or_default();
    let mut numbers = view_box
        .split(|c: char| c == ',' || c.is_ascii_whitespace())
        .filter(|t| !t.is_empty());
    let (x, y) = match (numbers.next(), numbers.next()) {
        (Some(x), Some(y)) if x.parse::<f64>().is_ok() && y.parse::<f64>().is_ok() => (x, y),
        _ => ("0", "0"),
    };
    for (name, value) in [
        ("x", x),
        ("y", y),
        ("width", "100%"),
        ("height", "100%"),
        ("fill", &background_behind(svg, &computed)),
    ] {
        back.set_attribute(name, value).ok()?;
    }
    copy.insert_before(&back, copy.first_child().as_ref())
        .ok()?;

    // The HTML serializer writes a no-break space as `&nbsp;`, an entity XML does not know.
    let markup = copy.outer_html().replace("&nbsp;", "&#160;");
    Some(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{markup}\n"
    ))
}

/// Puts each property of [`LOOK`] from `style` onto `copy` as an attribute, unless the
/// picture would show the same without it (see [`Skip`]); `parent` is the computed style of
/// the original's parent, `None` for the chart's own `<svg>`, whose parent is not copied.
fn copy_look(style: &CssStyleDeclaration, parent: Option<&CssStyleDeclaration>, copy: &Element) {
    for &(name, skip) in LOOK {
        let Ok(value) = style.get_property_value(name) else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        let as_parent = || {
            parent
                .and_then(|p| p.get_property_value(name).ok())
                .is_some_and(|v| v == value)
        };
        let left_out = match skip {
            Skip::AsParent => as_parent(),
            Skip::Initial(initial) => value == initial,
            Skip::AsParentAndInitial(initial) => value == initial && as_parent(),
        };
        if !left_out {
            let _ = copy.set_attribute(name, &value);
        }
    }
}

/// The colour the chart is drawn on: the background of its nearest ancestor that paints
/// one, else white.
fn background_behind(
    svg: &Element,
    computed: &dyn Fn(&Element) -> Option<CssStyleDeclaration>,
) -> String {
    let mut at = Some(svg.clone());
    while let Some(el) = at {
        let colour = computed(&el)
            .and_then(|s| s.get_property_value("background-color").ok())
            .unwrap_or_default();
        // Computed colours are `rgb(…)`, or `rgba(…, 0)` when nothing is painted.
        let clear = colour.is_empty()
            || colour == "transparent"
            || colour.replace(' ', "").ends_with(",0)");
        if !clear {
            return colour;
        }
        at = el.parent_element();
    }
    "#ffffff".to_owned()
}

/// Reads the first file chosen in `input` as text and calls `done` with the text or with a
/// message saying why not: no file chosen, a file over [`IMPORT_BYTES_MAX`] (refused before
/// reading it), or a failed read. `done` is called exactly once, perhaps before this returns.
pub fn read_text_file(
    input: &web_sys::HtmlInputElement,
    done: impl FnOnce(Result<String, String>) + 'static,
) {
    let Some(file) = input.files().and_then(|list| list.get(0)) else {
        done(Err("No file was chosen.".to_owned()));
        return;
    };
    let bytes = file.size();
    if bytes > IMPORT_BYTES_MAX as f64 {
        done(Err(too_big_message(bytes as u64)));
        return;
    }
    let name = file.name();
    let failed = move || {
        format!(
            "The browser could not read the file \"{}\".",
            shorten(&name, 60)
        )
    };
    let reader = match web_sys::FileReader::new() {
        Ok(reader) => reader,
        Err(_) => return done(Err(failed())),
    };
    // `loadend` fires exactly once, after a load, an error or an abort, so one self-freeing
    // closure serves every outcome and nothing stays behind once it has run.
    let reader_in_handler = reader.clone();
    let on_end = Closure::once_into_js(move || {
        let text = reader_in_handler.result().ok().and_then(|v| v.as_string());
        match text {
            Some(text) if reader_in_handler.error().is_none() => done(Ok(text)),
            _ => done(Err(failed())),
        }
    });
    let on_end: js_sys::Function = on_end.unchecked_into();
    reader.set_onloadend(Some(&on_end));
    if reader.read_as_text(&file).is_err() {
        // The read never started, so `loadend` will not fire. Calling the handler ourselves
        // reports the failure (there is no result) and frees its closure.
        reader.set_onloadend(None);
        let _ = on_end.call0(&JsValue::NULL);
    }
}

/// Browser tests (wasm-bindgen-test in headless Chromium):
/// `cargo test --lib --target wasm32-unknown-unknown download`.
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn document() -> web_sys::Document {
        crate::window().unwrap().document().unwrap()
    }

    /// A chart-like SVG styled only by a stylesheet (as the page's charts are), inside a
    /// panel with a background, added to the page.
    fn styled_chart() -> (Element, Element) {
        let doc = document();
        let sheet = doc.create_element("style").unwrap();
        sheet.set_text_content(Some(
            ".t-panel { background-color: rgb(10, 20, 30); --ink: rgb(1, 2, 3); }
             .t-line { fill: none; stroke: var(--ink); stroke-width: 3; stroke-linecap: round; }
             .t-tick { fill: rgb(200, 100, 0); font-size: 10px; text-anchor: end; }
             .t-gone { display: none; }",
        ));
        doc.head().unwrap().append_child(&sheet).unwrap();
        let panel = doc.create_element("div").unwrap();
        panel.set_class_name("t-panel");
        panel.set_inner_html(
            "<svg viewBox=\"5 6 200 100\" width=\"400\" height=\"200\">\
               <g class=\"t-axis\"><text class=\"t-tick\" x=\"10\" y=\"10\">1\u{a0}000 &amp; &lt;</text></g>\
               <path class=\"t-line\" d=\"M0 0 L10 10\"/>\
               <circle class=\"t-gone\" r=\"2\"/>\
             </svg>",
        );
        doc.body().unwrap().append_child(&panel).unwrap();
        let svg = panel.query_selector("svg").unwrap().unwrap();
        (panel, svg)
    }

    #[wasm_bindgen_test]
    fn svg_picture_carries_the_drawn_look_as_attributes() {
        let (panel, svg) = styled_chart();
        let picture = svg_picture(&svg).unwrap();
        panel.remove();

        assert!(picture.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg"));
        assert!(
            picture.contains("xmlns=\"http://www.w3.org/2000/svg\""),
            "{picture}"
        );
        assert!(
            picture.contains("width=\"400\" height=\"200\""),
            "{picture}"
        );
        // The background rectangle comes first, covers the viewBox and has the panel's colour.
        let back =
            "<rect x=\"5\" y=\"6\" width=\"100%\" height=\"100%\" fill=\"rgb(10, 20, 30)\"></rect>";
        assert!(picture.contains(back), "{picture}");
        assert!(picture.find(back) < picture.find("<g"), "{picture}");
        // Stylesheet values, CSS variables resolved, became presentation attributes.
        assert!(picture.contains("stroke=\"rgb(1, 2, 3)\""), "{picture}");
        assert!(picture.contains("stroke-width=\"3px\""), "{picture}");
        assert!(picture.contains("stroke-linecap=\"round\""), "{picture}");
        assert!(picture.contains("fill=\"rgb(200, 100, 0)\""), "{picture}");
        assert!(picture.contains("text-anchor=\"end\""), "{picture}");
        assert!(picture.contains("display=\"none\""), "{picture}");
        // Under the page's CSP no style attribute may appear; and the file is XML.
        assert!(!picture.contains("style="), "{picture}");
        assert!(!picture.contains("&nbsp;"), "{picture}");
        assert!(picture.contains("1&#160;000 &amp; &lt;"), "{picture}");
        // The original is untouched.
        assert!(!svg.has_attribute("xmlns") && !svg.has_attribute("stroke"));
        assert_eq!(svg.children().length(), 3);
    }

    #[wasm_bindgen_test]
    fn save_text_leaves_nothing_behind() {
        let before = document().body().unwrap().child_element_count();
        save_text(
            "await-lab-test.csv",
            "text/csv;charset=utf-8",
            "a,b\r\n1,2\r\n",
        )
        .unwrap();
        assert_eq!(document().body().unwrap().child_element_count(), before);
    }

    /// A file input holding one file of `text`, as if the reader had chosen it.
    fn input_with(text: &str, name: &str) -> web_sys::HtmlInputElement {
        let input: web_sys::HtmlInputElement = document()
            .create_element("input")
            .unwrap()
            .dyn_into()
            .unwrap();
        input.set_type("file");
        let parts = js_sys::Array::of1(&JsValue::from_str(text));
        let file = web_sys::File::new_with_str_sequence(&parts, name).unwrap();
        let transfer = web_sys::DataTransfer::new().unwrap();
        transfer.items().add_with_file(&file).unwrap();
        input.set_files(transfer.files().as_ref());
        input
    }

    /// Reads `input` and waits for the answer.
    async fn read(input: &web_sys::HtmlInputElement) -> Result<String, String> {
        let got = std::rc::Rc::new(std::cell::RefCell::new(None));
        let sink = got.clone();
        read_text_file(input, move |r| *sink.borrow_mut() = Some(r));
        for _ in 0..200 {
            if let Some(r) = got.borrow_mut().take() {
                return r;
            }
            yew::platform::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        panic!("the file was never read");
    }

    #[wasm_bindgen_test]
    async fn read_text_file_reads_text_and_refuses_big_files() {
        let text = "{\"version\":1,\"seed\":7}\n\u{e9}";
        assert_eq!(
            read(&input_with(text, "mine.json")).await,
            Ok(text.to_owned())
        );
        let big = " ".repeat(IMPORT_BYTES_MAX + 1);
        assert_eq!(
            read(&input_with(&big, "big.json")).await,
            Err(too_big_message(big.len() as u64))
        );
    }

    #[wasm_bindgen_test]
    fn read_text_file_reports_no_file() {
        let input: web_sys::HtmlInputElement = document()
            .create_element("input")
            .unwrap()
            .dyn_into()
            .unwrap();
        input.set_type("file");
        let got = std::rc::Rc::new(std::cell::RefCell::new(None));
        let sink = got.clone();
        read_text_file(&input, move |r| *sink.borrow_mut() = Some(r));
        assert_eq!(*got.borrow(), Some(Err("No file was chosen.".to_owned())));
    }
}
