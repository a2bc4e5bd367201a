//! The picture's request tokens, kept in the DOM by hand rather than by Yew.
//!
//! Measured in headless Chromium (chapter 8, two pictures, ~700 elements): letting Yew
//! rebuild and diff every token each frame cost about 11 ms of script per frame, twice
//! the rest of the page. Here a token's element is made once, its `transform` is written
//! only when its drawn place changes, and it is replaced only when its look changes (its
//! area, mark, size, number or being followed). Yew draws the rest of the picture and
//! leaves the children of the tokens' `<g>` alone, as it renders that group empty.

use std::collections::BTreeMap;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element};

use crate::view::stage_layout::{token_words, Area, Mark, Point, Token};
use sim::Outcome;

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// What a token's element was built for; any change builds a new element.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Look {
    area: Area,
    mark: Mark,
    r: i32,
    numbered: bool,
    followed: bool,
}

impl Look {
    fn of(t: &Token) -> Look {
        Look {
            area: t.area,
            mark: t.mark,
            r: t.r,
            numbered: t.numbered,
            followed: t.followed,
        }
    }
}

struct Drawn {
    el: Element,
    look: Look,
    at: Point,
}

/// The tokens now in the DOM, by request, and their order.
#[derive(Default)]
pub struct TokenLayer {
    parent: Option<Element>,
    drawn: BTreeMap<u64, Drawn>,
    order: Vec<u64>,
}

fn transform(at: Point) -> String {
    format!("translate({} {})", at.0, at.1)
}

fn make(doc: &Document, tag: &str, attrs: &[(&str, &str)]) -> Option<Element> {
    let el = doc.create_element_ns(Some(SVG_NS), tag).ok()?;
    for (k, v) in attrs {
        let _ = el.set_attribute(k, v);
    }
    Some(el)
}

/// A token's element: a dot is one circle (a request) or square (a continuation or a
/// `Task.Run` body); a numbered token is a group that can take the keyboard focus, with
/// its shape, its number, and for an answered one a mark of how it left.
fn build(doc: &Document, t: &Token, at: Point) -> Option<Element> {
    let r = t.r;
    let (rs, ds) = ((-r).to_string(), (2 * r).to_string());
    let request = t.request.to_string();
    let kind = t.mark.name();
    let square = matches!(t.mark, Mark::Continuation | Mark::TaskRunBody);
    if !t.numbered {
        let class = format!("token dot {kind}");
        let base = [
            ("class", class.as_str()),
            ("data-request", request.as_str()),
            ("data-area", t.area.name()),
            ("data-kind", kind),
        ];
        let el = if square {
            make(doc, "rect", &base)?
        } else {
            make(doc, "circle", &base)?
        };
        if square {
            for (k, v) in [("x", &rs), ("y", &rs), ("width", &ds), ("height", &ds)] {
                let _ = el.set_attribute(k, v);
            }
        } else {
            let _ = el.set_attribute("r", &r.to_string());
        }
        let _ = el.set_attribute("transform", &transform(at));
        return Some(el);
    }
    let class = if t.followed {
        format!("token numbered {kind} followed")
    } else {
        format!("token numbered {kind}")
    };
    let label = token_words(t);
    let g = make(
        doc,
        "g",
        &[
            ("class", class.as_str()),
            ("data-request", request.as_str()),
            ("data-area", t.area.name()),
            ("data-kind", kind),
            ("tabindex", "0"),
            ("role", "button"),
            ("aria-label", label.as_str()),
            ("aria-pressed", if t.followed { "true" } else { "false" }),
        ],
    )?;
    if t.followed {
        let _ = g.set_attribute("data-followed", "");
    }
    let _ = g.set_attribute("transform", &transform(at));
    if t.mark == Mark::Receipt {
        let s = r + 3;
        let (ss, ds2) = ((-s).to_string(), (2 * s).to_string());
        let card = make(
            doc,
            "rect",
            &[
                ("class", "receipt-card"),
                ("x", &ss),
                ("y", &ss),
                ("width", &ds2),
                ("height", &ds2),
                ("rx", "3"),
            ],
        )?;
        let _ = g.append_child(&card);
    }
    let shape = match t.mark {
        Mark::Continuation => make(
            doc,
            "path",
            &[
                ("class", "token-shape"),
                ("d", &format!("M0 {}L{r} 0L0 {r}L{} 0z", -r - 1, -r - 1)),
            ],
        )?,
        Mark::TaskRunBody => make(
            doc,
            "rect",
            &[
                ("class", "token-shape"),
                ("x", &rs),
                ("y", &rs),
                ("width", &ds),
                ("height", &ds),
                ("rx", "2"),
            ],
        )?,
        _ => make(
            doc,
            "circle",
            &[("class", "token-shape"), ("r", &r.to_string())],
        )?,
    };
    let _ = g.append_child(&shape);
    let digits = t.request.checked_ilog10().unwrap_or(0) + 1;
    let text = make(
        doc,
        "text",
        &[
            ("class", &format!("token-number d{}", digits.min(6))),
            ("y", "3"),
            ("text-anchor", "middle"),
        ],
    )?;
    text.set_text_content(Some(&request));
    let _ = g.append_child(&text);
    let outcome = match t.mark {
        Mark::Done(Outcome::Answered) => Some(("M5 -9l3 3l5 -6", "outcome ok")),
        Mark::Done(Outcome::Late) => Some(("M6 -12v6M6 -3v1", "outcome late")),
        Mark::Done(Outcome::Rejected) => Some(("M5 -12l6 6M11 -12l-6 6", "outcome no")),
        _ => None,
    };
    if let Some((d, class)) = outcome {
        let mark = make(doc, "path", &[("class", class), ("d", d)])?;
        let _ = g.append_child(&mark);
    }
    Some(g)
}

