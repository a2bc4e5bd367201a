use std::cell::RefCell;
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

/// While `active`, calls `on_frame` once per display frame with the real milliseconds since
/// the previous frame. The pending frame is cancelled when `active` turns false or the
/// component unmounts (dropping an `AnimationFrame` cancels it).
#[hook]
pub fn use_animation_frames(active: bool, on_frame: Callback<u32>) {
    use_effect_with(active, move |&active| {
        let handle: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
        if active {
            schedule(handle.clone(), on_frame, None);
        }
        move || {
            handle.borrow_mut().take();
        }
    });
}

fn schedule(
    handle: Rc<RefCell<Option<AnimationFrame>>>,
    on_frame: Callback<u32>,
    previous_ms: Option<f64>,
) {
    let next = handle.clone();
    let frame = request_animation_frame(move |now_ms| {
        // The first frame has no previous one; count it as one 60 Hz frame.
        let elapsed = previous_ms.map_or(16.0, |p| (now_ms - p).max(0.0));
        on_frame.emit(elapsed.min(f64::from(u32::MAX)) as u32);
        // Only reschedule if the effect has not been cleaned up meanwhile.
        if next.borrow().is_some() {
            schedule(next, on_frame, Some(now_ms));
        }
    });
    *handle.borrow_mut() = Some(frame);
}
