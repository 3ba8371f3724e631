// Switchboard console: live updates only. Every page works without this
// script; it refreshes the overview, and sends lab messages without a
// reload while showing tool calls as they are saved.
(function () {
  "use strict";
  function get(url) {
    return fetch(url, { headers: { "X-Console-Fetch": "1" }, credentials: "same-origin" }).then(function (r) {
      if (r.status === 401) { window.location.reload(); throw new Error("signed out"); }
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.text();
    });
  }

  // Overview: replace the live section every few seconds.
  var live = document.getElementById("live");
  if (live) {
    var every = parseInt(live.getAttribute("data-every"), 10) || 5000;
    setInterval(function () {
      if (document.hidden) { return; }
      get(live.getAttribute("data-live")).then(function (html) { live.innerHTML = html; }).catch(function () {});
    }, every);
  }

  // Lab: send with fetch, poll the transcript while the turn runs.
  var lab = document.getElementById("lab");
  var form = document.getElementById("composer");
  if (lab && form) {
    var text = form.querySelector("textarea");
    var button = form.querySelector("button");
    var scroll = function () { window.scrollTo(0, document.body.scrollHeight); };
    var refresh = function () {
      return get(lab.getAttribute("data-poll")).then(function (html) { lab.innerHTML = html; scroll(); });
    };
    scroll();
    text.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = new URLSearchParams(new FormData(form));
      var sent = text.value;
      text.value = "";
      button.disabled = true;
      var timer = setInterval(function () { refresh().catch(function () {}); }, 700);
      fetch(form.action, { method: "POST", body: body, headers: { "X-Console-Fetch": "1" }, credentials: "same-origin" })
        .then(function (r) {
          clearInterval(timer);
          button.disabled = false;
          if (r.redirected || r.ok) { return refresh(); }
          return r.text().then(function (html) {
            // The server answered with the page and its reason: show it.
            var doc = new DOMParser().parseFromString(html, "text/html");
            var alert = doc.querySelector(".alert");
            text.value = sent;
            window.alert(alert ? alert.textContent : "The message was not sent (HTTP " + r.status + ").");
            return refresh();
          });
        })
        .catch(function () { clearInterval(timer); button.disabled = false; text.value = sent; });
      setTimeout(function () { refresh().catch(function () {}); }, 150);
    });
  }
})();