/// Calls `focus()` on an element (SVG elements have it, but web-sys binds it per type).
fn focus(el: &Element) {
    if let Ok(f) = js_sys::Reflect::get(el, &JsValue::from_str("focus")) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call0(el);
        }
    }
}

impl TokenLayer {
    /// Makes `parent`'s children the `tokens`, in order, each at its drawn place.
    pub fn sync(&mut self, parent: &Element, tokens: &[Token], at: &[Point]) {
        let fresh = !self
            .parent
            .as_ref()
            .is_some_and(|p| p.is_same_node(Some(parent)));
        if fresh {
            // A new group (the picture was drawn afresh): start over.
            *self = TokenLayer {
                parent: Some(parent.clone()),
                ..TokenLayer::default()
            };
        }
        let Some(doc) = parent.owner_document() else {
            return;
        };
        // A token with the keyboard focus keeps it, even when its element is replaced.
        let focused = doc.active_element().and_then(|a| {
            let request = a.get_attribute("data-request")?;
            parent
                .contains(Some(a.as_ref()))
                .then(|| request.parse::<u64>().ok())
                .flatten()
        });
        let mut kept = BTreeMap::new();
        // Requests whose element is new this time (not yet in the DOM).
        let mut built: Vec<u64> = Vec::new();
        for (t, &p) in tokens.iter().zip(at) {
            let look = Look::of(t);
            match self.drawn.remove(&t.request) {
                Some(mut d) if d.look == look => {
                    if d.at != p {
                        let _ = d.el.set_attribute("transform", &transform(p));
                        d.at = p;
                    }
                    kept.insert(t.request, d);
                }
                old => {
                    if let Some(old) = old {
                        old.el.remove();
                    }
                    if let Some(el) = build(&doc, t, p) {
                        kept.insert(t.request, Drawn { el, look, at: p });
                        built.push(t.request);
                    }
                }
            }
        }
        for d in std::mem::take(&mut self.drawn).into_values() {
            d.el.remove();
        }
        self.drawn = kept;
        // Put the elements in the tokens' order (the followed one last, on top). The
        // elements already in the DOM whose previous order agrees with the new one (the
        // longest such run) stay; only the others are moved or inserted, with no reading
        // of the DOM.
        let order: Vec<u64> = tokens.iter().map(|t| t.request).collect();
        // New elements are not in the DOM yet, so they are placed even when the order of
        // requests is unchanged (a token that changed area keeps its place in the order).
        if order != self.order || fresh || !built.is_empty() {
            let before: BTreeMap<u64, usize> = self
                .order
                .iter()
                .enumerate()
                .map(|(i, r)| (*r, i))
                .collect();
            let positions: Vec<Option<usize>> = order
                .iter()
                .map(|r| before.get(r).copied().filter(|_| !built.contains(r)))
                .collect();
            let stay = longest_increasing(&positions);
            let mut next: Option<Element> = None;
            for (i, id) in order.iter().enumerate().rev() {
                let Some(d) = self.drawn.get(id) else {
                    continue;
                };
                if !stay[i] {
                    let _ = parent.insert_before(&d.el, next.as_ref().map(|n| n.as_ref()));
                }
                next = Some(d.el.clone());
            }
            self.order = order;
        }
        if let Some(request) = focused {
            if let Some(d) = self.drawn.get(&request) {
                if !doc
                    .active_element()
                    .is_some_and(|a| a.is_same_node(Some(&d.el)))
                {
                    focus(&d.el);
                }
            }
        }
    }
}

/// Marks the entries that form a longest strictly increasing run of `positions` (entries
/// with no position never do): those elements are already in order and need not move.
fn longest_increasing(positions: &[Option<usize>]) -> Vec<bool> {
    // Patience sorting: tails[k] is the index of the smallest tail of a run of length k+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; positions.len()];
    for (i, p) in positions.iter().enumerate() {
        let Some(p) = *p else { continue };
        let k = tails.partition_point(|&t| positions[t].is_some_and(|q| q < p));
        prev[i] = k.checked_sub(1).map(|k| tails[k]);
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut stay = vec![false; positions.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        stay[i] = true;
        at = prev[i];
    }
    stay
}

#[cfg(test)]
mod tests {
    use super::longest_increasing;

    #[test]
    fn the_longest_run_in_order_stays() {
        let s = longest_increasing(&[Some(0), Some(3), Some(1), None, Some(2)]);
        assert_eq!(s, [true, false, true, false, true]);
        assert_eq!(longest_increasing(&[]), Vec::<bool>::new());
        assert_eq!(longest_increasing(&[None, None]), [false, false]);
        let s = longest_increasing(&[Some(4), Some(3), Some(2)]);
        assert_eq!(s.iter().filter(|x| **x).count(), 1);
    }
}
