// Comment forms on guests' cached pages carry no CSRF token: fetch one just before posting.
// Without script the post fails the token check and comes back with the text and a token
// (quire/csrf.py; the text only for a post from this site), so nothing typed is lost either way.
// The form's spam-trap fields (lib/spam.py) travel with it as they are. Past the request
// limit the token's fetch answers 429: the form stays, with the message, its text unsent.
(function () {
  "use strict";
  if (!window.fetch) return;

  function Limited(message, retryAfter) {
    this.message = message || "Too many requests.";
    this.seconds = parseInt(retryAfter, 10);
  }
  Limited.prototype.text = function () {
    return this.message + (this.seconds > 0 ? " (Try again in " + this.seconds + " seconds.)" : "");
  };

  function notice(form, message) {
    var flash = form.querySelector(".flash.error");
    if (!flash) {
      flash = document.createElement("p");
      flash.className = "flash error";
      flash.setAttribute("role", "alert");
      form.insertBefore(flash, form.firstChild);
    }
    flash.textContent = message;
  }

  document.querySelectorAll("form.new_comment[data-token-url]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.querySelector("input[name=csrfmiddlewaretoken]")) return;
      event.preventDefault();
      fetch(form.dataset.tokenUrl, { credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 429) {
            // Too many requests from this address: say so, and keep the text unsent.
            return response.json().catch(function () { return {}; }).then(function (data) {
              throw new Limited(data.message, response.headers.get("Retry-After"));
            });
          }
          return response.json();
        })
        .then(function (data) {
          var field = document.createElement("input");
          field.type = "hidden";
          field.name = "csrfmiddlewaretoken";
          field.value = data.token;
          form.appendChild(field);
          form.submit();
        })
        .catch(function (error) {
          if (error instanceof Limited) {
            notice(form, error.text());
            return;
          }
          form.submit();
        });
    });
  });
})();
