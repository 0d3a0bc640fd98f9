/* The size check of the forms' photo and image fields: a file over the service's limit
   (data-max-bytes) is refused in the browser before the form is sent, with the field's message
   (data-too-large) shown by the browser at the field. The service refuses it too (413, on the form). */
(function () {
  "use strict";

  function check(input) {
    var limit = Number(input.dataset.maxBytes);
    var file = input.files && input.files[0];
    input.setCustomValidity(file && file.size > limit ? input.dataset.tooLarge : "");
    input.reportValidity();
  }

  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () { check(input); });
  });
})();
