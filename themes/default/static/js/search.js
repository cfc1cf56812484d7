/* Search for the Safe Surgeries site, in the reader's browser: the search page's form names
   its language's index (search/index.json, written by the build), loaded from this site on the
   first search. No other server is asked, and nothing is evaluated as code, so the page's
   Content-Security-Policy (script-src 'self') holds.

   `tokenize` must split text exactly as the build does (src/search/tokens.rs): the index holds
   the build's terms, and a query finds only what it splits into the same terms. Change both
   together; tests/search.rs runs both on the same texts. */
(function () {
  "use strict";

  // Latin letters with diacritics, lower case, and what they fold to, by position.
  var LATIN_FROM = "àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšșţťțŧùúûüũūŭůűųŵýÿŷźżž";
  var LATIN_TO = "aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssssttttuuuuuuuuuuwyyyzzz";
  var LATIN = new Map();
  for (var i = 0; i < LATIN_FROM.length; i++) {
    LATIN.set(LATIN_FROM[i], LATIN_TO[i]);
  }

  var ARABIC = new Map([
    ["أ", "ا"], ["إ", "ا"], ["آ", "ا"], ["ٱ", "ا"],
    ["ي", "ی"], ["ى", "ی"],
    ["ك", "ک"],
    ["ة", "ه"], ["ۀ", "ه"], ["ہ", "ه"], ["ۃ", "ه"], ["ە", "ه"]
  ]);

  // Where the digits 0-9 of Arabic, Persian, Bengali and Gurmukhi start.
  var DIGIT_ZEROS = [0x0660, 0x06f0, 0x09e6, 0x0a66];

  var WORD = /^[\p{L}\p{N}\p{M}]$/u;
  var MARK = /^\p{M}$/u;

  function inRange(cp, from, to) {
    return cp >= from && cp <= to;
  }

  /* One lower-cased character, folded as the build folds it; null when it is dropped
     (Arabic harakat and tatweel, combining accents, joiners, apostrophes). */
  function fold(c) {
    var cp = c.codePointAt(0);
    if (inRange(cp, 0x064b, 0x065f) || cp === 0x0670 || cp === 0x0640) return null;
    if (inRange(cp, 0x0300, 0x036f) || cp === 0x00ad || cp === 0x200c || cp === 0x200d) return null;
    if (cp === 0x27 || cp === 0x2018 || cp === 0x2019 || cp === 0x02bc) return null;
    var arabic = ARABIC.get(c);
    if (arabic) return arabic;
    for (var z = 0; z < DIGIT_ZEROS.length; z++) {
      if (inRange(cp, DIGIT_ZEROS[z], DIGIT_ZEROS[z] + 9)) return String(cp - DIGIT_ZEROS[z]);
    }
    if (inRange(cp, 0xff01, 0xff5e)) return String.fromCodePoint(cp - 0xfee0);
    return LATIN.get(c) || c;
  }

  function isHan(cp) {
    return inRange(cp, 0x3400, 0x4dbf) || inRange(cp, 0x4e00, 0x9fff) ||
      inRange(cp, 0xf900, 0xfaff) || inRange(cp, 0x20000, 0x2a6df) ||
      inRange(cp, 0x2a700, 0x2ebef) || inRange(cp, 0x2f800, 0x2fa1f) ||
      inRange(cp, 0x30000, 0x323af);
  }

  /* The terms of `text`: words of letters, numbers and combining marks, and overlapping
     pairs of Han ideographs (a lone ideograph stands alone). */
  function tokenize(text) {
    var tokens = [];
    var word = "";
    var han = [];
    function flushWord() {
      if (word) tokens.push(word);
      word = "";
    }
    function flushHan() {
      if (han.length === 1) tokens.push(han[0]);
      for (var k = 0; k + 1 < han.length; k++) tokens.push(han[k] + han[k + 1]);
      han = [];
    }
    for (var ch of text) {
      for (var lower of ch.toLowerCase()) {
        var c = fold(lower);
        if (c === null) continue;
        if (isHan(c.codePointAt(0))) {
          flushWord();
          han.push(c);
        } else if (WORD.test(c)) {
          if (han.length && MARK.test(c)) continue;
          flushHan();
          word += c;
        } else {
          flushWord();
          flushHan();
        }
      }
    }
    flushWord();
    flushHan();
    return tokens;
  }

  /* Pages that have every query term, best first: a query term matches the index terms it
     starts (interpret finds interpreters), in each page its best match counts (twice when
     exact), and a page's score is the sum over the query's terms. */
  function rank(index, query) {
    var terms = Array.from(new Set(tokenize(query)));
    if (!terms.length) return [];
    var scores = null;
    for (var t = 0; t < terms.length; t++) {
      var q = terms[t];
      var best = new Map();
      for (var e = 0; e < index.terms.length; e++) {
        var term = index.terms[e][0];
        if (!term.startsWith(q)) continue;
        var postings = index.terms[e][1];
        var factor = term === q ? 2 : 1;
        for (var p = 0; p + 1 < postings.length; p += 2) {
          var weight = postings[p + 1] * factor;
          if ((best.get(postings[p]) || 0) < weight) best.set(postings[p], weight);
        }
      }
      if (scores === null) {
        scores = best;
      } else {
        var both = new Map();
        scores.forEach(function (score, doc) {
          if (best.has(doc)) both.set(doc, score + best.get(doc));
        });
        scores = both;
      }
      if (!scores.size) return [];
    }
    return Array.from(scores)
      .sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
      .map(function (pair) { return index.docs[pair[0]]; });
  }

  function start() {
    var form = document.getElementById("search-form");
    if (!form) return;
    var input = document.getElementById("search-q");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-list");
    var needsJs = document.getElementById("search-needs-js");
    if (needsJs) needsJs.hidden = true;
    form.hidden = false;

    var loading = null;
    // The offline copy's index is a script setting a global: pages opened from disk (file://)
    // cannot fetch.
    function loadScript(src) {
      return new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () {
          if (window.safeSurgeriesSearchIndex) resolve(window.safeSurgeriesSearchIndex);
          else reject(new Error("search index: empty"));
        };
        script.onerror = function () { reject(new Error("search index: not loaded")); };
        document.head.appendChild(script);
      });
    }
    function load() {
      if (!loading) {
        loading = /\.js$/.test(form.dataset.index) ? loadScript(form.dataset.index) : fetch(form.dataset.index, { credentials: "same-origin" }).then(function (reply) {
          if (!reply.ok) throw new Error("search index: HTTP " + reply.status);
          return reply.json();
        });
      }
      return loading;
    }

    // Only the latest search may show its results: an earlier one can finish later.
    var latest = 0;
    function show(query) {
      var ticket = ++latest;
      if (!tokenize(query).length) {
        status.textContent = "";
        list.replaceChildren();
        list.hidden = true;
        return;
      }
      load().then(function (index) {
        if (ticket !== latest) return;
        var found = rank(index, query);
        list.replaceChildren.apply(list, found.map(result));
        list.hidden = !found.length;
        status.textContent = found.length
          ? form.dataset.count.replace("{count}", String(found.length))
          : form.dataset.none;
      }).catch(function () {
        loading = null;
        if (ticket !== latest) return;
        list.replaceChildren();
        list.hidden = true;
        status.textContent = form.dataset.error;
      });
    }

    function result(doc) {
      var item = document.createElement("li");
      var heading = document.createElement("h2");
      var link = document.createElement("a");
      link.href = doc.url;
      link.textContent = doc.title;
      heading.appendChild(link);
      item.appendChild(heading);
      if (doc.excerpt) {
        var excerpt = document.createElement("p");
        excerpt.textContent = doc.excerpt;
        item.appendChild(excerpt);
      }
      return item;
    }

    function fromAddress() {
      return new URLSearchParams(window.location.search).get("q") || "";
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var query = input.value;
      var address = new URL(window.location.href);
      if (query.trim()) {
        address.searchParams.set("q", query);
      } else {
        address.searchParams.delete("q");
      }
      try {
        window.history.pushState(null, "", address);
      } catch (e) {
        // Pages opened from disk may not change their address: search all the same.
      }
      show(query);
    });
    window.addEventListener("popstate", function () {
      input.value = fromAddress();
      show(input.value);
    });

    input.value = fromAddress();
    if (input.value) {
      show(input.value);
    } else {
      input.focus();
    }
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { tokenize: tokenize, rank: rank };
  }
  if (typeof document !== "undefined") {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }
})();
