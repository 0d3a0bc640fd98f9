/* CuCon search: merges the search index's delta into the main one (src/cucon/site/search_delta.py).
   An incremental build indexes only the pages changed since the last full index, into a bundle
   beside the main one, and names it in the main bundle's cucon-delta.json. open(pagefind, bundleUrl)
   merges that bundle (pagefind.mergeIndex, with mergeOptions if given) and resolves to an object with search(term, options) and
   filters() of the same shapes as Pagefind's own, with the main index's stale results and the
   delta's ballast dropped (the main index's copy of a ballast page stays), and the filter counts
   of what was dropped taken off. Without a delta it resolves to an object that calls Pagefind's functions.
   A classic script: window.CuconSearchDelta in the browser, module.exports in Node (the tests run
   this very file). */
(function (root) {
  "use strict";

  var plain = function (pagefind) {
    return {
      search: function (term, options) { return pagefind.search(term, options); },
      filters: function () { return pagefind.filters(); }
    };
  };

  var fetchJson = function (url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(url + ": " + response.status); }
      return response.json();
    });
  };

  // A copy of Pagefind's counts ({name: {value: count}}) with the filter values of some results taken off.
  var without = function (counts, values) {
    var copy = {};
    Object.keys(counts || {}).forEach(function (name) { copy[name] = Object.assign({}, counts[name]); });
    values.forEach(function (filters) {
      Object.keys(filters || {}).forEach(function (name) {
        (filters[name] || []).forEach(function (value) {
          if (copy[name] && typeof copy[name][value] === "number") { copy[name][value] -= 1; }
        });
      });
    });
    return copy;
  };

  // The filter values that no page has any more leave the counts, as a clean build never had them.
  var forget = function (counts, gone) {
    gone.forEach(function (pair) {
      if (counts[pair[0]]) { delete counts[pair[0]][pair[1]]; }
    });
    return counts;
  };

  var hasFilters = function (filters) {
    return Object.keys(filters || {}).some(function (name) {
      var value = filters[name];
      return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
    });
  };

  var merged = function (pagefind, stones) {
    var drop = new Set(stones.drop || []);
    var dropped = stones.filters || {};
    var gone = stones.gone || [];
    // The results not dropped, and the filter values counted of those dropped.
    var sift = function (results) {
      var kept = [], left = [];
      results.forEach(function (result) {
        if (!drop.has(result.id)) {
          kept.push(result);
        } else if (dropped[result.id]) {
          left.push(dropped[result.id]);
        }
      });
      return { kept: kept, left: left };
    };
    // The filter values no page has any more, once: only when a dropped page may have had the last of one.
    var universe = null;
    var withoutGone = function (counts) {
      if (!gone.length) { return Promise.resolve(counts); }
      universe = universe || filters();
      return universe.then(function (all) {
        return forget(counts, gone.filter(function (pair) { return !(all[pair[0]] && pair[1] in all[pair[0]]); }));
      });
    };
    var filters = function () {
      return pagefind.filters().then(function (counts) {
        counts = without(counts, Object.keys(dropped).map(function (id) { return dropped[id]; }));
        gone.forEach(function (pair) {
          if (counts[pair[0]] && counts[pair[0]][pair[1]] === 0) { delete counts[pair[0]][pair[1]]; }
        });
        return counts;
      });
    };
    var search = function (term, options) {
      options = options || {};
      return pagefind.search(term, options).then(function (found) {
        if (!found) { return found; }  // a search that a newer one replaced
        var filtered = hasFilters(options.filters);
        var all = filtered
          ? pagefind.search(term, Object.assign({}, options, { filters: {} }))
          : Promise.resolve(found);
        return all.then(function (unfiltered) {
          var shown = sift(found.results);
          var counted = filtered ? sift(unfiltered.results) : shown;
          var result = Object.assign({}, found, {
            results: shown.kept,
            // Pagefind counts 0 for a search without words; else the results it counted less those left out.
            unfilteredResultCount: found.unfilteredResultCount &&
              found.unfilteredResultCount - (unfiltered.results.length - counted.kept.length),
            filters: without(found.filters, shown.left),
            totalFilters: without(found.totalFilters, counted.left)
          });
          return Promise.all([withoutGone(result.filters), withoutGone(result.totalFilters)]).then(function () {
            return result;
          });
        });
      });
    };
    return { search: search, filters: filters };
  };

  // The language of the index Pagefind searches: the page's, as Pagefind reads it.
  var pageLanguage = function () {
    var html = typeof document !== "undefined" && document.querySelector("html");
    return (html && html.getAttribute("lang")) || "";
  };

  // mergeOptions: Pagefind's options for the delta (e.g. baseUrl), if the main index was given some.
  var open = function (pagefind, bundleUrl, mergeOptions) {
    var base = new URL(bundleUrl, typeof location !== "undefined" ? location.href : undefined);
    return fetchJson(new URL("cucon-delta.json", base).href).then(function (manifest) {
      var lang = pageLanguage();
      var stonesAt = manifest.delta && manifest.tombstones && manifest.tombstones[lang];
      if (!stonesAt) { return plain(pagefind); }
      return fetchJson(new URL(stonesAt, base).href).then(function (stones) {
        var merging = stones.merge ? pagefind.mergeIndex(new URL(manifest.delta, base).href, mergeOptions || {}) : Promise.resolve();
        return Promise.resolve(merging).then(function () { return merged(pagefind, stones); });
      });
    }, function () {
      return plain(pagefind);  // no manifest (an index of an older build): the main index as it is
    });
  };

  var api = { open: open };
  root.CuconSearchDelta = api;
  if (typeof module === "object" && module.exports) { module.exports = api; }
})(typeof window !== "undefined" ? window : globalThis);
