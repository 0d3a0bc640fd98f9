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
  // Subscribe page: copy buttons (shown only where copying works), and the OPML picker, which
  // builds one OPML 2.0 file of the ticked feeds in the browser. Messages go to live regions.
  var say = function (region, message) {
    region.textContent = "";
    // A moment of silence first, so the same message twice is announced twice.
    window.setTimeout(function () { region.textContent = message; }, 100);
  };
  var copyStatus = document.querySelector(".copy-status");
  var canCopy = (navigator.clipboard && window.isSecureContext) ||
    (document.queryCommandSupported && document.queryCommandSupported("copy"));
  if (copyStatus && canCopy) {
    var copyByCommand = function (value) {
      var focused = document.activeElement;
      var area = document.createElement("textarea");
      area.value = value;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      area.style.position = "fixed";
      area.style.top = "0";
      document.body.appendChild(area);
      area.focus({ preventScroll: true });
      area.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (error) { done = false; }
      area.remove();
      if (focused) { focused.focus({ preventScroll: true }); }
      return done ? Promise.resolve() : Promise.reject(new Error("copy failed"));
    };
    var copy = function (value) {
      if (navigator.clipboard && window.isSecureContext) {
        return navigator.clipboard.writeText(value).catch(function () { return copyByCommand(value); });
      }
      return copyByCommand(value);
    };
    // The absolute address; a calendar's as webcal://, which calendar apps take as a subscription.
    var address = function (href, scheme) {
      var url = new URL(href, location.href);
      if (scheme === "webcal" && /^https?:$/.test(url.protocol)) {
        return "webcal://" + url.host + url.pathname + url.search;
      }
      return url.href;
    };
    var copyButtons = document.querySelectorAll(".copy-button[data-copy]");
    copyButtons.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var value = address(button.getAttribute("data-copy"), button.getAttribute("data-scheme"));
        copy(value).then(function () {
          copyButtons.forEach(function (other) { other.classList.remove("copied"); });
          button.classList.add("copied");
          say(copyStatus, copyStatus.getAttribute("data-copied"));
        }, function () {
          say(copyStatus, copyStatus.getAttribute("data-failed"));
        });
      });
    });
  }
  var picker = document.querySelector(".opml-form");
  if (picker && window.Blob && window.XMLSerializer && window.URL && URL.createObjectURL) {
    var pickStatus = picker.querySelector(".opml-status");
    var boxes = picker.querySelectorAll("input[name=feed]");
    var ticked = function () {
      return Array.prototype.filter.call(boxes, function (box) { return box.checked; });
    };
    var opml = function (feeds) {
      var doc = document.implementation.createDocument(null, "opml", null);
      var root = doc.documentElement;
      var add = function (parent, name, text) {
        var element = parent.appendChild(doc.createElement(name));
        if (text) { element.textContent = text; }
        return element;
      };
      root.setAttribute("version", "2.0");
      var head = add(root, "head");
      add(head, "title", picker.getAttribute("data-title"));
      add(head, "dateCreated", new Date().toUTCString());
      var body = add(root, "body");
      feeds.forEach(function (box) {
        var outline = add(body, "outline");
        outline.setAttribute("type", "rss");
        outline.setAttribute("text", box.getAttribute("data-title"));
        outline.setAttribute("title", box.getAttribute("data-title"));
        outline.setAttribute("xmlUrl", new URL(box.value, location.href).href);
        outline.setAttribute("htmlUrl", new URL(box.getAttribute("data-page"), location.href).href);
      });
      return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(doc) + "\n";
    };
    var download = function () {
      var feeds = ticked();
      if (!feeds.length) {
        say(pickStatus, picker.getAttribute("data-none"));
        return;
      }
      var url = URL.createObjectURL(new Blob([opml(feeds)], { type: "text/x-opml;charset=utf-8" }));
      var link = document.createElement("a");
      link.href = url;
      link.download = picker.getAttribute("data-filename");
      link.hidden = true;
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      say(pickStatus, picker.getAttribute("data-done").replace("{count}", feeds.length));
    };
    picker.addEventListener("submit", function (event) { event.preventDefault(); });
    picker.addEventListener("change", function () { pickStatus.textContent = ""; });
    picker.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      if (button.classList.contains("opml-download")) {
        download();
      } else if (button.hasAttribute("data-pick")) {
        var all = button.getAttribute("data-pick") !== "none";
        var scope = all ? button.closest("fieldset") : picker;
        scope.querySelectorAll("input[name=feed]").forEach(function (box) { box.checked = all; });
        say(pickStatus, picker.getAttribute("data-count").replace("{count}", ticked().length));
      }
    });
    picker.hidden = false;
  }
})();
