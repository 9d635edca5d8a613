/* Tag suggestions for the posting form's comma-separated tag fields.
 *
 * Progressive enhancement: without this script (or without fetch) the fields are plain text
 * inputs and the form works as before. With it, each field the form names in a
 * data-autocomplete-<field> attribute becomes an ARIA 1.2 combobox: typing asks
 * /autocomplete/<type>?term=<the name being typed> (characters and relationships also send
 * the fandoms typed so far), and the suggestions form a listbox driven by the arrow keys,
 * Enter and Escape, or the mouse. Choosing one replaces the name being typed and adds ", ".
 */
(function () {
  "use strict";

  var FIELDS = ["fandoms", "relationships", "characters", "freeforms"];
  var NARROWED = { relationships: true, characters: true };
  var SEPARATORS = /[,\uff0c\u3001]/;
  var DELAY_MS = 150;

  var form = document.getElementById("work-form");
  if (!form || !window.fetch || !window.URLSearchParams) {
    return;
  }

  function dataKey(field) {
    return "autocomplete" + field.charAt(0).toUpperCase() + field.slice(1);
  }

  function segments(value) {
    return value.split(SEPARATORS);
  }

  function currentTerm(value) {
    var parts = segments(value);
    return parts[parts.length - 1].trim();
  }

  function typedBefore(value) {
    var parts = segments(value);
    parts.pop();
    return parts.map(function (part) { return part.trim().toLowerCase(); });
  }

  function enhance(field, url) {
    var input = form.elements[field];
    if (!input || input.tagName !== "INPUT") {
      return;
    }
    var listId = input.id + "_suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "autocomplete suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggested tags");
    list.hidden = true;
    var status = document.createElement("span");
    status.className = "landmark";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var timer = null;
    var pending = null;
    var active = -1;
    var cache = new Map();

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var items = options();
      if (!items.length) {
        return;
      }
      active = (index + items.length) % items.length;
      items.forEach(function (item, position) {
        item.setAttribute("aria-selected", position === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function choose(name) {
      var parts = segments(input.value);
      parts.pop();
      var kept = parts.map(function (part) { return part.trim(); }).filter(Boolean);
      kept.push(name);
      input.value = kept.join(", ") + ", ";
      close();
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    }

    function show(suggestions) {
      var already = typedBefore(input.value);
      suggestions = suggestions.filter(function (tag) {
        return already.indexOf(tag.name.toLowerCase()) === -1;
      });
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      suggestions.forEach(function (tag, index) {
        var item = document.createElement("li");
        item.id = listId + "_" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = tag.name;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the field
          choose(tag.name);
        });
        list.appendChild(item);
      });
      var open = suggestions.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = open
        ? suggestions.length + (suggestions.length === 1 ? " suggestion" : " suggestions")
        : "";
    }

    function lookup() {
      var term = currentTerm(input.value);
      if (!term) {
        close();
        return;
      }
      var params = new URLSearchParams({ term: term });
      if (NARROWED[field] && form.elements.fandoms && form.elements.fandoms.value.trim()) {
        params.set("fandoms", form.elements.fandoms.value);
      }
      var address = url + "?" + params.toString();
      if (cache.has(address)) {
        show(cache.get(address));
        return;
      }
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      fetch(address, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (suggestions) {
          cache.set(address, suggestions);
          // Only if the field still asks for this term.
          if (currentTerm(input.value) === term && document.activeElement === input) {
            show(suggestions);
          }
        })
        .catch(function () { /* aborted or offline: the field still works as plain text */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        if (open) {
          highlight(active + 1);
        } else {
          lookup();
        }
        event.preventDefault();
      } else if (event.key === "ArrowUp" && open) {
        highlight(active - 1);
        event.preventDefault();
      } else if (event.key === "Enter" && open && active >= 0) {
        // Choose the suggestion rather than submit the form.
        event.preventDefault();
        choose(options()[active].textContent);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", function () {
      clearTimeout(timer);
      close();
    });
  }

  FIELDS.forEach(function (field) {
    var url = form.dataset[dataKey(field)];
    if (url) {
      enhance(field, url);
    }
  });
})();
