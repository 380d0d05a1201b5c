// Optional: the page works without it. Shows the latest message and keeps a message from being sent twice.
(function () {
  "use strict";
  var latest = document.getElementById("latest");
  if (latest && !document.getElementById("error")) { latest.scrollIntoView({block: "end"}); }
  var text = document.getElementById("text");
  if (text && !document.getElementById("error")) { text.focus({preventScroll: true}); }
  var form = document.getElementById("chat");
  if (!form) { return; }
  var sending = false;
  form.addEventListener("submit", function (event) {
    if (sending) { event.preventDefault(); return; }
    sending = true;
  });
  if (text) {  // Enter sends, Shift+Enter starts a new line
    text.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && text.value.trim()) {
        event.preventDefault();
        form.querySelector("button.send").click();
      }
    });
  }
})();
