// "Exit this page" (templates/partials/exit.html), after the GOV.UK Design System's component.
// Without this script the button is a plain link. With it:
// - pressing the button hides this page at once and replaces it with the exit site, so the
//   back button does not return here (location.replace leaves no history entry);
// - pressing Shift three times within five seconds does the same, and screen readers hear how
//   many presses are left;
// - the button stays on screen as the page scrolls.
(function () {
  "use strict";
  var box = document.getElementById("exit-this-page");
  if (!box) return;
  var button = box.querySelector("a");
  if (!button) return;
  var PRESSES = 3;
  var WINDOW_MS = 5000;

  var status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("aria-live", "polite");
  box.appendChild(status);

  function exit(event) {
    if (event) event.preventDefault();
    // Cover the page first: someone looking over a shoulder sees nothing while the next page
    // loads.
    var overlay = document.createElement("div");
    overlay.className = "exit-this-page-overlay";
    overlay.setAttribute("role", "status");
    overlay.textContent = box.getAttribute("data-loading") || "";
    document.body.appendChild(overlay);
    document.title = box.getAttribute("data-loading") || "";
    window.location.replace(button.href);
  }

  button.addEventListener("click", exit);

  var count = 0;
  var timer = null;
  var otherKey = false;

  function reset(announce) {
    count = 0;
    if (timer) window.clearTimeout(timer);
    timer = null;
    if (announce) status.textContent = box.getAttribute("data-timed-out") || "";
  }

  document.addEventListener("keydown", function (event) {
    // Shift held for a capital letter is typing, not a request to leave.
    otherKey = event.key !== "Shift";
    if (otherKey && count > 0) reset(false);
  });

  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift" || otherKey) return;
    count += 1;
    if (count >= PRESSES) {
      reset(false);
      exit();
      return;
    }
    status.textContent =
      box.getAttribute(count === 1 ? "data-press-two" : "data-press-one") || "";
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () { reset(true); }, WINDOW_MS);
  });

  // Coming back to this page from the browser's cache (only possible when the exit site was
  // left by a history entry made elsewhere): no overlay left over.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    var left = document.querySelectorAll(".exit-this-page-overlay");
    for (var i = 0; i < left.length; i++) left[i].remove();
  });

  // Keep the button on screen once the header has scrolled away.
  var header = document.querySelector(".site-header");
  if (header && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      box.classList.toggle("is-fixed", !entries[0].isIntersecting);
    }).observe(header);
  }
})();
