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

  // Calendar buttons beside the date boxes: a picked day fills the text box, which also
  // takes a year (2018) or a month (2018-03) typed by hand.
  document.querySelectorAll("input.date-picker[data-fills]").forEach(function (picker) {
    const box = document.getElementById(picker.dataset.fills);
    if (!box) return;
    picker.hidden = false;
    picker.addEventListener("change", function () { if (picker.value) box.value = picker.value; });
  });

  // The filters fold behind "筛选" only on a phone; browsers that cannot show a closed
  // <details>' content through CSS get it opened on wide screens.
  const filters = document.getElementById("filters");
  if (filters && window.matchMedia("(min-width: 761px)").matches) filters.open = true;

  // 复制引用, 复制地址: the text is on the page (a paragraph or a read-only box); the button copies it.
  document.querySelectorAll("button.copy-citation").forEach(function (button) {
    const source = document.getElementById(button.dataset.copies);
    const status = document.getElementById(button.dataset.status);
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      const text = source.tagName === "INPUT" ? source.value : source.textContent;
      navigator.clipboard.writeText(text.trim()).then(
        function () { status.textContent = "已复制"; },
        function () { status.textContent = "复制失败，请手动选择上面的文字"; });
    });
  });

  if (!input) return;
  const list = document.getElementById("suggestions");
  const url = input.dataset.suggest;
  let timer = null, active = -1, lastQuery = "";

  function close() {
    list.hidden = true; list.textContent = ""; active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function choose(text) { input.value = text; close(); input.form.submit(); }
  function render(items, descriptions) {
    list.textContent = "";
    items.forEach(function (text, i) {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.id = "suggestion-" + i;
      li.dataset.text = text;
      li.textContent = text;           // text only: suggestions are never markup
      if (descriptions[i]) {           // the title a document number belongs to
        const small = document.createElement("small");
        small.textContent = descriptions[i];
        li.appendChild(document.createTextNode(" "));
        li.appendChild(small);
      }
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(text); });
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function fetchSuggestions() {
    const q = input.value.trim();
    if (!q || q === lastQuery) { if (!q) close(); return; }
    lastQuery = q;
    fetch(url + "?q=" + encodeURIComponent(q))
      .then(function (r) { return r.ok ? r.json() : [q, []]; })
      .then(function (data) { if (input.value.trim() === q) render(data[1] || [], data[2] || []); })
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
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      choose(items[active].dataset.text);
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
