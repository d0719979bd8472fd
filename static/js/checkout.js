/* Checkout helpers. Everything works without this file; it only saves taps.
   (Province -> commune is communes.js.) */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  /* A second tap on "Place order" must not send the order twice. */
  document.querySelectorAll("form[data-once]").forEach(function (once) {
    once.addEventListener("submit", function (event) {
      if (once.dataset.sent) { event.preventDefault(); return; }
      once.dataset.sent = "1";
      once.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
})();
