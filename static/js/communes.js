/* Province -> commune, wherever an address is asked for (checkout, the owner's profile, the
   Wagtail cooperative form): a province <select data-commune-source="<commune field name>">
   loads that province's communes from the URL in data-communes-url (on the select or its form)
   instead of sending the form back. Without this file the "show communes" button does it.
   Listens on the document, since the Wagtail admin may re-render fields after it has run. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");  /* CSS then hides the no-JavaScript button */

  function communeSelect(province) {
    var form = province.form;
    return form && form.querySelector(
      "select[name='" + province.getAttribute("data-commune-source") + "']"
    );
  }

  function load(province) {
    var form = province.form;
    var commune = communeSelect(province);
    var url = province.getAttribute("data-communes-url") ||
      (form && form.getAttribute("data-communes-url"));
    if (!commune || !url) { return; }
    var placeholder = commune.options[0];
    commune.length = 1;
    commune.value = placeholder.value;
    if (!province.value) { return; }
    commune.disabled = true;
    fetch(url + "?province=" + encodeURIComponent(province.value), {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (units) {
        units.forEach(function (unit) { commune.add(new Option(unit.name, unit.code)); });
      })
      .catch(function () { /* the list stays empty; the no-JavaScript button still works */ })
      .then(function () { commune.disabled = false; commune.value = placeholder.value; });
  }

  document.addEventListener("change", function (event) {
    var province = event.target;
    if (province.matches && province.matches("select[data-commune-source]")) { load(province); }
  });

  /* A province picked before this deferred file ran (a slow phone) still gets its communes. */
  document.querySelectorAll("select[data-commune-source]").forEach(function (province) {
    var commune = communeSelect(province);
    if (province.value && commune && commune.length <= 1) { load(province); }
  });
})();
