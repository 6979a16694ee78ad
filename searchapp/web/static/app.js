// Small niceties; every page works without them.
(function () {
  "use strict";
  const input = document.getElementById("q");
  document.addEventListener("keydown", function (e) {
    const tag = (e.target.tagName || "").toLowerCase();
    if (e.key === "/" && input && tag !== "input" && tag !== "textarea") {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
  if (!input) return;
  const list = document.getElementById("suggestions");
  const url = input.dataset.suggest;
  let timer = null, active = -1, lastQuery = "";

  function close() { list.hidden = true; list.textContent = ""; active = -1; }
  function choose(text) { input.value = text; close(); input.form.submit(); }
  function render(items) {
    list.textContent = "";
    items.forEach(function (text, i) {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "suggestion-" + i;
      li.textContent = text;           // text only: suggestions are never markup
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(text); });
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
    active = -1;
  }
  function fetchSuggestions() {
    const q = input.value.trim();
    if (!q || q === lastQuery) { if (!q) close(); return; }
    lastQuery = q;
    fetch(url + "?q=" + encodeURIComponent(q))
      .then(function (r) { return r.ok ? r.json() : [q, []]; })
      .then(function (data) { if (input.value.trim() === q) render(data[1] || []); })
      .catch(close);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  });
  input.addEventListener("keydown", function (e) {
    const items = list.querySelectorAll("li");
    if (list.hidden || !items.length) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      active = (active + (e.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === active); });
      input.setAttribute("aria-activedescendant", items[active].id);
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      choose(items[active].textContent);
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
