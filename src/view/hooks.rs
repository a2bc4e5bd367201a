//! Custom hooks: browser plumbing kept out of components.

mod use_animation_frames;
mod use_fragment_tab;
mod use_in_view;
mod use_key_shortcuts;
mod use_root_attribute;

pub use use_animation_frames::use_animation_frames;
pub use use_fragment_tab::use_fragment_tab;
pub use use_in_view::use_in_view;
pub use use_key_shortcuts::use_key_shortcuts;
pub use use_root_attribute::use_root_attribute;
