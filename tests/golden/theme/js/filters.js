/* CuCon: what the combined filters of the calls (calls.js) and of the people directory
   (people.js) share. Each form is hidden in the HTML; it is shown only once its data (the form's
   data-src, a JSON file the build writes on this host) has loaded, so without script, or where
   the data does not load, the static pages' filter links do the work. */
(function () {
  "use strict";
  window.cuconFilters = {
    // Find the form and load its data, then setUp(form, data) shows it.
    start: function (selector, setUp) {
      var form = document.querySelector(selector);
      if (!form || !window.fetch || !window.Set || !window.URLSearchParams) { return; }
      fetch(form.getAttribute("data-src"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) { setUp(form, data); } })
        .catch(function () { /* the filter links still work */ });
    },
    // Set a select to value if one of its options has it (values from an address may be
    // anything); say whether it did.
    choose: function (select, value) {
      var offered = value !== null && Array.prototype.some.call(select.options, function (o) { return o.value === value; });
      if (offered) { select.value = value; }
      return offered;
    },
    // Put a number into an element's text: its data-template, with {count} (how many match, in
    // the form's live region).
    count: function (region, number) {
      region.textContent = region.getAttribute("data-template").replace("{count}", String(number));
    }
  };
}());
