//! The reducer's tests, by what they cover; `State::reduce` is tested natively.

mod ab_tests;
mod basics;
mod follow_tests;
mod knob_tests;
mod link_tests;
mod more_tests;
mod new_run_tests;
mod preference_tests;
