/* Progressive enhancement only: every page works without it.
   A form marked data-submit-once disables its buttons right after it is sent, so a double click
   sends one request (the server is idempotent anyway), and the error summary takes the focus. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      // After the browser has read the clicked button's name and value.
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) {
          b.disabled = true;
          b.setAttribute("aria-disabled", "true");
        });
      }, 0);
    });
  });
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  // Coming back with the browser's back button must not leave the buttons disabled.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submit-once] button[disabled]").forEach(function (b) {
      b.disabled = false;
      b.removeAttribute("aria-disabled");
    });
  });
})();
