// Search the pack offline, as you type. govpack writes the index at build
// time as scripts, not JSON, because browsers block fetch() on file://
// pages: search/index.js (the words, and per word the entries holding it)
// loads on first use of the search box; search/text-N.js (section texts,
// for snippets) load for the results shown. Words are runs of letters and
// digits, lower-cased, as generator/search.go splits them; every word of
// a query must match the start of a word of the entry.
(function () {
  "use strict";
  var form = document.querySelector("form.site-search");
  if (!form) return;
  var input = form.querySelector("input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var root = form.getAttribute("data-root") || "";
  // Every URL is built relative to the page: at the site root data-root is
  // empty, and "./" keeps a site path such as "javascript:x.html" a path,
  // never a scheme. A root that is not relative is not used.
  if (root === "" || !/^(\.\.\/)*$/.test(root)) root = "./";
  function siteURL(path) {
    return root + path;
  }
  var MAX_RESULTS = 20;
  var SNIPPET = 180; // characters around the first match

  var index = null; // {entries, words, postings, shard, decoded}
  var texts = {}; // shard number → section texts
  var requested = {}; // script path → true
  var results = []; // entry numbers shown
  var active = -1;
  var query = { tokens: [], marker: null };

  // Posting digits: five bits each, most significant first; the first 32
  // end a number, the last 32 continue it (see writeDelta in search.go).
  var DIGITS = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ-_.~!*";
  var digitValue = {};
  for (var d = 0; d < DIGITS.length; d++) digitValue[DIGITS.charAt(d)] = d;

  function load(path) {
    if (requested[path]) return;
    requested[path] = true;
    var script = document.createElement("script");
    script.src = siteURL(path);
    script.onerror = function () {
      requested[path] = false;
      status.textContent = "The search index could not be loaded.";
      form.classList.add("open");
    };
    document.head.appendChild(script);
  }

  window.govpackSearch = {
    index: function (data) {
      var entries = [];
      data.pages.forEach(function (p) {
        for (var i = 2; i < p.length; i += 2) {
          entries.push({ url: p[0] + (p[i] ? "#" + p[i] : ""), label: p[1], title: p[i + 1] });
        }
      });
      index = {
        entries: entries,
        words: data.words ? data.words.split(" ") : [],
        postings: data.postings.split(" "),
        shard: data.shard,
        decoded: {}
      };
      update();
    },
    text: function (n, list) {
      texts[n] = list;
      fillSnippets();
    }
  };

  function tokenize(s) {
    return s.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  }

  function postings(w) {
    var out = index.decoded[w];
    if (out) return out;
    out = [];
    var s = index.postings[w], v = 0, prev = -1;
    for (var i = 0; i < s.length; i++) {
      var x = digitValue[s.charAt(i)];
      v = v * 32 + (x & 31);
      if (x < 32) {
        prev += v;
        out.push(prev);
        v = 0;
      }
    }
    index.decoded[w] = out;
    return out;
  }

  // matcher marks the words a query matches: a token at the start of a word.
  function matcher(tokens) {
    var alts = tokens.slice().sort(function (a, b) { return b.length - a.length; })
      .map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return new RegExp("(?<![\\p{L}\\p{N}])(?:" + alts.join("|") + ")[\\p{L}\\p{N}]*", "giu");
  }

  function startsWithAny(words, tok) {
    for (var i = 0; i < words.length; i++) if (words[i].lastIndexOf(tok, 0) === 0) return true;
    return false;
  }

  // find returns the entries holding every token, best first: a token
  // matching a whole word counts more than a prefix, and one in the
  // section title or page label more than one in the text.
  function find(tokens) {
    var n = index.entries.length;
    var score = new Float64Array(n);
    var matched = new Uint8Array(n);
    tokens.forEach(function (tok, t) {
      var best = new Uint8Array(n);
      for (var w = 0; w < index.words.length; w++) {
        var word = index.words[w];
        if (word.lastIndexOf(tok, 0) !== 0) continue;
        var kind = word.length === tok.length ? 2 : 1;
        postings(w).forEach(function (e) { if (best[e] < kind) best[e] = kind; });
      }
      for (var e = 0; e < n; e++) {
        if (best[e] && matched[e] === t) {
          matched[e] = t + 1;
          score[e] += best[e];
        }
      }
    });
    var found = [];
    for (var e = 0; e < n; e++) {
      if (matched[e] !== tokens.length) continue;
      var entry = index.entries[e];
      entry.titleWords = entry.titleWords || tokenize(entry.title);
      entry.labelWords = entry.labelWords || tokenize(entry.label);
      tokens.forEach(function (tok) {
        if (startsWithAny(entry.titleWords, tok)) score[e] += 4;
        else if (startsWithAny(entry.labelWords, tok)) score[e] += 1;
      });
      found.push(e);
    }
    found.sort(function (a, b) { return score[b] - score[a] || a - b; });
    return found;
  }

  function appendMarked(el, text) {
    var re = query.marker, last = 0, m;
    re.lastIndex = 0;
    while ((m = re.exec(text)) !== null) {
      el.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      el.appendChild(mark);
      last = m.index + m[0].length;
    }
    el.appendChild(document.createTextNode(text.slice(last)));
  }

  // snippet cuts SNIPPET characters of text around its first match.
  function snippet(text) {
    var re = query.marker;
    re.lastIndex = 0;
    var m = re.exec(text);
    var at = m ? m.index : 0;
    var start = Math.max(0, at - SNIPPET / 3);
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    var end = Math.min(text.length, start + SNIPPET);
    if (end < text.length) end = text.lastIndexOf(" ", end) > at ? text.lastIndexOf(" ", end) : end;
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  function fillSnippets() {
    results.forEach(function (e, i) {
      var el = document.getElementById("search-result-" + i);
      var span = el && el.querySelector(".search-snippet");
      var shard = texts[Math.floor(e / index.shard)];
      if (!span || !shard || span.firstChild) return;
      var text = shard[e % index.shard];
      if (text) appendMarked(span, snippet(text));
    });
  }

  function update() {
    var tokens = tokenize(input.value);
    if (!index) return;
    if (tokens.join("").length < 2) {
      results = [];
      status.textContent = "";
      render();
      return;
    }
    query = { tokens: tokens, marker: matcher(tokens) };
    var found = find(tokens);
    results = found.slice(0, MAX_RESULTS);
    status.textContent = found.length === 0 ? "No results" :
      found.length === 1 ? "1 result" :
      found.length > results.length ? found.length + " results, " + results.length + " shown" :
      found.length + " results";
    render();
  }

  function render() {
    list.textContent = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    results.forEach(function (e, i) {
      var entry = index.entries[e];
      // The link is the option, so that nothing interactive sits inside one.
      var li = document.createElement("li");
      li.setAttribute("role", "none");
      var a = document.createElement("a");
      a.id = "search-result-" + i;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      a.href = siteURL(entry.url);
      a.tabIndex = -1;
      var title = document.createElement("span");
      title.className = "search-title";
      appendMarked(title, entry.title);
      a.appendChild(title);
      if (entry.label !== entry.title) {
        var label = document.createElement("span");
        label.className = "search-page";
        label.textContent = entry.label;
        a.appendChild(label);
      }
      var snip = document.createElement("span");
      snip.className = "search-snippet";
      a.appendChild(snip);
      a.addEventListener("click", close);
      li.appendChild(a);
      list.appendChild(li);
      load("search/text-" + Math.floor(e / index.shard) + ".js");
    });
    fillSnippets();
    var open = results.length > 0 || status.textContent !== "";
    list.hidden = results.length === 0;
    form.classList.toggle("open", open);
    input.setAttribute("aria-expanded", String(results.length > 0));
  }

  function select(i) {
    var items = list.querySelectorAll("[role=option]");
    if (items.length === 0) return;
    if (active >= 0) items[active].setAttribute("aria-selected", "false");
    active = (i + items.length) % items.length;
    items[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  function close() {
    list.hidden = true;
    form.classList.remove("open");
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  form.hidden = false;
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  input.addEventListener("focus", function () {
    load("search/index.js");
    if (results.length) render();
  });
  input.addEventListener("input", update);
  input.addEventListener("keydown", function (ev) {
    switch (ev.key) {
      case "ArrowDown":
      case "ArrowUp":
        ev.preventDefault();
        if (list.hidden && results.length) render();
        select(active + (ev.key === "ArrowDown" ? 1 : active < 0 ? 0 : -1));
        break;
      case "Enter":
        ev.preventDefault();
        var a = document.getElementById("search-result-" + Math.max(active, 0));
        if (a && !list.hidden) {
          close();
          window.location.href = a.href;
        }
        break;
      case "Escape":
        // A search box clears itself on Escape: first only close the list.
        ev.preventDefault();
        if (!list.hidden) {
          close();
        } else {
          input.value = "";
          update();
        }
        break;
    }
  });
  form.addEventListener("focusout", function (ev) {
    if (!form.contains(ev.relatedTarget)) close();
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
    ev.preventDefault();
    input.focus();
    input.select();
  });
})();
