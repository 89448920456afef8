// A study article's reading beacon (gonghui/study/portal_views.py): while the page is
// visible it posts the seconds spent at most every 15 s, and "finished" once the end
// of the article has been on screen. Without this script only the opening is recorded.
(function () {
  "use strict";

  var form = document.querySelector("form[data-study-beacon]");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("action");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var INTERVAL = 15000;
  var since = document.visibilityState === "visible" ? Date.now() : null;
  var finished = false;
  var sentFinished = false;

  function send() {
    var seconds = 0;
    if (since !== null) {
      seconds = Math.round((Date.now() - since) / 1000);
      since = document.visibilityState === "visible" ? Date.now() : null;
    }
    var reportFinished = finished && !sentFinished;
    if (seconds <= 0 && !reportFinished) { return; }
    var body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", token ? token.value : "");
    body.append("seconds", String(seconds));
    if (reportFinished) { body.append("finished", "1"); sentFinished = true; }
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    }).catch(function () {});
  }

  setInterval(function () {
    if (document.visibilityState === "visible") { send(); }
  }, INTERVAL);

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      since = Date.now();
    } else {
      send();
      since = null;
    }
  });

  var end = document.querySelector("[data-study-end]");
  if (end && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries, observer) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          finished = true;
          observer.disconnect();
          send();
        }
      });
    }).observe(end);
  }
})();
