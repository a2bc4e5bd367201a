//! The Await Lab engine.
