//! One component per file; each takes small props and renders what it is given.

mod chapter_nav;
mod controls;
mod glyph;
mod header;
mod intro;
mod lesson_panel;
mod stage_region;

pub use chapter_nav::ChapterNav;
pub use controls::Controls;
pub use glyph::{state_name, Glyph};
pub use header::Header;
pub use intro::Intro;
pub use lesson_panel::LessonPanel;
pub use stage_region::{doing_words, StageRegion};
