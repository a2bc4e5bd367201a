# The pinned versions of every tool the build and the tests use, in one place.
# wasm-bindgen's version is not here: it is read from Cargo.lock, so the CLI always matches
# the library the app links (Cargo.toml pins it with `=`).
TRUNK_VERSION="0.21.14"
# mdBook builds the documentation site that the custom element's end-to-end test embeds it in.
MDBOOK_VERSION="0.4.52"
# Debian package names of the browsers and the driver the tests run.
BROWSER_PACKAGES="chromium chromium-driver firefox-esr"
