// Runs before the wasm module. If the module cannot be fetched, compiled or started, the
// page would otherwise stay on "Loading…" forever; instead, show what went wrong.
(function () {
  "use strict";
  function started() {
    return document.documentElement.getAttribute("data-app-state") === "ready";
  }
  function fail(reason) {
    if (started()) return;
    var box = document.getElementById("fatal");
    var detail = document.getElementById("fatal-detail");
    if (!box) return;
    var text = "The simulation failed to load";
    if (reason) text += ": " + reason;
    text += ".";
    if (detail) detail.textContent = text; else box.textContent = text;
    box.hidden = false;
    var boot = document.getElementById("boot");
    if (boot) boot.hidden = true;
    document.documentElement.setAttribute("data-app-state", "failed");
  }
  function describe(value) {
    if (!value) return "";
    if (value.message) return String(value.message);
    return String(value);
  }
  window.addEventListener("unhandledrejection", function (event) {
    fail(describe(event.reason));
  });
  window.addEventListener("error", function (event) {
    // Resource errors (a missing .wasm or .js) reach here in the capture phase only.
    var target = event.target;
    if (target && target !== window && (target.src || target.href)) {
      fail("could not fetch " + (target.src || target.href));
    } else {
      fail(describe(event.error || event.message));
    }
  }, true);
  if (typeof WebAssembly !== "object") {
    document.addEventListener("DOMContentLoaded", function () {
      fail("this browser does not support WebAssembly");
    });
  }
})();
