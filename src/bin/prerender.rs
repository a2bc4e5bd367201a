//! The build-time render (run by `scripts/post-build.sh` on release builds): writes the
//! page's first view into `index.html`, and one page per chapter beside it
//! (`<slug>.html`), from the same components the browser runs, so the words and the empty
//! stage show before the WebAssembly has arrived, and readers without scripts (and search
//! engines) get every chapter's text. The app replaces this markup with the same view when
//! it starts (`await_lab::start`).
//!
//! Usage: `prerender DIR` where `DIR` holds Trunk's `index.html`.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use await_lab::curriculum::content::{page_name, CHAPTERS};

    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "dist".into()));
    let shell = std::fs::read_to_string(dir.join("index.html")).unwrap_or_else(|e| {
        eprintln!(
            "prerender: cannot read {}: {e}",
            dir.join("index.html").display()
        );
        std::process::exit(1);
    });
    let shell = match Shell::parse(&shell) {
        Ok(shell) => shell,
        Err(why) => {
            eprintln!("prerender: {why}");
            std::process::exit(1);
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a single-threaded runtime");
    let mut total = 0;
    for (idx, chapter) in CHAPTERS.iter().enumerate() {
        await_lab::app::prerender_chapter(idx);
        let local = tokio::task::LocalSet::new();
        let body = local.block_on(&runtime, async {
            yew::LocalServerRenderer::<await_lab::App>::new()
                .hydratable(false)
                .render()
                .await
        });
        let page = shell.page(idx, chapter.title, chapter.claim, &body);
        let name = page_name(idx);
        std::fs::write(dir.join(&name), &page).unwrap_or_else(|e| {
            eprintln!("prerender: cannot write {name}: {e}");
            std::process::exit(1);
        });
        total += page.len();
    }
    println!(
        "prerender: {} pages, {total} bytes, in {}",
        CHAPTERS.len(),
        dir.display()
    );
}

/// Trunk's page, split around the app's empty root element.
#[cfg(not(target_arch = "wasm32"))]
struct Shell {
    head: String,
    tail: String,
}

#[cfg(not(target_arch = "wasm32"))]
impl Shell {
    fn parse(html: &str) -> Result<Shell, String> {
        // Trunk minifies release pages (`<div id=app></div>`); debug pages keep quotes.
        let root = ["<div id=app></div>", "<div id=\"app\"></div>"]
            .iter()
            .find_map(|r| html.find(r).map(|at| (at, r.len())))
            .ok_or("index.html has no empty <div id=app> to render into")?;
        let (head, rest) = html.split_at(root.0);
        let mut head = head.to_owned();
        // The loading line would sit above the drawn page and vanish when the app starts,
        // moving everything up: with the first view drawn it is not needed.
        if let Some(start) = head
            .find("<p class=boot id=boot>")
            .or_else(|| head.find("<p id=\"boot\" class=\"boot\">"))
        {
            if let Some(len) = head[start..].find("</p>") {
                head.replace_range(start..start + len + "</p>".len(), "");
            }
        }
        Ok(Shell {
            head,
            tail: rest[root.1..].to_owned(),
        })
    }

    /// One page: chapter `idx` drawn into the root, with its own title and description,
    /// and a `<noscript>` that says what needs scripts and links every chapter's page.
    fn page(&self, idx: usize, title: &str, claim: &str, body: &str) -> String {
        use await_lab::curriculum::content::{page_name, CHAPTERS};
        let mut head = self.head.clone();
        if idx > 0 {
            replace_between(
                &mut head,
                "<title>",
                "</title>",
                &format!("{} · Await Lab", await_lab::view::format::html_text(title)),
            );
        }
        set_description(&mut head, &await_lab::view::format::html_text(claim));
        let mut links = String::new();
        for (i, c) in CHAPTERS.iter().enumerate() {
            links.push_str(&format!(
                "<li><a href=\"{}\">{}</a></li>",
                page_name(i),
                await_lab::view::format::html_text(c.title)
            ));
        }
        let noscript = format!(
            "<noscript><div class=noscript><p>This page is the text of the chapter. The \
             simulation beside it runs in your browser and needs JavaScript and \
             WebAssembly; without them the picture stays at its first moment.</p>\
             <nav aria-label=\"Chapters (plain pages)\"><ol>{links}</ol></nav></div></noscript>"
        );
        replace_between_tags(&mut head, "<noscript>", "</noscript>", &noscript);
        format!(
            "{head}<div id=app data-prerendered>{body}</div>{}",
            self.tail
        )
    }
}

/// Sets the content of the page's `<meta name=description>`.
#[cfg(not(target_arch = "wasm32"))]
fn set_description(head: &mut String, text: &str) {
    let mut from = 0;
    while let Some(at) = head[from..].find("<meta").map(|i| i + from) {
        let Some(end) = head[at..].find('>').map(|i| i + at) else {
            return;
        };
        let tag = &head[at..end];
        if tag.contains("name=description") || tag.contains("name=\"description\"") {
            if let Some(c) = tag.find("content=\"") {
                let start = at + c + "content=\"".len();
                if let Some(len) = head[start..end].find('"') {
                    head.replace_range(start..start + len, text);
                }
            }
            return;
        }
        from = end;
    }
}

/// Replaces the text between `open` and `close` (both kept).
#[cfg(not(target_arch = "wasm32"))]
fn replace_between(s: &mut String, open: &str, close: &str, with: &str) {
    if let Some(at) = s.find(open) {
        let from = at + open.len();
        if let Some(len) = s[from..].find(close) {
            s.replace_range(from..from + len, with);
        }
    }
}

/// Replaces `open … close` (both included) with `with`.
#[cfg(not(target_arch = "wasm32"))]
fn replace_between_tags(s: &mut String, open: &str, close: &str, with: &str) {
    if let Some(at) = s.find(open) {
        if let Some(len) = s[at..].find(close) {
            s.replace_range(at..at + len + close.len(), with);
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
