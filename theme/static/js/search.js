/* CuCon search page, on Pagefind's JS API (pagefind.js of our own bundle, loaded only when a search
   needs it): the query of the form, the filters, the sort order, result cards built from the pages'
   meta, the search in the address, and one polite announcement per search. The engine is reached
   only through window.CuconSearchDelta when that script is on the page (it merges the delta index
   and drops stale results), else it is Pagefind itself. Without this script the page offers the
   directory instead. */
(function () {
  "use strict";
  var ui = document.querySelector(".search-ui");
  var form = document.querySelector(".search-form");
  if (!ui || !form || !window.URLSearchParams || !window.Promise) { return; }
  var field = form.querySelector("input[name=q]");
  var list = ui.querySelector(".search-result-list");
  var more = ui.querySelector(".search-more button");
  var sortSelect = ui.querySelector("#search-sort");
  var summary = ui.querySelector(".search-summary");
  var status = ui.querySelector(".search-status");
  var pane = ui.querySelector(".search-filter-pane");
  var results = ui.querySelector(".search-results");
  var groups = ui.querySelector(".search-filter-groups");
  var bundleUrl = ui.getAttribute("data-bundle");
  var PAGE = 20;
  var DELAY = 300;

  var element = function (tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  };
  // An address of this site or another http(s) one; anything else (javascript: …) becomes "".
  var safeUrl = function (value) {
    try {
      var url = new URL(value, location.href);
      return /^https?:$/.test(url.protocol) ? url.href : "";
    } catch (error) {
      return "";
    }
  };
  // One result: its title (a heading with the only link), type, summary, and picture, if any.
  // Every value goes in as text. The title comes first in the source; CSS puts the picture
  // beside it. The page's own text (title, summary, alt text) carries the page's language where
  // the index has it (meta "lang"); the type is in the language of this page (WCAG 3.1.2).
  var card = function (result) {
    var meta = result.meta || {};
    var lang = /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(meta.lang || "") ? meta.lang : "";
    var own = function (node) {
      if (lang) { node.lang = lang; }
      return node;
    };
    var item = element("li", "search-result");
    var body = element("div", "search-result-body");
    var heading = element("h3", "search-result-title");
    var link = own(element("a", "", meta.title || result.url));
    link.href = safeUrl(meta.url || result.url);
    heading.appendChild(link);
    body.appendChild(heading);
    if (meta.type) { body.appendChild(element("p", "search-result-type", meta.type)); }
    // The page's summary, not Pagefind's excerpt: the excerpt may show the hidden extra words
    // of the index (parts of compounds, CJK fragments), which make no sense to a reader.
    if (meta.summary) { body.appendChild(own(element("p", "search-result-summary", meta.summary))); }
    item.appendChild(body);
    // Pictures only from this site: the search never makes a request to another host.
    var src = meta.image && safeUrl(meta.image);
    if (src && new URL(src).origin === location.origin) {
      var image = own(element("img", "search-result-image"));
      image.src = src;
      image.alt = meta.image_alt || "";
      image.loading = "lazy";
      image.decoding = "async";
      item.appendChild(image);
    } else {
      item.classList.add("search-result-no-image");
    }
    return item;
  };

  // Pagefind, loaded once, when the first search or the filters need it; then the engine that
  // answers: the delta's wrapper where search-delta.js is on the page, else Pagefind itself.
  var loading = null;
  var engine = function () {
    if (!loading) {
      loading = import(bundleUrl + "pagefind.js").then(function (pagefind) {
        return pagefind.options({ basePath: bundleUrl }).then(function () {
          return pagefind.init();
        }).then(function () {
          var ready = window.CuconSearchDelta ? CuconSearchDelta.open(pagefind, bundleUrl) : Promise.resolve(pagefind);
          return ready;
        });
      });
      loading.catch(failed);
    }
    return loading;
  };

  // What is asked: the words, the chosen filters ({name: [values]}) and the sort order.
  var chosen = {};
  var chosenNames = function () {
    return Object.keys(chosen).filter(function (name) { return chosen[name].length; });
  };
  var sortOrder = function () {
    var parts = sortSelect.value.split(":");
    var order = {};
    if (parts.length === 2) { order[parts[0]] = parts[1]; }
    return order;
  };
  // Values of one facet are alternatives (any of them); facets narrow each other (all of them).
  var filterOptions = function () {
    var filters = {};
    chosenNames().forEach(function (name) { filters[name] = { any: chosen[name].slice() }; });
    return filters;
  };

  // The address: ?q=words&f=Facet:value…&sort=key:direction.
  var address = function () {
    var url = new URL(location.href);
    url.search = "";
    var term = field.value.trim();
    if (term) { url.searchParams.set("q", term); }
    chosenNames().forEach(function (name) {
      chosen[name].forEach(function (value) { url.searchParams.append("f", name + ":" + value); });
    });
    if (sortSelect.value) { url.searchParams.set("sort", sortSelect.value); }
    return url.href;
  };
  var remember = function (push) {
    var href = address();
    if (href === location.href) { return; }
    if (push) { history.pushState(null, "", href); } else { history.replaceState(history.state, "", href); }
  };
  // The form's controls as the address says; used on loading and when Back or Forward is pressed.
  var fromAddress = function () {
    var params = new URLSearchParams(location.search);
    field.value = (params.get("q") || "").trim();
    var wanted = params.get("sort") || "";
    sortSelect.value = Array.prototype.some.call(sortSelect.options, function (o) { return o.value === wanted; }) ? wanted : "";
    chosen = {};
    params.getAll("f").forEach(function (pair) {
      var at = pair.indexOf(":");
      if (at < 1) { return; }
      var name = pair.slice(0, at);
      var value = pair.slice(at + 1);
      chosen[name] = chosen[name] || [];
      if (chosen[name].indexOf(value) < 0) { chosen[name].push(value); }
    });
    tickChosen();
  };

  // The results: all of a page of them at once (no placeholders that a screen reader cannot
  // reach), then "Show more results", which moves the focus to the first of the next page.
  var shown = { search: 0, results: [], count: 0, adding: false };
  var showPage = function (search, focus) {
    var page = shown.results.slice(shown.count, shown.count + PAGE);
    shown.adding = true;
    return Promise.all(page.map(function (result) { return result.data(); })).then(function (pages) {
      if (search !== shown.search) { return; }
      var cards = pages.map(card);
      cards.forEach(function (item) { list.appendChild(item); });
      shown.count += cards.length;
      more.hidden = shown.count >= shown.results.length;
      if (focus && cards.length) { cards[0].querySelector("a").focus(); }
    }).catch(function () {
      more.hidden = true;
    }).then(function () {
      if (search === shown.search) {
        shown.adding = false;
        list.setAttribute("aria-busy", "false");
      }
    });
  };
  // "N results for …", in this page's language, from the template's data-* texts.
  var countText = function (count, term) {
    var key = count === 0 ? "no-results" : count === 1 ? "one-result" : "results";
    var text = ui.getAttribute("data-" + key + (term ? "-term" : "")) || "";
    return text.replace("{count}", count.toLocaleString(document.documentElement.lang || undefined)).replace("{term}", term);
  };
  // Said once per search, politely (also "no results": a screen reader should not break off
  // the letters being typed for it). Emptied first, so the same words are said again.
  var announce = function (text) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  };
  var clear = function () {
    ++shown.search;
    shown.results = [];
    shown.count = 0;
    list.textContent = "";
    list.setAttribute("aria-busy", "false");
    summary.textContent = "";
    more.hidden = true;
    results.hidden = true;
  };

  // One search: with words, or without words when a filter is chosen (Pagefind's search(null):
  // the pages of the filters). With neither, nothing is searched and nothing is shown, so the
  // page fetches no part of the index for a visit without a query.
  var current = Promise.resolve();
  var search = function () {
    var term = field.value.trim();
    if (!term && !chosenNames().length) {
      clear();
      if (filterData) { showFilters(null); }
      current = Promise.resolve();
      return current;
    }
    var id = ++shown.search;
    list.setAttribute("aria-busy", "true");
    results.hidden = false;
    current = engine().then(function (found) {
      if (id !== shown.search) { return null; }
      return found.search(term || null, { filters: filterOptions(), sort: sortOrder() });
    }).then(function (response) {
      if (!response || id !== shown.search) { return; }
      shown.results = response.results || [];
      shown.count = 0;
      list.textContent = "";
      if (filterData) { showFilters(response.filters || {}); }
      summary.textContent = countText(shown.results.length, term);
      return showPage(id, false).then(function () {
        if (id === shown.search) { announce(summary.textContent); }
      });
    }).catch(failed);
    return current;
  };
  // The counts of the filters in the results on show, once the filters have loaded: a search
  // made before counted only the facets it had fetched. The results stay as they are.
  var recount = function () {
    var id = shown.search;
    var term = field.value.trim();
    if (!term && !chosenNames().length) {
      showFilters(null);
      return Promise.resolve();
    }
    return current.then(engine).then(function (found) {
      return found.search(term || null, { filters: filterOptions(), sort: sortOrder() });
    }).then(function (response) {
      if (response && id === shown.search) { showFilters(response.filters || {}); }
    });
  };

  // While typing: the search runs once the typing pauses; the address is replaced, not added to
  // the history for every letter. The chunks of the words are fetched at once meanwhile.
  var timer = null;
  field.addEventListener("input", function () {
    window.clearTimeout(timer);
    var term = field.value.trim();
    if (term) {
      engine().then(function (found) { if (found.preload) { found.preload(term, { filters: filterOptions() }); } });
    }
    timer = window.setTimeout(function () {
      remember(false);
      search();
    }, DELAY);
  });
  // Submitting (Enter, the button) searches at once and adds the search to the history.
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    remember(true);
    search();
  });
  // Our list takes the results' place in the field's keyboard use: Arrow Down moves to the first result.
  field.addEventListener("keydown", function (event) {
    var first = list.querySelector("a");
    if (event.key === "ArrowDown" && first) {
      event.preventDefault();
      first.focus();
    }
  });
  more.addEventListener("click", function () {
    if (!shown.adding) { showPage(shown.search, true); }
  });
  // A new order re-runs the search, with the same words and filters.
  sortSelect.addEventListener("change", function () {
    remember(true);
    search();
  });
  // Back and Forward show the search of that address.
  window.addEventListener("popstate", function () {
    window.clearTimeout(timer);
    fromAddress();
    if (chosenNames().length && !pane.open) { pane.open = true; }
    search();
  });

  // The filters: fetched on the first opening of their <details> (pagefind.filters()), then a
  // fieldset per facet with a checkbox per value and its count, in the results on show.
  var filterData = null;
  var boxes = {};
  var tickChosen = function () {
    Object.keys(boxes).forEach(function (key) {
      var box = boxes[key];
      var name = box.getAttribute("data-filter");
      box.checked = (chosen[name] || []).indexOf(box.value) >= 0;
    });
  };
  var wide = window.matchMedia && window.matchMedia("(min-width: 60em)").matches;
  var openWide = (pane.getAttribute("data-open-wide") || "").split(",");
  // The count beside each value: in the results on show (counts), or in the whole index (null).
  // Every value the index has stays listed; one not in the results on show counts 0.
  var showFilters = function (counts) {
    Object.keys(filterData).forEach(function (name) {
      Object.keys(filterData[name]).forEach(function (value) {
        var box = boxes[name + ":" + value];
        var from = counts ? counts[name] || {} : filterData[name];
        if (box) { box.parentNode.querySelector(".search-filter-count").textContent = String(from[value] || 0); }
      });
    });
  };
  var buildFilters = function (data) {
    filterData = data;
    groups.textContent = "";
    // The main facets (type, city) first, the others in alphabetical order.
    var rank = function (name) { return openWide.indexOf(name) < 0 ? openWide.length : openWide.indexOf(name); };
    Object.keys(data).sort(function (a, b) { return rank(a) - rank(b) || a.localeCompare(b); }).forEach(function (name) {
      var values = Object.keys(data[name]).sort(function (a, b) { return a.localeCompare(b); });
      if (!values.length) { return; }
      var group = element("details", "search-filter-group");
      group.setAttribute("data-filter-name", name);
      group.open = (wide && openWide.indexOf(name) >= 0) || (chosen[name] || []).length > 0;
      group.appendChild(element("summary", "", name));
      var fieldset = element("fieldset");
      fieldset.appendChild(element("legend", "visually-hidden", name));
      values.forEach(function (value) {
        var label = element("label", "search-filter");
        var box = element("input");
        box.type = "checkbox";
        box.value = value;
        box.setAttribute("data-filter", name);
        boxes[name + ":" + value] = box;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + value + " "));
        label.appendChild(element("span", "search-filter-count"));
        fieldset.appendChild(label);
      });
      group.appendChild(fieldset);
      groups.appendChild(group);
    });
    tickChosen();
    showFilters(null);
    groups.setAttribute("aria-busy", "false");
  };
  groups.addEventListener("change", function (event) {
    var box = event.target;
    var name = box.getAttribute("data-filter");
    if (!name) { return; }
    var values = (chosen[name] || []).filter(function (value) { return value !== box.value; });
    if (box.checked) { values.push(box.value); }
    chosen[name] = values;
    remember(true);
    search();
  });
  var filtersAsked = false;
  pane.addEventListener("toggle", function () {
    if (!pane.open || filtersAsked) { return; }
    filtersAsked = true;
    engine().then(function (found) { return found.filters(); }).then(function (data) {
      buildFilters(data || {});
      return recount();
    }).catch(function () {
      groups.setAttribute("aria-busy", "false");
      ui.querySelector(".search-filter-error").hidden = false;
    });
  });

  // The UI replaces the note that search needs JavaScript; if Pagefind cannot be loaded, the
  // note comes back, and the results' part goes.
  var notes = document.querySelectorAll(".search-no-script");
  var note = function (show) {
    Array.prototype.forEach.call(notes, function (n) { n.hidden = !show; });
  };
  var failed = function () {
    clear();
    ui.hidden = true;
    note(true);
  };
  ui.hidden = false;
  note(false);
  results.hidden = true;
  fromAddress();
  // A search of the address runs at once; with filters in it, the filters open to show them.
  if (chosenNames().length) { pane.open = true; }
  if (field.value || chosenNames().length) { search(); }
})();
