/* The console's few behaviours, read from data- attributes, so that no page carries
   inline script (the Content-Security-Policy allows scripts from this site only). */
(function () {
  "use strict";

  // <form data-confirm="…">: sent only once the person confirms.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-action]") : null;
    if (!target) {
      return;
    }
    var action = target.getAttribute("data-action");
    if (action === "toggle-nav") {
      document.body.classList.toggle("nav-open");
    } else if (action === "print") {
      window.print();
    } else if (action === "back") {
      event.preventDefault();
      window.history.back();
    } else if (action === "select-all") {
      // <input type=checkbox data-action="select-all" data-select="css selector">
      document.querySelectorAll(target.getAttribute("data-select")).forEach(function (box) {
        box.checked = target.checked;
      });
    }
  });

  // <select data-autosubmit>: choosing sends its form.
  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-autosubmit")) {
      event.target.form.submit();
    }
  });
})();
