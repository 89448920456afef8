// The rest stations' "nearest" button: the browser is asked where the phone is only
// when the worker taps it, and the page reloads with ?lat=&lon= for the server to
// order the stations by distance. Nothing else is loaded or sent anywhere.
(function () {
  "use strict";
  var button = document.querySelector("[data-nearest]");
  if (!button) return;
  var note = document.querySelector("[data-nearest-note]");
  function failed() {
    if (note) note.textContent = button.getAttribute("data-nearest-failed");
    button.disabled = false;
  }
  if (!("geolocation" in navigator)) {
    button.hidden = true;
    return;
  }
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var url = new URL(button.getAttribute("data-nearest-url"), window.location.href);
        url.searchParams.set("lat", position.coords.latitude.toFixed(6));
        url.searchParams.set("lon", position.coords.longitude.toFixed(6));
        window.location.assign(url.toString());
      },
      failed,
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
