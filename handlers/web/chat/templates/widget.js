// The chat widget: <script src="https://CHAT-HOST/widget.js" async></script> adds a button that opens the
// chat in a frame. The site embedding it must be listed in WEB_ALLOWED_ORIGINS. Rendered by the chat
// (handlers/web/chat/app.py): its two texts come from bot/texts/webchat.py.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var chatUrl = script.src.replace(/widget\.js(\?.*)?$/, "");
  var open = document.createElement("button");
  open.type = "button";
  open.textContent = script.getAttribute("data-label") || {{ t.WEB_WIDGET_LABEL | tojson }};
  open.setAttribute("aria-expanded", "false");
  open.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:2147483000;padding:10px 16px;" +
    "font-size:16px;border:0;border-radius:22px;background:#a61b1b;color:#fff;cursor:pointer";
  var frame = null;
  open.addEventListener("click", function () {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.src = chatUrl;
      frame.title = {{ t.WEB_CHAT_TITLE | tojson }};
      frame.style.cssText = "position:fixed;right:16px;bottom:72px;z-index:2147483000;width:min(420px,calc(100vw - 32px));" +
        "height:min(640px,calc(100vh - 96px));border:1px solid #ccc;border-radius:8px;background:#fff";
      document.body.appendChild(frame);
    } else {
      frame.hidden = !frame.hidden;
    }
    open.setAttribute("aria-expanded", frame.hidden ? "false" : "true");
  });
  document.body.appendChild(open);
})();
