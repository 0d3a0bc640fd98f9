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

  var STEMMED = 3;

  // A word as Pagefind compares it: lower case, without diacritics.
  var normal = function (word) {
    return String(word || "").toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  };

  // How many characters a word shares with the start of the nearest of some query terms.
  var shared = function (word, terms) {
    var best = 0;
    terms.forEach(function (term) {
      var n = 0;
      while (n < term.length && n < word.length && term[n] === word[n]) { n += 1; }
      best = Math.max(best, n);
    });
    return best;
  };

  // How much of the query the best result's matched words share (null: a matched word is not in the
  // text Pagefind keeps, e.g. one of the hidden extra words): Pagefind searches a word that no page
  // of an index starts with by its longest prefix that some page does start with.
  var reach = function (result, terms) {
    return result.data().then(function (data) {
      var words = String(data.content || "").split(/\s+/);
      var at = result.words || [];
      if (!at.length || at.some(function (i) { return i >= words.length; })) { return null; }
      return at.reduce(function (most, i) {
        return Math.max(most, shared(normal(words[i]).replace(/^\W+/, ""), terms));
      }, 0);
    });
  };

  var merged = function (pagefind, stones) {
    var drop = new Set(stones.drop || []);
    var dropped = stones.filters || {};
    var live = stones.live || {};
    var gone = stones.gone || [];
    // The results not dropped, split into the main index's and the delta's, and the filter values
    // counted of those dropped.
    var sift = function (results) {
      var main = [], delta = [], left = [];
      results.forEach(function (result) {
        if (drop.has(result.id)) {
          if (dropped[result.id]) { left.push(dropped[result.id]); }
        } else {
          (live[result.id] ? delta : main).push(result);
        }
      });
      return { main: main, delta: delta, left: left };
    };
    // A search over one index finds a word it lacks by a shorter prefix, where the other index may
    // have the whole word: the results of the index that matched less of the query are left out,
    // as one index of every page would not have found them.
    var choose = function (sifted, terms) {
      if (!terms.length || !sifted.main.length || !sifted.delta.length) { return Promise.resolve(sifted); }
      return Promise.all([reach(sifted.main[0], terms), reach(sifted.delta[0], terms)]).then(function (found) {
        // A few characters apart may be the ends that Pagefind's stemming cuts off a word.
        if (found[0] === null || found[1] === null || Math.abs(found[0] - found[1]) <= STEMMED) { return sifted; }
        if (found[0] > found[1]) {
          return {
            main: sifted.main, delta: [], only: null,
            left: sifted.left.concat(sifted.delta.map(function (r) { return live[r.id]; }))
          };
        }
        return { main: [], delta: sifted.delta, left: sifted.left, only: "delta" };
      });
    };
    var kept = function (sifted) {
      return sifted.main.concat(sifted.delta).sort(function (a, b) { return b.score - a.score; });
    };
    // Pagefind's counts less those of the results left out; only the delta's: counted anew.
    var count = function (counts, sifted) {
      if (sifted.only !== "delta") { return without(counts, sifted.left); }
      var zero = {};
      Object.keys(counts || {}).forEach(function (name) {
        zero[name] = {};
        Object.keys(counts[name]).forEach(function (value) { zero[name][value] = 0; });
      });
      sifted.delta.forEach(function (result) {
        var values = live[result.id] || {};
        Object.keys(values).forEach(function (name) {
          zero[name] = zero[name] || {};
          values[name].forEach(function (value) { zero[name][value] = (zero[name][value] || 0) + 1; });
        });
      });
      return zero;
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
      var terms = term === null || term === undefined ? [] : normal(term).split(/\s+/).filter(Boolean);
      return pagefind.search(term, options).then(function (found) {
        if (!found) { return found; }  // a search that a newer one replaced
        var filtered = hasFilters(options.filters);
        var all = filtered
          ? pagefind.search(term, Object.assign({}, options, { filters: {} }))
          : Promise.resolve(found);
        return all.then(function (unfiltered) {
          var raw = sift(unfiltered.results);
          // Only stale or ballast pages had the word: one index of every page would search a shorter prefix.
          var shorter = String(term).trim().slice(0, -1);
          if (terms.length === 1 && unfiltered.results.length && !raw.main.length && !raw.delta.length && shorter) {
            return search(shorter, options);
          }
          return Promise.all([choose(sift(found.results), terms), filtered ? choose(raw, terms) : null]).then(function (both) {
            var shown = both[0], counted = both[1] || both[0];
            var result = Object.assign({}, found, {
              results: kept(shown),
              // Pagefind counts 0 for a search without words; else the results it counted less those left out.
              unfilteredResultCount: found.unfilteredResultCount && kept(counted).length,
              filters: count(found.filters, shown),
              totalFilters: count(found.totalFilters, counted)
            });
            return Promise.all([withoutGone(result.filters), withoutGone(result.totalFilters)]).then(function () {
              return result;
            });
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
