/* CuCon calls filters (theme macro calls_filter), on the calls page and on every city page: combine
   the filters. Without this script the filter links (a page per city, kind and discipline) still
   work. The data (calls/filters.json on this host, written by the build: cucon.calls.filter_data)
   already says each call's status and, for each city, which calls its people may apply to and
   why; this script only looks them up. On the calls page the form filters the cards there, preset
   from the address's query; on a city page (a form with an action) it counts the matching calls
   and its button sends the choice to the calls page in the query. Loading the data and the
   helpers shared with the people directory's filters are filters.js. */
(function () {
  "use strict";
  var filters = window.cuconFilters;
  if (!filters) { return; }

  function checked(form, name) {
    var found = new Set();
    form.querySelectorAll("input[name=" + name + "]:checked").forEach(function (box) { found.add(box.value); });
    return found;
  }

  function setUp(form, data) {
    var count = form.querySelector("[role=status]");
    var items = document.querySelectorAll("li[data-slug]");
    var index = new Map();
    data.calls.forEach(function (call, i) { index.set(call.slug, i); });
    var everyone = new Set(data.everyone);
    var byCity = {};
    Object.keys(data.cities).forEach(function (slug) {
      byCity[slug] = { city: new Set(data.cities[slug].city), country: new Set(data.cities[slug].country) };
    });
    // Why people from a city may apply to the call at index i: the build put each call in at most
    // one of the city's lists, or in the list of calls for everyone.
    function reach(i, city) {
      var lists = byCity[city];
      if (!lists) { return null; }
      if (lists.city.has(i)) { return "city"; }
      if (lists.country.has(i)) { return "country"; }
      return everyone.has(i) ? "everyone" : null;
    }
    var reachBoxes = form.querySelectorAll("input[name=reach]");
    // Elsewhere than on the calls page, the form sends its choice there instead of filtering.
    var here = !form.hasAttribute("action");

    // Whether the call at index i fits the form as it stands.
    function matcher() {
      var city = form.elements.city.value;
      var discipline = form.elements.discipline.value;
      var kinds = checked(form, "kind"), statuses = checked(form, "status"), reaches = checked(form, "reach");
      return function (i) {
        var call = data.calls[i];
        return kinds.has(call.kind) && statuses.has(call.status) &&
          (!discipline || call.disciplines.indexOf(discipline) >= 0) &&
          (!city || reaches.has(reach(i, city)));
      };
    }

    function update() {
      reachBoxes.forEach(function (box) { box.disabled = !form.elements.city.value; });
      var fits = matcher();
      var shown = 0;
      if (!here) {
        data.calls.forEach(function (call, i) { if (fits(i)) { shown += 1; } });
        filters.count(count, shown);
        return;
      }
      items.forEach(function (item) {
        var i = index.get(item.getAttribute("data-slug"));
        var match = i !== undefined && fits(i);
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      // Each section's heading counts the calls it shows; a section with none left is hidden.
      form.parentNode.querySelectorAll("section").forEach(function (section) {
        var all = section.querySelectorAll("li[data-slug]").length;
        var left = section.querySelectorAll("li[data-slug]:not([hidden])").length;
        var number = section.querySelector(".section-count");
        if (number) { number.textContent = String(left); }
        section.hidden = all > 0 && left === 0;
      });
      filters.count(count, shown);
    }

    // The choice in the address: each select and group of boxes the query names takes its values
    // there (values the form does not offer are ignored); the others keep their defaults, except
    // when a city page's form sent the query (it says "filtered"): there a group of boxes it does
    // not name had none ticked.
    function preset(query) {
      var sent = query.has("filtered");
      ["city", "discipline"].forEach(function (name) { filters.choose(form.elements[name], query.get(name)); });
      ["reach", "kind", "status"].forEach(function (name) {
        if (!sent && !query.has(name)) { return; }
        var wanted = query.getAll(name);
        form.querySelectorAll("input[name=" + name + "]").forEach(function (box) {
          box.checked = wanted.indexOf(box.value) >= 0;
        });
      });
    }

    form.addEventListener("change", update);
    if (here) {
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      preset(new URLSearchParams(location.search));
    }
    form.hidden = false;
    update();
  }

  filters.start("form.calls-filter", setUp);
}());
