/* The card check's camera reader: camera → canvas → jsQR → the code field → the form is
   sent. With htmx the answer replaces the last one above the form and the camera keeps
   looking, so a desk checks card after card; a card held in view is sent once, not
   again until another has been read or a few seconds have passed. Without a camera,
   without permission, or without this script, the page is the typed form. The reader
   (vendor/jsQR.js, 250 KB) is fetched only when the camera starts. */
(function () {
  "use strict";

  // The offer is a wrapper: the console's .button rule would outweigh [hidden] on the button.
  var offer = document.querySelector("[data-scan-offer]");
  var start = document.querySelector("[data-scan-start]");
  var form = document.querySelector("[data-scan-form]");
  if (!offer || !start || !form || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var camera = form.querySelector("[data-scan-camera]");
  var video = form.querySelector("[data-scan-video]");
  var canvas = form.querySelector("[data-scan-canvas]");
  var status = form.querySelector("[data-scan-status]");
  var field = form.querySelector("input[name=token]");
  var stream = null;
  var lastCode = null;
  var lastAt = 0;
  var SAME_CARD_AGAIN_MS = 30000;  // a card held in view is not checked twice
  offer.hidden = false;

  // After a check sent by htmx: an empty field for the next card.
  form.addEventListener("htmx:afterRequest", function () {
    field.value = "";
    if (!stream) {
      field.focus();
    }
  });

  function send(code) {
    var now = Date.now();
    if (code === lastCode && now - lastAt < SAME_CARD_AGAIN_MS) {
      return;
    }
    lastCode = code;
    lastAt = now;
    field.value = code;
    if (form.requestSubmit) {
      form.requestSubmit();  // through htmx, which answers in place
    } else {
      stop();
      form.submit();
    }
  }

  function say(message) {
    camera.hidden = false;
    status.textContent = message;
  }

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.hidden = true;
  }

  function unavailable() {
    stop();
    say(start.getAttribute("data-msg-denied"));
    offer.hidden = true;
    field.focus();
  }

  function loadReader(then) {
    if (window.jsQR) {
      then();
      return;
    }
    var script = document.createElement("script");
    script.src = start.getAttribute("data-reader");
    script.onload = then;
    script.onerror = unavailable;
    document.head.appendChild(script);
  }

  function look() {
    if (!stream) {
      return;
    }
    if (video.readyState === video.HAVE_ENOUGH_DATA && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var context = canvas.getContext("2d");
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, {
        inversionAttempts: "dontInvert"
      });
      if (found && found.data) {
        send(found.data);
      }
    }
    window.requestAnimationFrame(look);
  }

  start.addEventListener("click", function () {
    loadReader(function () {
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.width = Math.min(480, form.clientWidth || 320);
          video.hidden = false;
          say(start.getAttribute("data-msg-looking"));
          return video.play();
        })
        .then(function () { window.requestAnimationFrame(look); })
        .catch(unavailable);
    });
  });
})();
