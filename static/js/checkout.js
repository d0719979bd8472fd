/* Checkout helpers. Everything works without this file; it only saves taps. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  /* Province → commune: load the chosen province's communes instead of reloading the page. */
  var form = document.querySelector("[data-address-form]");
  if (form) {
    var province = form.querySelector("[data-commune-source]");
    var commune = form.querySelector("select[name$='commune']");
    var url = form.getAttribute("data-communes-url");
    if (province && commune && url) {
      province.addEventListener("change", function () {
        var placeholder = commune.options[0];
        commune.length = 1;
        commune.disabled = true;
        if (!province.value) { commune.disabled = false; return; }
        fetch(url + "?province=" + encodeURIComponent(province.value), {credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (units) {
            units.forEach(function (unit) { commune.add(new Option(unit.name, unit.code)); });
          })
          .catch(function () { /* keep the no-JavaScript button as the fallback */ })
          .then(function () { commune.disabled = false; commune.value = placeholder.value; });
      });
    }
  }

  /* A second tap on "Place order" must not send the order twice. */
  document.querySelectorAll("form[data-once]").forEach(function (once) {
    once.addEventListener("submit", function (event) {
      if (once.dataset.sent) { event.preventDefault(); return; }
      once.dataset.sent = "1";
      once.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
})();
