// "Send this page" (templates/partials/share.html): the copy button, shown only when the
// browser can copy. The SMS and WhatsApp entries are plain links and need no script.
(function () {
  "use strict";
  var buttons = document.querySelectorAll(".share-copy");
  if (!navigator.clipboard || !window.isSecureContext) return;
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    var status = button.closest(".share").querySelector(".share-status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-url")).then(function () {
        if (status) status.textContent = button.getAttribute("data-done") || "";
      });
    });
  });
})();
