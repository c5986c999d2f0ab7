// govpack default theme: small enhancements over pages that work without
// JavaScript — the theme toggle, copying heading links, dismissing
// glossary tooltips, the matrix filters and the folding navigation.
(function () {
  "use strict";
  var root = document.documentElement;

  // Theme: the system setting unless the reader chose; the choice is kept
  // in localStorage and applied before first paint by the page's head.
  var toggle = document.querySelector(".theme-toggle");
  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  function theme() {
    return root.getAttribute("data-theme") || (systemDark.matches ? "dark" : "light");
  }
  function syncToggle() {
    if (toggle) toggle.setAttribute("aria-pressed", theme() === "dark" ? "true" : "false");
  }
  if (toggle) {
    toggle.addEventListener("click", function () {
      var next = theme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("govpack-theme", next); } catch (e) { /* private mode: this page only */ }
      syncToggle();
    });
    systemDark.addEventListener("change", syncToggle);
    syncToggle();
  }

  // Heading links: a plain link to the section; clicking also copies its
  // URL, so "Article 7.2" can be pasted into an e-mail.
  var status = document.createElement("div");
  status.className = "copy-status";
  status.setAttribute("role", "status");
  document.body.appendChild(status);
  var statusTimer;
  function announce(text) {
    status.textContent = text;
    status.classList.add("shown");
    clearTimeout(statusTimer);
    statusTimer = setTimeout(function () { status.classList.remove("shown"); status.textContent = ""; }, 2000);
  }
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a.anchor") : null;
    if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    copyText(a.href).then(function () { announce("Link copied"); }, function () { announce("Link in the address bar"); });
  });

  // Glossary tooltips show on hover and focus (CSS); Escape hides them
  // until the pointer or focus moves to another term.
  var dismissed = null;
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var active = document.activeElement;
    dismissed = document.querySelector(".term:hover") || (active && active.closest ? active.closest(".term") : null);
    root.classList.add("tips-dismissed");
  });
  function moved(e) {
    var term = e.target.closest ? e.target.closest(".term") : null;
    if (term) {
      // A definition that would run past the right edge opens leftwards.
      // Its widest (min(22rem, 85vw) in style.css) is measured from the
      // term, as the definition itself may not be laid out yet.
      var rem = parseFloat(getComputedStyle(root).fontSize) || 16;
      var width = Math.min(22 * rem, 0.85 * window.innerWidth);
      var room = document.documentElement.clientWidth - term.getBoundingClientRect().left;
      term.classList.toggle("tip-flip", width > room);
    }
    if (term === dismissed) return;
    dismissed = null;
    if (term) root.classList.remove("tips-dismissed");
  }
  document.addEventListener("focusin", moved);
  document.addEventListener("mouseover", moved);

  // The navigation tree folds on phones only: unfold it when the window
  // grows past the phone layout, where its summary is not shown.
  var navDetails = document.querySelector(".nav-details");
  var phone = window.matchMedia("(max-width: 48rem)");
  if (navDetails) {
    phone.addEventListener("change", function () { if (!phone.matches) navDetails.open = true; });
  }
  // On a long tree, scroll the sidebar (not the page) to the current page.
  var current = document.querySelector(".site-nav [aria-current=page]");
  var nav = document.querySelector(".site-nav");
  if (current && nav && !phone.matches && current.offsetTop > nav.clientHeight - 40) {
    nav.scrollTop = current.offsetTop - nav.clientHeight / 2;
  }

  // The rights and responsibilities matrix: filter by member and pillar.
  // Without JavaScript the whole matrix shows and the form stays hidden.
  var form = document.querySelector(".matrix-filter");
  var matrix = document.querySelector("table.matrix");
  if (form && matrix) {
    var member = form.querySelector("#filter-member");
    var pillar = form.querySelector("#filter-pillar");
    var count = form.querySelector("#filter-count");
    var rows = matrix.tBodies[0].rows;
    var apply = function () {
      var m = member.value, p = pillar.value, shown = 0;
      matrix.querySelectorAll("[data-member]").forEach(function (cell) {
        cell.hidden = m !== "" && cell.getAttribute("data-member") !== m;
      });
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var show = (p === "" || row.getAttribute("data-pillar") === p) &&
          (m === "" || row.querySelector('td[data-member="' + m + '"][data-held]') !== null);
        row.hidden = !show;
        if (show) shown++;
      }
      count.textContent = shown + " of " + rows.length + " shown";
    };
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    member.addEventListener("change", apply);
    pillar.addEventListener("change", apply);
    form.hidden = false;
    apply();
  }
})();
