/*
 * Runs the search worker inside a hidden iframe when a page is opened from
 * disk (file://), where browsers refuse to start Web Workers. The search
 * worker of mkdocs-material checks for `IFrameWorker` on its parent window
 * and then loads its language scripts through the `importScripts` we give it.
 * Served over http(s) the real Worker is left alone, and the request for the
 * search index is answered from the one index file packgen keeps.
 */
(function () {
  "use strict";
  if (window.location.protocol !== "file:") {
    serveIndexFromScript();
    return;
  }
  if (window.IFrameWorker) {
    return;
  }

  /*
   * packgen keeps one search index per language, the search/search_index.js
   * that pages opened from disk load. Served over http the theme asks for
   * search_index.json instead: answer that request from the script.
   */
  function serveIndexFromScript() {
    var XHR = window.XMLHttpRequest;
    if (!XHR || XHR.prototype._packgenIndex) {
      return;
    }
    var open = XHR.prototype.open;
    var send = XHR.prototype.send;
    XHR.prototype._packgenIndex = true;
    XHR.prototype.open = function (method, url) {
      var address = String(url);
      this._packgenScript = /\/search\/search_index\.json(?:$|[?#])/.test(address)
        ? new URL(address.replace(/search_index\.json/, "search_index.js"), document.baseURI).href
        : null;
      this._packgenMethod = method;
      return open.apply(this, arguments);
    };
    XHR.prototype.send = function () {
      var request = this;
      if (!request._packgenScript) {
        return send.apply(request, arguments);
      }
      loadScript(document, request._packgenScript).then(function () {
        var blob = new Blob([JSON.stringify(window.__index)], { type: "application/json" });
        open.call(request, request._packgenMethod, URL.createObjectURL(blob));
        send.call(request);
      }, function () {
        send.call(request);
      });
    };
  }

  function loadScript(doc, url) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = url;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("cannot load " + url)); };
      (doc.head || doc.documentElement).appendChild(script);
    });
  }

  function IFrameWorker(url) {
    var self = this;
    this.onmessage = null;
    this.onerror = null;
    this._listeners = { message: [], error: [] };
    this._pending = [];
    this._ready = false;

    var frame = document.createElement("iframe");
    frame.setAttribute("aria-hidden", "true");
    frame.setAttribute("tabindex", "-1");
    frame.style.display = "none";
    (document.body || document.documentElement).appendChild(frame);
    this._frame = frame;

    var inner = frame.contentWindow;
    var doc = inner.document;
    doc.open();
    doc.write("<!doctype html><html><head></head><body></body></html>");
    doc.close();

    inner.importScripts = function () {
      var urls = Array.prototype.slice.call(arguments);
      return urls.reduce(function (done, next) {
        return done.then(function () { return loadScript(doc, next); });
      }, Promise.resolve());
    };
    // The worker answers with a global postMessage(data); hand it to our listeners.
    inner.postMessage = function (data) {
      window.setTimeout(function () { self._emit("message", { data: data }); }, 0);
    };

    loadScript(doc, new URL(url, window.location.href).href).then(
      function () {
        self._ready = true;
        self._pending.splice(0).forEach(function (data) { self.postMessage(data); });
      },
      function (error) { self._emit("error", { message: String(error), error: error }); }
    );
  }

  IFrameWorker.prototype.postMessage = function (data) {
    if (!this._ready) {
      this._pending.push(data);
      return;
    }
    var inner = this._frame.contentWindow;
    inner.dispatchEvent(new inner.MessageEvent("message", { data: data }));
  };

  IFrameWorker.prototype._emit = function (type, init) {
    var event = type === "message" ? new MessageEvent("message", init) : new ErrorEvent("error", init);
    var handler = this["on" + type];
    if (typeof handler === "function") {
      handler.call(this, event);
    }
    this._listeners[type].slice().forEach(function (listener) { listener.call(this, event); }, this);
  };

  IFrameWorker.prototype.addEventListener = function (type, listener) {
    if (this._listeners[type] && this._listeners[type].indexOf(listener) < 0) {
      this._listeners[type].push(listener);
    }
  };

  IFrameWorker.prototype.removeEventListener = function (type, listener) {
    var list = this._listeners[type] || [];
    var index = list.indexOf(listener);
    if (index >= 0) {
      list.splice(index, 1);
    }
  };

  IFrameWorker.prototype.terminate = function () {
    if (this._frame.parentNode) {
      this._frame.parentNode.removeChild(this._frame);
    }
  };

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
