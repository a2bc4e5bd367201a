//! The page's links and files: the link format (`share`), what the page keeps in the
//! address and in storage (`persist`), the files it saves and opens (`export`,
//! `download`), and the `<await-lab>` element's attributes, which are links too (`element`).

pub mod download;
pub mod element;
pub mod export;
pub mod persist;
pub mod share;
