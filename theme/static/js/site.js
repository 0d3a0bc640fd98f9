/* CuCon: small enhancements; every page works without them. */
(function () {
  "use strict";
  // Turn "user [at] domain" into a mailto: link (the address is not in the HTML for harvesters).
  document.querySelectorAll(".email-link[data-user]").forEach(function (el) {
    var address = el.getAttribute("data-user") + "@" + el.getAttribute("data-domain");
    var a = document.createElement("a");
    a.href = "mailto:" + address;
    a.textContent = address;
    el.replaceWith(a);
  });
  // Open the directory filters where they sit beside the results.
  if (window.matchMedia("(min-width: 60em)").matches) {
    document.querySelectorAll(".section-nav-details").forEach(function (d) { d.open = true; });
  }
})();
