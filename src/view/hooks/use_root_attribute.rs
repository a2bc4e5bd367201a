use yew::prelude::*;

/// Keeps attribute `name` equal to `value`, writing it only when the value changes: on the
/// page's `<html>` element, or on `target` (the root of an `<await-lab>` element's view, which
/// must leave the host page's `<html>` alone).
#[hook]
pub fn use_root_attribute(
    name: &'static str,
    value: &'static str,
    target: Option<web_sys::Element>,
) {
    use_effect_with((value, target), move |(value, target)| {
        let element = target.clone().or_else(|| {
            crate::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
        });
        if let Some(element) = element {
            let _ = element.set_attribute(name, value);
        }
    });
}
