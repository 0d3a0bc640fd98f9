/* The spam check of the submission forms: a small proof of work in the ALTCHA style, served by
   the service itself. The form carries a signed challenge (data-challenge): find the number n,
   0 <= n <= maxnumber, whose SHA-256 of salt + n equals the challenge, and put the solution in the
   hidden field named by data-pow-field. The work starts when the page loads and takes a moment;
   a person who presses "send" earlier sees a short message, and the form goes off once it is done.
   Nothing leaves the page while it works. */
(function () {
  "use strict";

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  async function solve(challenge) {
    var encoder = new TextEncoder();
    var batch = 500;
    for (var start = 0; start <= challenge.maxnumber; start += batch) {
      var end = Math.min(challenge.maxnumber, start + batch - 1);
      var tries = [];
      for (var n = start; n <= end; n += 1) {
        tries.push(crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n)));
      }
      var digests = await Promise.all(tries);
      for (var i = 0; i < digests.length; i += 1) {
        if (hex(digests[i]) === challenge.challenge) {
          return start + i;
        }
      }
    }
    return null;
  }

  function setUp(form) {
    var challenge = JSON.parse(form.getAttribute("data-challenge"));
    var field = form.querySelector("input[name='" + form.getAttribute("data-pow-field") + "']");
    var status = form.querySelector(".pow-status");
    var state = { done: false, waiting: false };
    if (status) { status.textContent = status.getAttribute("data-working"); }

    form.addEventListener("submit", function (event) {
      if (!state.done) {
        event.preventDefault();
        state.waiting = true;
        if (status) { status.textContent = status.getAttribute("data-wait"); }
      }
    });

    solve(challenge).then(function (number) {
      if (number === null) {
        if (status) { status.textContent = status.getAttribute("data-failed"); }
        return;
      }
      var solution = {
        algorithm: challenge.algorithm,
        challenge: challenge.challenge,
        number: number,
        salt: challenge.salt,
        signature: challenge.signature
      };
      field.value = btoa(JSON.stringify(solution));
      state.done = true;
      if (status) { status.textContent = status.getAttribute("data-done"); }
      if (state.waiting) { form.requestSubmit ? form.requestSubmit() : form.submit(); }
    });
  }

  document.querySelectorAll("form[data-challenge]").forEach(setUp);
}());
