// The <await-lab> custom element. A documentation page loads this one file, from wherever
// the Await Lab files are published, and writes <await-lab chapter="starvation"></await-lab>
// as often as it likes. Each element draws its own view of the simulation in a shadow root,
// with the Await Lab stylesheet inside it, so the page's theme and the view cannot reach
// each other. All elements share one download of the WebAssembly module, which is fetched
// only when the first element nears the viewport; an element runs only while in view.
//
// It is a classic script (what a plain <script src> tag in Markdown or a theme's head
// loads), and works as a module too. The build (scripts/element-loader.mjs) writes the
// content-hashed names of the module's files in place of the three names below.
(function () {
  "use strict";
  if (!window.customElements || customElements.get("await-lab")) return;

  var GLUE = "__AWAIT_LAB_GLUE__";
  var WASM = "__AWAIT_LAB_WASM__";
  var CSS = "__AWAIT_LAB_CSS__";
  // The attributes the element reads; src/links/element.rs reads the same, and names any
  // problem with their values inside the element.
  var ATTRIBUTES = ["chapter", "run", "preset", "knob", "seed", "ab", "t", "step", "follow",
    "scenario", "panels", "autoplay", "controls", "theme", "title", "height"];
  // The range of `height`, in CSS pixels, as src/links/element.rs checks it.
  var HEIGHT_MIN = 120;
  var HEIGHT_MAX = 4000;
  // Rough heights of the panels, for the space a view takes before it is drawn.
  var PANEL_HEIGHTS = { stage: 560, figures: 200, code: 360, log: 320, charts: 640 };

  // Where this file was loaded from: the module's files sit next to it. A module script
  // has no currentScript, so then the page's script tags are searched.
  function ownAddress() {
    var script = document.currentScript;
    if (script && script.src) return script.src;
    var tags = document.querySelectorAll("script[src]");
    for (var i = tags.length - 1; i >= 0; i--) {
      if (/\/await-lab\.js([?#].*)?$/.test(tags[i].src)) return tags[i].src;
    }
    return null;
  }
  var address = ownAddress();
  if (!address) {
    console.error("Await Lab: could not tell where await-lab.js was loaded from; load it with <script src=\"…/await-lab.js\">.");
    return;
  }
  var base = new URL(".", address).href;

  // The module, loaded once for every element on the page.
  var glue = null;
  function loadModule() {
    if (!glue) {
      if (typeof WebAssembly !== "object") {
        glue = Promise.reject(new Error("this browser does not support WebAssembly"));
      } else {
        glue = import(new URL(GLUE, base).href).then(function (bindings) {
          return bindings.default({ module_or_path: new URL(WASM, base).href }).then(function () {
            return bindings;
          });
        });
      }
    }
    return glue;
  }

  function describe(error) {
    if (!error) return "unknown error";
    return String(error.message || error);
  }

  // A valid `height` in CSS pixels, or null (the view's own height); a bad value is left
  // to the module, which names it.
  function heightPx(value) {
    var match = /^\s*(\d+)(px)?\s*$/.exec(value || "");
    if (!match) return null;
    var px = Number(match[1]);
    return px >= HEIGHT_MIN && px <= HEIGHT_MAX ? px : null;
  }

  // theme="page": light or dark after the colour behind the element, the first opaque
  // background among its ancestors, so the view follows a docs site's own theme switch
  // (mdBook's classes, Docusaurus's data-theme, Material's colour scheme) with no script
  // of the author's. Null when no ancestor paints one: then the reader's system decides.
  function pageTheme(el) {
    for (var node = el.parentElement; node; node = node.parentElement) {
      var rgba = /rgba?\(([^)]+)\)/.exec(getComputedStyle(node).backgroundColor);
      if (!rgba) continue;
      var c = rgba[1].split(/[\s,/]+/).map(Number);
      if (c.length > 3 && c[3] < 0.5) continue;
      // Relative luminance (WCAG), from sRGB.
      var lin = c.slice(0, 3).map(function (v) {
        v /= 255;
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
      });
      var luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
      return luminance < 0.18 ? "dark" : "light";
    }
    return null;
  }
  function followPage() {
    document.querySelectorAll("await-lab").forEach(function (el) {
      if (el._awaitLabFollow) el._awaitLabFollow();
    });
  }
  // A theme switch changes an attribute of <html> or <body>; a colour transition may
  // still run then, so the colour is read again once it has ended.
  var switches = new MutationObserver(function () {
    followPage();
    setTimeout(followPage, 500);
  });
  function watchSwitches() {
    var options = { attributes: true, attributeFilter: ["class", "style", "data-theme", "data-md-color-scheme"] };
    switches.observe(document.documentElement, options);
    if (document.body) switches.observe(document.body, options);
  }
  if (document.body) watchSwitches();
  else document.addEventListener("DOMContentLoaded", watchSwitches);
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", followPage);

  // One observer for when an element comes near (load and draw it) and one for when it is
  // in view (play); each element finds its own handler here.
  var near = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) entry.target._awaitLabNear();
    });
  }, { rootMargin: "400px 0px" });
  var seen = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      entry.target._awaitLabSeen(entry.isIntersecting);
    });
  });

  class AwaitLabElement extends HTMLElement {
    static get observedAttributes() {
      return ATTRIBUTES;
    }

    constructor() {
      super();
      this._view = null;
      this._mounting = false;
      this._inView = false;
    }

    connectedCallback() {
      if (!this.shadowRoot) this._build();
      this._applyHeight();
      if (!this._view && !this._mounting) this.setAttribute("data-app-state", "loading");
      near.observe(this);
      seen.observe(this);
    }

    disconnectedCallback() {
      // Moving an element disconnects and reconnects it at once: only an element that
      // stays out of the document (a docs site's client-side navigation, say) lets go of
      // its view and its run.
      var self = this;
      queueMicrotask(function () {
        if (self.isConnected) return;
        near.unobserve(self);
        seen.unobserve(self);
        if (self._view) {
          self._view.destroy();
          self._view = null;
          self._showPlaceholder();
        }
      });
    }

    attributeChangedCallback(name) {
      if (!this.shadowRoot) return;
      if (name === "height") this._applyHeight();
      if (this._view) this._view.update(this._attributes());
      else this._showPlaceholder();
    }

    // The shadow root: the stylesheet, and the view's root holding a box for a failure and
    // the box the view is drawn in (a placeholder until then).
    _build() {
      var shadow = this.attachShadow({ mode: "open" });
      var sheet = document.createElement("link");
      sheet.rel = "stylesheet";
      sheet.href = new URL(CSS, base).href;
      var self = this;
      this._styled = new Promise(function (done) {
        sheet.addEventListener("load", done);
        sheet.addEventListener("error", done);
      });
      this._fatal = document.createElement("div");
      this._fatal.className = "fatal";
      this._fatal.setAttribute("role", "alert");
      this._fatal.hidden = true;
      this._root = document.createElement("div");
      this._root.className = "al-root";
      // The host's title attribute names the view; it is not a tooltip over all of it.
      this._root.title = "";
      var theme = this._theme();
      this._root.setAttribute("data-theme", theme === "light" || theme === "dark" ? theme : "system");
      this._box = document.createElement("div");
      this._root.append(this._fatal, this._box);
      this._showPlaceholder();
      shadow.append(sheet, this._root);
    }

    _showPlaceholder() {
      this._box.replaceChildren(this._placeholder());
    }

    // What shows until the view is drawn: its name, in about the space the view will take.
    _placeholder() {
      var box = document.createElement("div");
      box.className = "al-wait";
      var panels = (this.getAttribute("panels") || "stage").split("-");
      var px = 40;
      panels.forEach(function (p) { px += PANEL_HEIGHTS[p] || 0; });
      if (heightPx(this.getAttribute("height")) === null) box.style.minHeight = Math.max(px, 240) + "px";
      var line = document.createElement("p");
      var name = document.createElement("strong");
      name.textContent = this.getAttribute("title") || "Await Lab";
      line.append(name, document.createTextNode(": the simulation starts when it is in view."));
      box.appendChild(line);
      return box;
    }

    _applyHeight() {
      var px = heightPx(this.getAttribute("height"));
      this.style.height = px === null ? "" : px + "px";
      if (this._root) this._root.classList.toggle("al-fixed", px !== null);
    }

    // The theme to draw in: the attribute's, with "page" read from the page now.
    _theme() {
      var theme = this.getAttribute("theme");
      if (theme !== null && theme.trim() === "page") return pageTheme(this) || "system";
      return theme;
    }

    _attributes() {
      var flat = [];
      for (var i = 0; i < ATTRIBUTES.length; i++) {
        var value = ATTRIBUTES[i] === "theme" ? this._theme() : this.getAttribute(ATTRIBUTES[i]);
        if (value !== null) flat.push(ATTRIBUTES[i], value);
      }
      return flat;
    }

    // The page's theme may have changed: a view that follows it draws in the new one.
    _awaitLabFollow() {
      if ((this.getAttribute("theme") || "").trim() !== "page") return;
      if (this._view) this._view.update(this._attributes());
      else if (this._root) this._root.setAttribute("data-theme", this._theme());
    }

    _awaitLabNear() {
      if (this._view || this._mounting) return;
      this._mounting = true;
      var self = this;
      Promise.all([loadModule(), this._styled]).then(function (loaded) {
        self._mounting = false;
        if (!self.isConnected || self._view) return;
        // The view replaces the placeholder.
        self._view = new loaded[0].AwaitLabElement(self, self._root, self._box, base, self._attributes(), self._inView);
      }).catch(function (error) {
        self._mounting = false;
        self._fatal.textContent = "Await Lab could not load: " + describe(error) + ".";
        self._fatal.hidden = false;
        self.setAttribute("data-app-state", "failed");
        console.error("Await Lab could not load:", error);
      });
    }

    _awaitLabSeen(inView) {
      this._inView = inView;
      if (this._view) this._view.setInView(inView);
    }
  }

  customElements.define("await-lab", AwaitLabElement);
})();
