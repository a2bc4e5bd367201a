//! The `<await-lab>` custom element's side in the wasm. `static/await-lab.js` defines the
//! element: it gives each one a shadow root, loads this module once for all of them, and
//! mounts an `App` per element through `element_mount::AwaitLabElement`, with the
//! element's attributes, whether it is in view, and where the Await Lab files live. This
//! module reads the attributes and writes the element's HTML for the Embed button.
//!
//! Attributes carry the same values as a link's parameters and are read by the same
//! decoder ([`crate::links::share`]), so a bad value gets the same message as a bad link, named
//! after the attribute.

use std::rc::Rc;

use crate::links::share::{decode_embed, decode_lenient, Embed, LinkState};
use crate::view::format::quote;

/// The attributes that carry a link's or an embed's parameter, as (attribute, parameter).
/// `observedAttributes` in `static/await-lab.js` lists these, plus `title` and `height`.
/// Every parameter of a link but its version has one, so any link can be an element.
pub const ATTRIBUTES: [(&str, &str); 14] = [
    ("chapter", "chapter"),
    ("run", "r"),
    ("preset", "p"),
    ("knob", "k"),
    ("seed", "seed"),
    ("ab", "ab"),
    ("t", "t"),
    ("step", "e"),
    ("follow", "f"),
    ("scenario", "s"),
    ("panels", "panels"),
    ("autoplay", "autoplay"),
    ("controls", "controls"),
    ("theme", "theme"),
];

/// The range of the `height` attribute, in CSS pixels.
pub const HEIGHT_PX_MIN: u32 = 120;
pub const HEIGHT_PX_MAX: u32 = 4000;

/// An element's attributes, read: the link they amount to, its embed options, the title
/// and height, and one sentence per problem.
#[derive(Clone, Debug, PartialEq)]
pub struct ElementSpec {
    pub link: LinkState,
    pub embed: Embed,
    /// The author's name for the embed, for its heading bar and screen readers.
    pub title: Option<String>,
    pub height_px: Option<u32>,
    pub problems: Vec<String>,
}

/// A decoder's message about parameter `key`, said about attribute `attribute` instead.
fn about_attribute(message: &str, key: &str, attribute: &str) -> String {
    message
        .replacen(
            &format!("The link's {key} parameter"),
            &format!("The <await-lab> element's {attribute} attribute"),
            1,
        )
        .replacen(
            "a link value cannot have",
            "an attribute value cannot have",
            1,
        )
        // A scenario's own problems name the link's s parameter in words of their own.
        .replacen(
            "The link's scenario (s) has a bad field: s.",
            &format!("The <await-lab> element's {attribute} attribute has a bad field: "),
            1,
        )
        .replacen(
            "The link's scenario (s)",
            &format!("The <await-lab> element's {attribute} attribute"),
            1,
        )
}

/// Reads `pairs` of (attribute, value), as the element has them (absent ones left out).
/// Whatever is valid is kept; each bad value is named in [`ElementSpec::problems`].
pub fn read_attributes(pairs: &[(String, String)]) -> ElementSpec {
    let mut problems = Vec::new();
    let mut query = String::from("embed=1");
    for (attribute, key) in ATTRIBUTES {
        let Some((_, value)) = pairs.iter().find(|(name, _)| name == attribute) else {
            continue;
        };
        let value = value.trim();
        // A character a link escapes would be misread inside the query (`&`, `=`, `%`);
        // such a value is no valid option anyway, so it is named here and left out.
        let plain = value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'));
        if !plain {
            problems.push(format!(
                "The <await-lab> element's {attribute} attribute {} has characters an \
                 attribute value cannot have: only letters, digits and - . _ ~ are allowed.",
                quote(value)
            ));
            continue;
        }
        query.push('&');
        query.push_str(key);
        query.push('=');
        query.push_str(value);
    }
    let key_to_attribute = |key: &str| {
        ATTRIBUTES
            .iter()
            .find(|(_, k)| *k == key)
            .map_or(key, |(a, _)| *a)
            .to_owned()
    };
    let (link, link_errors) = decode_lenient(&query);
    let (embed, embed_errors) = decode_embed(&query);
    for error in link_errors.iter().chain(&embed_errors) {
        let attribute = key_to_attribute(error.field);
        let mut message = about_attribute(&error.message, error.field, &attribute);
        if error.field == "theme" {
            // The loader reads `page` from the page before the value gets here.
            message = message.replacen(" or dark.", ", dark or page (the page's own colours).", 1);
        }
        problems.push(message);
    }
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_owned())
    };
    let title = value("title").filter(|t| !t.is_empty());
    let height_px = value("height").and_then(|v| {
        let px = v.strip_suffix("px").unwrap_or(&v);
        match px.parse::<u32>() {
            Ok(h) if (HEIGHT_PX_MIN..=HEIGHT_PX_MAX).contains(&h) => Some(h),
            _ => {
                problems.push(format!(
                    "The <await-lab> element's height attribute {} is not a height: it must \
                     be a whole number of CSS pixels from {HEIGHT_PX_MIN} to {HEIGHT_PX_MAX}, \
                     or be left out for the content's own height.",
                    quote(&v)
                ));
                None
            }
        }
    });
    ElementSpec {
        link,
        embed: embed.unwrap_or_default(),
        title,
        height_px,
        problems,
    }
}

