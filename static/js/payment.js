/* The payment page: copy buttons, the time left, and switching to "paid" by itself.
   Without this file the page still shows everything; a reload shows a payment that arrived. */
(function () {
  "use strict";
  var root = document.querySelector("[data-pay]");
  if (!root) { return; }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copy).then(function () {
        button.classList.add("is-copied");
        setTimeout(function () { button.classList.remove("is-copied"); }, 1500);
      });
    });
  });

  var deadline = document.querySelector("[data-seconds-left]");
  var countdown = document.querySelector("[data-countdown]");
  if (deadline && countdown) {
    var ends = Date.now() + 1000 * Number(deadline.dataset.secondsLeft);
    var tick = function () {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      countdown.textContent = "(" + minutes + ":" + (seconds < 10 ? "0" : "") + seconds + ")";
      if (left === 0) { clearInterval(timer); }
    };
    var timer = setInterval(tick, 1000);
    tick();
  }

  if (root.dataset.state !== "pending") { return; }
  var received = root.dataset.received;
  var poll = function () {
    fetch(root.dataset.statusUrl, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) { return; }
        if (status.paid) {
          clearInterval(poller);
          root.dataset.state = "paid";
          document.querySelectorAll("[data-pending-panel]").forEach(function (el) { el.hidden = true; });
          var paid = document.querySelector("[data-paid-panel]");
          paid.hidden = false;
          return;
        }
        if (status.status !== "pending" || String(status.amount_received) !== received) {
          clearInterval(poller);
          window.location.reload(); // partly paid or expired: the page redraws what is due
        }
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  };
  var poller = setInterval(poll, 3000);
})();
