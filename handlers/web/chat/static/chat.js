// Optional: the page works without it (each message a form post, the page rendered again). With it a
// message (typed, or a choice pressed) is posted with fetch and the conversation of the page the server
// answers is swapped in, without a reload: new messages are appended to the log (its aria-live announces
// them), an error is shown as the page would show it, the text box keeps the focus. Enter sends; a
// message is not sent twice. Should fetch fail, the form is posted the ordinary way.
(function () {
  "use strict";
  var form = document.getElementById("chat");
  var text = document.getElementById("text");

  function showLatest() {
    var latest = document.getElementById("latest");
    if (latest) { latest.scrollIntoView({block: "end"}); }
  }

  if (!document.getElementById("error")) {
    showLatest();
    if (text) { text.focus({preventScroll: true}); }
  }
  if (!form || !text) { return; }
  var sendButton = form.querySelector("button.send");
  var sending = false;
  var capable = !!(window.fetch && window.DOMParser && window.URLSearchParams && window.FormData);

  // The form's fields and the pressed button's name=value, as the browser would post them.
  function fields(submitter) {
    var data = new FormData(form, submitter);
    if (submitter && submitter.name && !data.has(submitter.name)) {  // a browser without FormData's 2nd argument
      data.append(submitter.name, submitter.value);
    }
    return new URLSearchParams(data);  // application/x-www-form-urlencoded, like the ordinary post
  }

  // The ordinary post of the same form (the same message id: had the first one arrived, it has one effect).
  function postNatively(submitter) {
    if (submitter && submitter.name) {
      var pressed = document.createElement("input");
      pressed.type = "hidden";
      pressed.name = submitter.name;
      pressed.value = submitter.value;
      form.appendChild(pressed);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  function same(a, b) {
    return a.className === b.className && a.textContent === b.textContent;
  }

  // The conversation of ``doc`` (the chat page the server answered) into this page; false when it shows an error.
  function swap(doc, fresh) {
    var log = form.querySelector(".log");
    var old = Array.prototype.slice.call(log.children);
    var next = Array.prototype.slice.call(fresh.querySelector(".log").children);
    var continues = next.length >= old.length && old.every(function (item, i) { return same(item, next[i]); });
    if (continues) {  // only the new messages are added, so only they are announced
      old.forEach(function (item, i) {
        var buttons = item.querySelectorAll("button"), now = next[i].querySelectorAll("button");
        for (var b = 0; b < buttons.length && b < now.length; b++) { buttons[b].disabled = now[b].disabled; }
        item.removeAttribute("id");
      });
      next.slice(old.length).forEach(function (item) { log.appendChild(document.importNode(item, true)); });
    } else {  // another conversation (a new visitor, a pruned transcript): all of it
      while (log.firstChild) { log.removeChild(log.firstChild); }
      next.forEach(function (item) { log.appendChild(document.importNode(item, true)); });
    }
    [".privacy", ".intro"].forEach(function (selector) {  // the notice before the first message
      var here = document.querySelector(selector);
      if (here && !doc.querySelector(selector)) { here.parentNode.removeChild(here); }
    });
    var shown = document.getElementById("error"), error = doc.getElementById("error");
    if (shown) { shown.parentNode.removeChild(shown); }
    if (error) {  // role="alert": read out when it appears
      var main = document.getElementById("main");
      main.insertBefore(document.importNode(error, true), main.firstChild);
    }
    ["csrf", "mid"].forEach(function (name) {  // last: a form posted again after a failure keeps its id
      var field = form.querySelector('input[name="' + name + '"]');
      var value = fresh.querySelector('input[name="' + name + '"]');
      if (field && value) { field.value = value.value; }
    });
    return !error;
  }

  function done() {
    sending = false;
    if (sendButton) { sendButton.disabled = false; }
    showLatest();
    text.focus({preventScroll: true});
  }

  form.addEventListener("submit", function (event) {
    if (sending) { event.preventDefault(); return; }
    sending = true;
    if (!capable) { return; }  // the ordinary post
    event.preventDefault();
    var submitter = event.submitter || null;
    var body = fields(submitter);
    if (sendButton) { sendButton.disabled = true; }
    fetch(form.action, {method: "POST", body: body, credentials: "same-origin", redirect: "follow",
                        headers: {"Accept": "text/html"}})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("chat");
        if (!fresh || !fresh.querySelector(".log")) {  // not the chat page (the service unavailable …)
          postNatively(submitter);  // the browser shows what the server says, as without the script
          return;
        }
        if (swap(doc, fresh)) { text.value = ""; }  // on an error the text stays, to be sent again
        done();
      }, function () { postNatively(submitter); })  // the network failed: nothing is lost
      .catch(function () { window.location.reload(); });  // the conversation is on the server
  });

  text.addEventListener("keydown", function (event) {  // Enter sends, Shift+Enter starts a new line
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && text.value.trim()) {
      event.preventDefault();
      if (sendButton) { sendButton.click(); }
    }
  });
})();