/// The HTML that puts the view of `link` (a query from `share::encode`) with `embed`'s
/// options into a page as an `<await-lab>` element: the script from `files` (the address of
/// the Await Lab files, ending in `/`) and the element, its attributes in link order.
pub fn element_snippet(files: &str, link: &str, embed: &Embed, title: Option<&str>) -> String {
    use crate::view::format::html_text;
    let mut attributes = String::new();
    let mut add = |name: &str, value: &str| {
        attributes += &format!(" {name}=\"{}\"", html_text(value));
    };
    for pair in link.split('&') {
        let Some((key, value)) = pair.split_once('=') else {
            continue;
        };
        let key = if key == "ch" { "chapter" } else { key };
        if let Some((attribute, _)) = ATTRIBUTES.iter().find(|(_, k)| *k == key) {
            add(attribute, value);
        }
    }
    // The embed's options, as its own encoder writes them (defaults left out).
    for pair in embed.encode().split('&').skip(1) {
        if let Some((key, value)) = pair.split_once('=') {
            add(key, value);
        }
    }
    if let Some(title) = title {
        add("title", title);
    }
    format!(
        "<script src=\"{}await-lab.js\" defer></script>\n<await-lab{attributes}></await-lab>",
        html_text(files)
    )
}

/// What an [`App`](crate::App) mounted in an `<await-lab>` element knows about its place.
#[derive(Clone, Debug, PartialEq)]
pub struct ElementHost {
    /// The `<await-lab>` element: its `data-app-state` says when the view is ready.
    pub host: web_sys::Element,
    /// The element in its shadow root that the view is drawn into; theme, motion and the
    /// keyboard shortcuts live on it.
    pub root: web_sys::Element,
    /// The address of the Await Lab files (ending in `/`): the way to the full page.
    pub base: Rc<str>,
    pub spec: Rc<ElementSpec>,
    /// Whether any of it is in the viewport; out of view, a playing run pauses.
    pub in_view: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> ElementSpec {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(a, v)| (a.to_string(), v.to_string()))
            .collect();
        read_attributes(&owned)
    }

    #[test]
    fn attributes_read_as_the_link_they_stand_for() {
        let spec = read(&[
            ("chapter", "starvation"),
            ("run", "cooperative"),
            ("seed", "7"),
            ("panels", "stage-figures"),
            ("autoplay", "1"),
            ("theme", "dark"),
            ("title", "  Starvation, live "),
            ("height", "480"),
        ]);
        assert_eq!(spec.problems, Vec::<String>::new());
        let (link, errors) = decode_lenient("ch=starvation&r=cooperative&seed=7");
        assert!(errors.is_empty());
        assert_eq!(spec.link, link);
        assert!(spec.embed.autoplay && spec.embed.shows("figures"));
        assert_eq!(spec.embed.theme, crate::state::Theme::Dark);
        assert_eq!(spec.title.as_deref(), Some("Starvation, live"));
        assert_eq!(spec.height_px, Some(480));
        // No attributes: chapter 1's run, the default embed.
        let none = read(&[]);
        assert_eq!(none.link, LinkState::default());
        assert_eq!(none.embed, Embed::default());
    }

    #[test]
    fn any_link_makes_an_element_that_reads_back_as_the_same_link() {
        let link = "v=1&ch=starvation&r=cooperative&k=200&seed=7&ab=async&t=1500000&e=5120&f=3";
        let embed = Embed {
            panels: 0b00011,
            autoplay: true,
            ..Embed::default()
        };
        let html = element_snippet(
            "https://x.example/lab/",
            link,
            &embed,
            Some("Pool \"growth\""),
        );
        assert_eq!(
            html,
            "<script src=\"https://x.example/lab/await-lab.js\" defer></script>\n\
             <await-lab chapter=\"starvation\" run=\"cooperative\" knob=\"200\" seed=\"7\" \
             ab=\"async\" t=\"1500000\" step=\"5120\" follow=\"3\" panels=\"stage-figures\" \
             autoplay=\"1\" title=\"Pool &quot;growth&quot;\"></await-lab>"
        );
        // The attributes, read as the element reads them, are the link and the options.
        let pairs: Vec<(String, String)> = html
            .split(' ')
            .filter_map(|a| a.split_once("=\""))
            .map(|(k, v)| (k.to_owned(), v.split('"').next().unwrap().to_owned()))
            .filter(|(k, _)| k != "src" && k != "title")
            .collect();
        let spec = read_attributes(&pairs);
        assert_eq!(spec.problems, Vec::<String>::new());
        assert_eq!(spec.link, decode_lenient(link).0);
        assert_eq!(spec.embed, embed);
    }

    #[test]
    fn bad_attributes_are_named_as_attributes_and_the_rest_still_counts() {
        let spec = read(&[
            ("chapter", "13"),
            ("run", "nope"),
            ("preset", "fast"),
            ("seed", "a&b=c"),
            ("panels", "everything"),
            ("autoplay", "yes"),
            ("height", "tall"),
            ("theme", "dark"),
        ]);
        assert_eq!(
            spec.problems,
            [
                "The <await-lab> element's seed attribute \"a&b=c\" has characters an attribute \
                 value cannot have: only letters, digits and - . _ ~ are allowed.",
                "The <await-lab> element's chapter attribute \"13\" is not a chapter: it must be \
                 a number from 1 to 12 or a chapter name such as \"starvation\". Showing chapter \
                 1 instead.",
                "The <await-lab> element's preset attribute \"fast\" is not a preset: it must be \
                 one of blocking, async, sync-over-async, task-run-wrap, heavy-async, \
                 heavy-blocking.",
                "The <await-lab> element's run attribute \"nope\" is not a run of chapter 1 \
                 (they are blocking); another chapter's run is written chapter.run, as \
                 in starvation.result.",
                "The <await-lab> element's panels attribute \"everything\" is not a list of \
                 panels: it must be one or more of stage, figures, code, log, charts, joined \
                 by -.",
                "The <await-lab> element's autoplay attribute \"yes\" must be 1 (on) or 0 (off).",
                "The <await-lab> element's height attribute \"tall\" is not a height: it must be \
                 a whole number of CSS pixels from 120 to 4000, or be left out for the \
                 content's own height.",
            ]
        );
        // The valid one still counts.
        assert_eq!(spec.embed.theme, crate::state::Theme::Dark);
        assert_eq!(
            read(&[("theme", "blue")]).problems,
            [
                "The <await-lab> element's theme attribute \"blue\" must be system (the reader's \
              setting), light, dark or page (the page's own colours)."
            ]
        );
        // A scenario's bad fields are the attribute's, named without the link's `s.`
        // (the links' property test found them said about the link).
        let users0 = crate::links::share::base64url_encode(br#"{"version":1,"load":{"users":0}}"#);
        assert_eq!(
            read(&[("scenario", &users0)]).problems,
            [
                "The <await-lab> element's scenario attribute has a bad field: load.users = \
                 \"0\": must be between 1 and 100000."
            ]
        );
        let many: String = (0..30).map(|i| format!(",\"x{i}\":1")).collect();
        let many =
            crate::links::share::base64url_encode(format!("{{\"version\":1{many}}}").as_bytes());
        let problems = read(&[("scenario", &many)]).problems;
        assert_eq!(
            problems.last().map(String::as_str),
            Some("The <await-lab> element's scenario attribute has 20 more bad fields.")
        );
        assert_eq!(read(&[("height", "119")]).problems.len(), 1);
        assert_eq!(read(&[("height", "4000px")]).height_px, Some(4000));
    }
}
