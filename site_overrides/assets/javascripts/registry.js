/* The registry's browser code: index tables fed from the site's own JSON files (filter, sort,
   page), public-input windows marked against today's date, serial-number lookup, and search
   with Pagefind in Material's search box. No request leaves the site. */
(function () {
  "use strict";

  var script = document.currentScript;

  function text(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  /* A value as the pages print it: counts with thousands separators, yes/no, "—" for none. */
  function display(value, kind) {
    if (value === null || value === undefined || value === "") return "\u2014";
    if (value === true) return "yes";
    if (value === false) return "no";
    if (kind === "number" && typeof value === "number") return value.toLocaleString("en");
    return String(value);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function values(row, key) {
    var raw = text(row[key]);
    return raw.indexOf("; ") >= 0 ? raw.split("; ") : [raw];
  }

  function compare(a, b, numeric) {
    if (numeric) {
      var x = a === "" ? -Infinity : Number(a), y = b === "" ? -Infinity : Number(b);
      return x - y;
    }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  /* ------------------------------------------------------------------ index tables */

  function IndexTable(root) {
    this.root = root;
    this.columns = JSON.parse(root.getAttribute("data-columns"));
    this.filters = JSON.parse(root.getAttribute("data-filters"));
    this.base = root.getAttribute("data-base") || "";
    this.pageSize = Number(root.getAttribute("data-page-size") || 50);
    var sort = root.getAttribute("data-sort") || "";
    this.sortKey = sort.replace(/^-/, "");
    this.sortDesc = sort.charAt(0) === "-";
    this.page = 0;
    this.chosen = {};
    this.query = "";
    var self = this;
    fetch(root.getAttribute("data-source"))
      .then(function (r) { return r.json(); })
      .then(function (data) { self.rows = data.rows; self.build(); self.render(); })
      .catch(function (error) {
        console.error(error);  /* the browser tests fail on any console error */
        root.appendChild(el("p", { text: "The table could not be built from its data file." }));
      });
  }

  IndexTable.prototype.build = function () {
    var self = this;
    var controls = el("div", { class: "jcm-index__controls" });
    var search = el("input", { type: "search", class: "jcm-index__search",
      "aria-label": "Filter the rows by any text", placeholder: "Filter rows…" });
    search.addEventListener("input", function () { self.query = search.value.toLowerCase(); self.page = 0; self.render(); });
    controls.appendChild(el("label", { class: "jcm-index__control" }, [search]));
    this.filters.forEach(function (f) {
      var seen = {};
      self.rows.forEach(function (row) { values(row, f.key).forEach(function (v) { if (v !== "") seen[v] = true; }); });
      var options = Object.keys(seen).sort(function (a, b) { return compare(a, b, false); });
      var id = "f-" + f.key + "-" + Math.random().toString(36).slice(2, 8);
      var select = el("select", { id: id, "data-key": f.key });
      select.appendChild(el("option", { value: "", text: "All" }));
      options.forEach(function (v) { select.appendChild(el("option", { value: v, text: v })); });
      select.addEventListener("change", function () {
        self.chosen[f.key] = select.value; self.page = 0; self.render();
      });
      var preset = new URLSearchParams(window.location.search).get(f.key);
      if (preset && seen[preset]) { select.value = preset; self.chosen[f.key] = preset; }
      controls.appendChild(el("span", { class: "jcm-index__control" },
        [el("label", { for: id, text: f.label }), select]));
    });
    this.count = el("p", { class: "jcm-index__count", "aria-live": "polite" });
    var table = el("table");
    var head = el("tr");
    this.headers = {};
    this.columns.forEach(function (c) {
      var button = el("button", { type: "button", text: c.label });
      button.addEventListener("click", function () {
        if (self.sortKey === c.key) self.sortDesc = !self.sortDesc;
        else { self.sortKey = c.key; self.sortDesc = false; }
        self.render();
      });
      var th = el("th", { scope: "col" }, [button]);
      self.headers[c.key] = th;
      head.appendChild(th);
    });
    table.appendChild(el("thead", {}, [head]));
    this.body = el("tbody");
    table.appendChild(this.body);
    var pager = el("nav", { class: "jcm-index__pager", "aria-label": "Pages of the table" });
    this.prev = el("button", { type: "button", text: "Previous" });
    this.next = el("button", { type: "button", text: "Next" });
    this.where = el("span");
    this.prev.addEventListener("click", function () { self.page -= 1; self.render(); });
    this.next.addEventListener("click", function () { self.page += 1; self.render(); });
    pager.appendChild(this.prev); pager.appendChild(this.where); pager.appendChild(this.next);
    var wrap = el("div", { class: "md-typeset__scrollwrap jcm-index__table" }, [el("div", { class: "md-typeset__table" }, [table])]);
    this.root.appendChild(controls);
    this.root.appendChild(this.count);
    this.root.appendChild(wrap);
    this.root.appendChild(pager);
  };

  IndexTable.prototype.visible = function () {
    var self = this;
    return this.rows.filter(function (row) {
      for (var key in self.chosen) {
        if (self.chosen[key] && values(row, key).indexOf(self.chosen[key]) < 0) return false;
      }
      if (self.query) {
        var hay = self.columns.map(function (c) { return text(row[c.key]); }).join(" ").toLowerCase();
        if (hay.indexOf(self.query) < 0) return false;
      }
      return true;
    });
  };

  IndexTable.prototype.render = function () {
    var self = this;
    var rows = this.visible();
    var column = this.columns.filter(function (c) { return c.key === self.sortKey; })[0];
    var numeric = column && (column.kind === "number" || column.kind === "serial");
    rows.sort(function (a, b) {
      var order = compare(text(a[self.sortKey]), text(b[self.sortKey]), numeric);
      return self.sortDesc ? -order : order;
    });
    var pages = Math.max(1, Math.ceil(rows.length / this.pageSize));
    this.page = Math.min(Math.max(0, this.page), pages - 1);
    var shown = rows.slice(this.page * this.pageSize, (this.page + 1) * this.pageSize);
    this.body.textContent = "";
    shown.forEach(function (row) {
      var tr = el("tr");
      self.columns.forEach(function (c) {
        var value = display(row[c.key], c.kind);
        var td = el("td", c.kind === "number" || c.kind === "serial" ? { class: "jcm-num" } : {});
        if (c.kind === "link" && row.href) td.appendChild(el("a", { href: self.base + row.href, text: value }));
        else if (c.kind === "window") td.appendChild(el("span", { class: "jcm-window", "data-start": text(row.start), "data-end": text(row.end), text: value }));
        else td.textContent = value;
        tr.appendChild(td);
      });
      self.body.appendChild(tr);
    });
    Object.keys(this.headers).forEach(function (key) {
      var th = self.headers[key];
      if (key === self.sortKey) th.setAttribute("aria-sort", self.sortDesc ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
    this.count.textContent = rows.length + " of " + this.rows.length + " rows";
    this.where.textContent = " page " + (this.page + 1) + " of " + pages + " ";
    markWindows(this.root);
    this.prev.disabled = this.page === 0;
    this.next.disabled = this.page >= pages - 1;
    this.root.setAttribute("data-shown", String(shown.length));
    this.root.setAttribute("data-matching", String(rows.length));
  };

  /* ------------------------------------------------------------------ public-input windows */

  function markWindows(scope) {
    var today = new Date().toISOString().slice(0, 10);
    (scope || document).querySelectorAll(".jcm-window").forEach(function (span) {
      var start = span.getAttribute("data-start"), end = span.getAttribute("data-end");
      var state = today < start ? "upcoming" : today > end ? "closed" : "open";
      span.textContent = state === "open" ? "open today" : state === "closed" ? "closed" : "not yet open";
      span.className = "jcm-window jcm-window--" + state;
    });
  }

  /* ------------------------------------------------------------------ serial lookup */

  function serialLookup(form) {
    var output = form.querySelector("output");
    var base = form.getAttribute("data-base") || "";
    var blocks = null;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var registry = form.elements.registry.value;
      var serial = Number(form.elements.serial.value);
      function answer() {
        var hit = blocks.filter(function (b) {
          return b.registry === registry && b.start <= serial && serial <= b.end;
        })[0];
        output.textContent = "";
        if (!hit) { output.textContent = "No recorded serial block of this registry holds " + serial + "."; return; }
        output.appendChild(document.createTextNode("Serial " + serial + " is in the block " + hit.start + "–" + hit.end +
          " issued " + text(hit.issued_on) + " to " + text(hit.account_holder) + " for "));
        output.appendChild(el("a", { href: base + hit.href, text: hit.project }));
        output.appendChild(document.createTextNode("."));
      }
      if (blocks) { answer(); return; }
      fetch(form.getAttribute("data-source")).then(function (r) { return r.json(); })
        .then(function (data) { blocks = data.blocks; answer(); });
    });
  }

  /* ------------------------------------------------------------------ search (Pagefind) */

  /* Pagefind's excerpt is text with <mark> around the hits. It is rebuilt from text nodes and
     <mark> elements only: whatever else it holds stays text. */
  function excerptNode(excerpt) {
    var p = el("p");
    var decoder = document.createElement("textarea");
    excerpt.split(/(<\/?mark>)/).reduce(function (marked, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      decoder.innerHTML = part; /* RCDATA: entities decoded, no element created */
      var node = document.createTextNode(decoder.value);
      if (marked) p.appendChild(el("mark", {}, [node])); else p.appendChild(node);
      return marked;
    }, false);
    return p;
  }

  function setupSearch() {
    var box = document.querySelector("[data-jcm-search]");
    if (!box || !script) return;
    var input = box.querySelector("[data-jcm-search-query]");
    var list = box.querySelector("[data-jcm-search-results]");
    var meta = box.querySelector("[data-jcm-search-meta]");
    var toggle = document.getElementById("__search");
    var engine = null, timer = null, serial = 0;
    function load() {
      /* import() needs a URL, not a bare relative path: resolve it against the page */
      if (!engine) {
        engine = import(new URL(script.getAttribute("data-pagefind"), document.baseURI).href)
          .then(function (pagefind) {
            /* result URLs relative to where the site is served (it may live in a subfolder) */
            var root = new URL(script.getAttribute("data-root") + "/", document.baseURI).pathname;
            return Promise.resolve(pagefind.options({ baseUrl: root })).then(function () { return pagefind; });
          });
      }
      return engine;
    }
    input.addEventListener("focus", function () { if (toggle) toggle.checked = true; load(); });
    box.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); });
    box.querySelector("button[type=reset]").addEventListener("click", function () {
      list.textContent = ""; meta.textContent = "Type to search the registry";
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    function run() {
      var query = input.value.trim();
      var mine = ++serial;
      if (!query) { list.textContent = ""; meta.textContent = "Type to search the registry"; return; }
      load().then(function (pagefind) { return pagefind.search(query); })
        .then(function (search) {
          if (mine !== serial) return;
          var results = search.results.slice(0, 10);
          return Promise.all(results.map(function (r) { return r.data(); })).then(function (items) {
            if (mine !== serial) return;
            list.textContent = "";
            meta.textContent = search.results.length === 0 ? "No matching record"
              : search.results.length + " matching page" + (search.results.length === 1 ? "" : "s");
            items.forEach(function (item) {
              var link = el("a", { href: item.url, class: "md-search-result__link", tabindex: "-1" });
              var article = el("article", { class: "md-search-result__article md-typeset" });
              article.appendChild(el("h2", { text: (item.meta && item.meta.title) || item.url }));
              article.appendChild(excerptNode(item.excerpt || ""));
              link.appendChild(article);
              list.appendChild(el("li", { class: "md-search-result__item" }, [link]));
            });
          });
        })
        .catch(function () { meta.textContent = "Search is not available on this copy of the site"; });
    }
  }

  /* Tables wider than the screen scroll inside their wrapper: make that region reachable
     with the keyboard (WCAG: scrollable regions must be focusable). */
  function focusableScrollers() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
    });
  }

  function start() {
    document.querySelectorAll(".jcm-index").forEach(function (root) { new IndexTable(root); });
    document.querySelectorAll("form.jcm-serial").forEach(serialLookup);
    markWindows();
    setupSearch();
    focusableScrollers();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
