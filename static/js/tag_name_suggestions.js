/* Tag name suggestions for the Sort and Filter sidebar's and the advanced search's
 * comma-separated tag name fields (input.tag-names).
 *
 * Progressive enhancement: without this script the fields are plain text inputs and the forms
 * work the same. With it, typing asks each URL in the field's data-autocomplete attribute
 * (/autocomplete/<type>) for names starting with the name being typed, and offers them in a
 * <datalist>; choosing one replaces the name being typed.
 */
(function () {
  "use strict";

  var DELAY_MS = 200;
  var LIMIT = 15;
  var SEPARATORS = /[,\uff0c\u3001]/;

  if (!window.fetch || !window.URLSearchParams || !window.Promise) {
    return;
  }

  function enhance(input) {
    var urls = (input.getAttribute("data-autocomplete") || "").split(/\s+/).filter(Boolean);
    if (!urls.length || !input.id) {
      return;
    }
    var list = document.createElement("datalist");
    list.id = input.id + "_suggestions";
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    var timer = null;
    var asked = "";

    function suggest() {
      var parts = input.value.split(SEPARATORS);
      var term = parts.pop().trim();
      var before = parts.map(function (part) { return part.trim(); }).filter(Boolean);
      if (term.length < 2 || term === asked) {
        return;
      }
      asked = term;
      var query = "?" + new URLSearchParams({ term: term }).toString();
      Promise.all(urls.map(function (url) {
        return fetch(url + query, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : []; })
          .catch(function () { return []; });
      })).then(function (answers) {
        if (asked !== term) {
          return;
        }
        var seen = {};
        list.textContent = "";
        answers.forEach(function (answer) {
          (Array.isArray(answer) ? answer : []).forEach(function (tag) {
            if (seen[tag.name] || Object.keys(seen).length >= LIMIT) {
              return;
            }
            seen[tag.name] = true;
            var option = document.createElement("option");
            option.value = before.concat([tag.name]).join(", ");
            option.label = tag.name;
            list.appendChild(option);
          });
        });
      });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, DELAY_MS);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input.tag-names"), enhance);
})();
