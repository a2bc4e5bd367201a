//! Turns the chapters' Markdown files (`src/curriculum/chapters/`) into the Rust constants
//! `src/curriculum/content.rs` includes, so the page ships static data and no Markdown or
//! TOML reader. A mistake in a chapter file stops the build with a message naming the
//! file, the line and what is allowed.

use std::path::Path;

#[allow(dead_code)]
#[path = "src/curriculum/names.rs"]
mod names;

#[allow(dead_code)]
#[path = "src/curriculum/chapter_files.rs"]
mod chapter_files;

fn main() {
    let dir = Path::new("src/curriculum/chapters");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed=src/curriculum/names.rs");
    println!("cargo:rerun-if-changed=crates/sim/src/names_macro.rs");
    println!("cargo:rerun-if-changed=src/curriculum/chapter_files.rs");
    let read = |path: &Path| {
        std::fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())))
    };
    let mut files = Vec::new();
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())));
    for entry in entries {
        let path = entry.unwrap_or_else(|e| fail(&e.to_string())).path();
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if name.ends_with(".md") {
            let text = read(&path);
            files.push((name, text));
        }
    }
    let sources = read(&dir.join("sources.toml"));
    let rust = chapter_files::generate(&sources, &files).unwrap_or_else(|e| fail(&e));
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("chapters.rs");
    std::fs::write(&out, rust).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
}

/// Stops the build with `message`; cargo shows it under the build script's output.
fn fail(message: &str) -> ! {
    eprintln!("error in a chapter file (src/curriculum/chapters/): {message}");
    std::process::exit(1)
}
