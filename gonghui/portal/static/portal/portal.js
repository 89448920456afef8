// The portal's only script, and every page works without it. Forms marked
// data-draft keep what is typed on the server (gonghui/portal/drafts.py): saved a
// second after each change, and put back into the empty fields when the page opens
// again after a dropped connection or a closed tab.
(function () {
  "use strict";

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "hidden" && el.type !== "file" &&
        el.type !== "submit" && el.type !== "button";
    });
  }

  function restore(form, url) {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (data) {
        fields(form).forEach(function (el) {
          var value = data[el.name];
          if (value === undefined) { return; }
          if (el.type === "checkbox" || el.type === "radio") {
            if (!form.querySelector("[name='" + el.name + "']:checked")) {
              el.checked = el.value === value;
            }
          } else if (!el.value) {
            el.value = value;
          }
        });
      })
      .catch(function () {});
  }

  function keep(form, url) {
    var timer = null;
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var body = new URLSearchParams();
        Array.prototype.forEach.call(form.elements, function (el) {
          if (!el.name || el.type === "file") { return; }
          if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
          body.append(el.name, el.value);
        });
        fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: body.toString()
        }).catch(function () {});
      }, 1000);
    });
  }

  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var url = form.getAttribute("data-draft-url");
    if (!url) { return; }
    restore(form, url);
    keep(form, url);
  });
})();
