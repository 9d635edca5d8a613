// Kudos without leaving the page. Without JavaScript the form posts and the server redirects
// back. Guests' pages are cached whole and so carry no CSRF token: fetch one first.
(function () {
  "use strict";
  var form = document.getElementById("new_kudo");
  if (!form || !window.fetch) return;

  // A 429 (too many kudos, or too many requests from this address) says how long to wait.
  function Limited(message) { this.message = message; }

  function refuseIfLimited(response) {
    if (response.status !== 429) return response;
    var seconds = parseInt(response.headers.get("Retry-After"), 10);
    return response.json()
      .catch(function () { return {}; })
      .then(function (data) {
        var message = data.message || "Too many requests.";
        if (seconds > 0) message += " (Try again in " + seconds + " seconds.)";
        throw new Limited(message);
      });
  }

  function token() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (field && field.value) return Promise.resolve(field.value);
    return fetch(form.dataset.tokenUrl, { credentials: "same-origin" })
      .then(refuseIfLimited)
      .then(function (response) { return response.json(); })
      .then(function (data) { return data.token; });
  }

  function notice(message, ok) {
    var flash = document.getElementById("kudos_message");
    if (!flash) {
      flash = document.createElement("div");
      flash.id = "kudos_message";
      form.parentNode.insertBefore(flash, form);
    }
    flash.className = ok ? "flash notice" : "flash error";
    flash.textContent = message;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("[type=submit]");
    button.disabled = true;
    token()
      .then(function (csrf) {
        return fetch(form.action, {
          method: "POST",
          credentials: "same-origin",
          headers: {
            "X-CSRFToken": csrf,
            "X-Requested-With": "XMLHttpRequest",
            Accept: "application/json",
          },
          body: new FormData(form),
        });
      })
      .then(refuseIfLimited)
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.kudos_html !== undefined) {
          document.getElementById("kudos").innerHTML = data.kudos_html;
        }
        notice(data.message, data.ok);
      })
      .catch(function (error) {
        if (error instanceof Limited) {
          notice(error.message, false);
          return;
        }
        notice("Sorry, your kudos could not be sent. Please try again.", false);
      })
      .finally(function () { button.disabled = false; });
  });
})();
