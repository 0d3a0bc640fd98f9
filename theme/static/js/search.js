/* CuCon search page: starts Pagefind's Component UI (loaded before this file from our own
   /pagefind/ bundle: the field, the filters, the summary) and adds what it lacks for us: result
   cards built from the pages' meta, a sort order, the query in the address, and one polite
   announcement per search. Without this script the page offers the directory instead. */
(function () {
  "use strict";
  var ui = document.querySelector(".search-ui");
  var input = ui && ui.querySelector("pagefind-input");
  // The Component UI defines its elements when it loads; if it did not, the page stays as it is.
  if (!input || !window.customElements || !customElements.get("pagefind-input") || !input.instance) {
    return;
  }
  var instance = input.instance;
  var list = ui.querySelector(".search-result-list");
  var more = ui.querySelector(".search-more button");
  var sortSelect = ui.querySelector("#search-sort");
  var PAGE = 20;

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
  // Said once per search, politely (also "no results": a screen reader should not break off
  // the letters being typed for it), in Pagefind's words for the page's language.
  var announce = function (count) {
    var term = instance.searchTerm || "";
    var key = count === 0 ? "zero_results" : count === 1 ? "one_result" : "many_results";
    instance.announce(term ? key : "total_" + key, { SEARCH_TERM: term, COUNT: count }, "polite");
  };
  instance.on("loading", function () { list.setAttribute("aria-busy", "true"); });
  instance.on("results", function (response) {
    var search = ++shown.search;
    shown.results = (response && response.results) || [];
    shown.count = 0;
    list.textContent = "";
    showPage(search, false).then(function () {
      if (search === shown.search) { announce(shown.results.length); }
    });
  });
  more.addEventListener("click", function () {
    if (!shown.adding) { showPage(shown.search, true); }
  });
  // Our list takes the results' place in Pagefind's keyboard use (Arrow Down from the field
  // moves to the first result), and Pagefind leaves the announcements to us.
  instance.registerResults(list, { keyboardNavigation: true, announcements: true });

  // Our wording of the field's label; Pagefind's other strings follow <html lang>.
  if (ui.getAttribute("data-search-label")) {
    instance.setTranslations({ search_label: ui.getAttribute("data-search-label") });
  }

  // The sort order: "" (best match) or "key:direction", passed to every search Pagefind runs.
  // A page without the key drops out of a sorted search: by deadline, only calls remain.
  var params = new URLSearchParams(location.search);
  var wanted = params.get("sort");
  if (wanted && Array.prototype.some.call(sortSelect.options, function (o) { return o.value === wanted; })) {
    sortSelect.value = wanted;
  }
  var sortOrder = function () {
    var parts = sortSelect.value.split(":");
    var order = {};
    if (parts.length === 2) { order[parts[0]] = parts[1]; }
    return order;
  };
  // A new order re-runs the search, with the same query and filters.
  sortSelect.addEventListener("change", function () {
    instance.triggerSearch(instance.searchTerm || "");
  });

  // The address follows the query and the sort order (replaced, not added to the history for
  // every letter typed), so a search can be linked, bookmarked and reloaded. Not before the
  // first search of ours: the one Pagefind runs on loading would drop ?q=.
  var started = false;
  instance.on("search", function (term) {
    if (!started) { return; }
    var url = new URL(location.href);
    if (term) { url.searchParams.set("q", term); } else { url.searchParams.delete("q"); }
    if (sortSelect.value) { url.searchParams.set("sort", sortSelect.value); } else { url.searchParams.delete("sort"); }
    if (url.href !== location.href) { history.replaceState(history.state, "", url.href); }
  });

  // Where the filters stand beside the results, the main ones (type, city) start open.
  var pane = ui.querySelector("pagefind-filter-pane[data-open-wide]");
  if (pane && window.matchMedia("(min-width: 60em)").matches) {
    pane.setAttribute("open", pane.getAttribute("data-open-wide"));
  }

  // The UI replaces the note that search needs JavaScript; if the index cannot be loaded, the
  // note comes back, above the directory.
  var notes = document.querySelectorAll(".search-no-script");
  var note = function (show) {
    Array.prototype.forEach.call(notes, function (n) { n.hidden = !show; });
  };
  instance.on("error", function () { note(true); });
  ui.hidden = false;
  note(false);
  // The query of the address is in the field at once, before the index has loaded; whether
  // the reader types something else meanwhile is noted.
  var query = (params.get("q") || "").trim();
  var field = function () { return ui.querySelector("pagefind-input input"); };
  var typed = false;
  if (field() && query) { field().value = query; }
  input.addEventListener("input", function () { typed = true; });

  // With ?q= the page skips the search for everything (the faceted browse) that the UI runs
  // once it has loaded: a search without words fetches every chunk of the word index, the whole
  // index, and the search for ?q= replaces its results at once. Later searches without words
  // (the field emptied, a filter ticked) browse as before.
  var browse = instance.faceted;
  if (query) { instance.faceted = false; }
  // Load the index, then pass the sort order to Pagefind's searches (the Component UI has no
  // sort of its own yet; without this hook the sort control is hidden), and search for ?q=.
  instance.triggerLoad().then(function () {
    instance.faceted = browse;
    var pagefind = instance.__pagefind__;
    if (pagefind && typeof pagefind.search === "function") {
      var search = pagefind.search.bind(pagefind);
      pagefind.search = function (term, options) {
        return search(term, Object.assign({}, options, { sort: sortOrder() }));
      };
    } else {
      sortSelect.value = "";
      sortSelect.closest(".search-sort").hidden = true;
    }
    started = true;
    instance.triggerSearch(typed && field() ? field().value.trim() : query);
  });
})();
