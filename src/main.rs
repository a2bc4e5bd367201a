//! The browser entry point: everything lives in the library so tests can mount it too.

fn main() {
    await_lab::start();
}
