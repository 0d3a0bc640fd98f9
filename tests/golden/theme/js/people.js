/* CuCon people directory's combined filters (theme macro people_filter): city, discipline and
   kind together. Without this script the directory's pages per city, discipline and kind, and
   their links, still work. The data (profiles/filters.json of the UI language, written by the
   build: cucon.views.people_filter_data) has one row per profile in the directory's order:
   [file name, name, language if not the page's, kind, cities, disciplines], the last three as
   indices into its lists of slugs; the labels are the form's options. On the people page the
   matching people replace the A–Z pages, and the choice goes into the address's query (a step
   of the history each, so Back undoes it); on a page of one city, discipline or kind the form
   counts the matches and sends the choice to the people page. The matches come a batch at a
   time (the section's data-batch, a page of the A–Z list), each after a "show more" button that
   moves the focus to the first new one. Names become text nodes only. */
(function () {
  "use strict";
  var filters = window.cuconFilters;
  if (!filters) { return; }
  var FACETS = { city: "cities", discipline: "disciplines", kind: "kinds" };

  function element(name, className, text) {
    var made = document.createElement(name);
    if (className) { made.className = className; }
    if (text) { made.textContent = text; }
    return made;
  }

  function setUp(form, data) {
    var status = form.querySelector("[role=status]");
    var here = !form.hasAttribute("action");
    var results = document.querySelector(".people-filtered");
    var everyone = document.querySelector(".directory-all");
    var more = results && results.querySelector(".people-more");
    var batch = results ? Number(results.getAttribute("data-batch")) || 24 : 0;
    var shown = [], listed = 0;
    // The labels of the slugs, by facet: the options' text (a kind's option has its singular).
    var labels = {};
    Object.keys(FACETS).forEach(function (name) {
      labels[name] = {};
      Array.prototype.forEach.call(form.elements[name].options, function (option) {
        labels[name][option.value] = option.getAttribute("data-one") || option.text;
      });
    });
    function names(name, indices) {
      return indices.map(function (i) { return labels[name][data[FACETS[name]][i]]; }).join(", ");
    }

    // The wanted index of each facet's slug in the data (-1 where the data lacks it), or null for any.
    function wanted() {
      var found = {};
      Object.keys(FACETS).forEach(function (name) {
        var value = form.elements[name].value;
        found[name] = value ? data[FACETS[name]].indexOf(value) : null;
      });
      return found;
    }

    function fits(row, want) {
      return (want.kind === null || row[3] === want.kind) &&
        (want.city === null || row[4].indexOf(want.city) >= 0) &&
        (want.discipline === null || row[5].indexOf(want.discipline) >= 0);
    }

    // A result as the directory's cards show a profile: name (the link), kind, cities, disciplines.
    function card(row) {
      var item = element("li");
      var box = item.appendChild(element("div", "card"));
      var link = box.appendChild(element("h3", "card-title")).appendChild(element("a", "", row[1]));
      link.href = form.getAttribute("data-href").replace("{slug}", encodeURIComponent(row[0]));
      if (row[2]) { link.lang = row[2]; }
      var meta = box.appendChild(element("p", "card-meta"));
      meta.appendChild(element("span", "", labels.kind[data.kinds[row[3]]]));
      if (row[4].length) {
        meta.appendChild(document.createTextNode(" "));
        meta.appendChild(element("span", "", names("city", row[4])));
      }
      if (row[5].length) { box.appendChild(element("p", "card-topics", names("discipline", row[5]))); }
      return item;
    }

    // The form's choice as a query: the facets chosen, in a fixed order.
    function query() {
      var chosen = new URLSearchParams();
      Object.keys(FACETS).forEach(function (name) {
        if (form.elements[name].value) { chosen.set(name, form.elements[name].value); }
      });
      var text = chosen.toString();
      return text ? "?" + text : "";
    }

    // The next batch of the matches after those listed; say how many the button adds next.
    function showMore() {
      var list = results.querySelector("ul");
      var first = null;
      shown.slice(listed, listed + batch).forEach(function (row) {
        var item = list.appendChild(card(row));
        first = first || item.querySelector("a");
      });
      listed = Math.min(shown.length, listed + batch);
      more.hidden = listed >= shown.length;
      filters.count(more, Math.min(batch, shown.length - listed));
      return first;
    }

    function update() {
      var want = wanted();
      shown = data.profiles.filter(function (row) { return fits(row, want); });
      if (shown.length) {
        filters.count(status, shown.length);
      } else {
        status.textContent = status.getAttribute("data-none");
      }
      if (!here) { return; }
      var filtered = query() !== "";
      everyone.hidden = filtered;
      results.hidden = !filtered;
      results.querySelector("ul").textContent = "";
      listed = 0;
      if (!filtered) { shown = []; }
      showMore();
    }

    // Each facet from the address's query where it names a value the form offers, else any.
    function preset() {
      var chosen = new URLSearchParams(location.search);
      Object.keys(FACETS).forEach(function (name) {
        var select = form.elements[name];
        if (!filters.choose(select, chosen.get(name) || "")) { select.value = ""; }
      });
    }

    function changed() {
      update();
      if (here && query() !== location.search) {
        history.pushState(null, "", location.pathname + query());
      }
    }

    form.addEventListener("change", changed);
    // Resetting sets the options after the event: look at them once it is done.
    form.addEventListener("reset", function () { window.setTimeout(changed, 0); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!here) { location.assign(form.getAttribute("action") + query()); }
    });
    if (here) {
      more.addEventListener("click", function () {
        var first = showMore();
        if (first) { first.focus(); }
      });
      window.addEventListener("popstate", function () { preset(); update(); });
      preset();
    }
    form.hidden = false;
    // The form's live count takes over from the page's own, so the number is not said twice.
    Array.prototype.forEach.call(document.querySelectorAll("[data-page-count]"), function (count) { count.hidden = true; });
    update();
  }

  filters.start("form.people-filter", setUp);
}());
