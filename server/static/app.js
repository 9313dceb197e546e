// Progressive enhancement for the pages: every page works without this file.
// - the search box shows results while one types (GET /api/v1/search);
// - the card editor previews the card while one types (POST /api/v1/cards/preview);
// - a test saves each answer as it is given, retrying while offline, and counts down.
// Loaded with `defer` from /static/app.js; the CSP forbids inline scripts and handlers.
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // The server sends snippets as escaped text with <mark> around matches. Rebuild them
  // keeping only text and <mark>, so nothing else can ever reach the page.
  function markedText(html) {
    var doc = new DOMParser().parseFromString("<body>" + html, "text/html");
    var out = document.createDocumentFragment();
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
        out.appendChild(el("mark", "", node.textContent));
      } else {
        out.appendChild(document.createTextNode(node.textContent || ""));
      }
    });
    return out;
  }

  var TRACKS = { coffee: "Кофе", service: "Сервис", bar: "Бар" };

  function plural(n, one, few, many) {
    var m10 = n % 10;
    var m100 = n % 100;
    if (m10 === 1 && m100 !== 11) return one;
    if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
    return many;
  }

  // ---- Search as you type ------------------------------------------------------------

  function initSearch() {
    var form = document.getElementById("site-search");
    if (!form) return;
    var input = document.getElementById("search-q");
    var list = document.getElementById("search-suggest");
    var status = document.getElementById("search-status");
    if (!input || !list || !status) return;
    var latest = 0;
    input.setAttribute("aria-controls", "search-suggest");
    input.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true;
      list.replaceChildren();
      input.setAttribute("aria-expanded", "false");
    }

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll("a"));
    }

    function searchHref(q) {
      return "/search?q=" + encodeURIComponent(q);
    }

    function render(q, data) {
      list.replaceChildren();
      (data.hits || []).forEach(function (hit) {
        var li = el("li");
        var a = el("a");
        a.href = "/cards/" + encodeURIComponent(hit.id);
        a.appendChild(el("span", "s-title", hit.title));
        a.appendChild(el("span", "s-track", TRACKS[hit.track] || ""));
        var snippet = el("span", "s-snippet");
        snippet.appendChild(markedText(hit.snippet || ""));
        a.appendChild(snippet);
        li.appendChild(a);
        list.appendChild(li);
      });
      if (!data.hits || data.hits.length === 0) {
        list.appendChild(el("li", "s-empty", "Ничего не нашлось"));
      }
      if (data.suggestion) {
        var li = el("li");
        var a = el("a");
        a.href = searchHref(data.suggestion);
        a.appendChild(document.createTextNode("Возможно, вы имели в виду: «"));
        a.appendChild(el("strong", "", data.suggestion));
        a.appendChild(document.createTextNode("»"));
        li.appendChild(a);
        list.appendChild(li);
      }
      if (data.total > 0) {
        var all = el("li");
        var more = el("a", "s-all", "Все результаты (" + data.total + ")");
        more.href = searchHref(q);
        all.appendChild(more);
        list.appendChild(all);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = data.total > 0
        ? "Найдено " + data.total + " " + plural(data.total, "карточка", "карточки", "карточек") +
          ". Стрелка вниз — к результатам."
        : "Ничего не нашлось.";
    }

    var run = debounce(function () {
      var q = input.value.trim();
      var mine = ++latest;
      if (q.length < 2) {
        close();
        status.textContent = "";
        return;
      }
      fetch("/api/v1/search?q=" + encodeURIComponent(q) + "&limit=8", {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (res) {
          if (!res.ok) throw new Error("search " + res.status);
          return res.json();
        })
        .then(function (data) {
          // A slower answer to an older query must not replace a newer one.
          if (mine === latest && input.value.trim() === q) render(q, data);
        })
        .catch(function () {
          if (mine === latest) close();
        });
    }, 200);

    input.addEventListener("input", function () {
      latest++;
      run();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      } else if (event.key === "ArrowDown" && !list.hidden) {
        var first = links()[0];
        if (first) {
          event.preventDefault();
          first.focus();
        }
      }
    });
    list.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "Escape") {
        event.preventDefault();
        close();
        input.focus();
      } else if (event.key === "ArrowDown" && at >= 0) {
        event.preventDefault();
        if (at + 1 < all.length) all[at + 1].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        if (at > 0) all[at - 1].focus();
        else input.focus();
      }
    });
    // Leaving the search (click or Tab elsewhere) closes the results.
    form.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !form.contains(event.relatedTarget)) {
        setTimeout(function () {
          if (!form.contains(document.activeElement)) close();
        }, 0);
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
  }

  // ---- Card editor: live preview -----------------------------------------------------

  function cardBody(sections) {
    var body = el("div", "card-body");
    function section(className, heading, html) {
      var sec = el("section", "sec" + (className ? " " + className : ""));
      sec.appendChild(heading);
      if (html !== null) {
        var text = el("div", "card-text");
        // Sections come from the server's card renderer, which sanitises them.
        text.innerHTML = html;
        sec.appendChild(text);
      }
      body.appendChild(sec);
      return sec;
    }
    function listOf(tag, className, items) {
      var list = el(tag, className);
      items.forEach(function (html) {
        var li = el("li");
        var text = el("div", "card-text");
        text.innerHTML = html;
        li.appendChild(text);
        list.appendChild(li);
      });
      return list;
    }
    function verdict(label, symbol, title) {
      var h = el("h3");
      var badge = el("span", "verdict");
      var mark = el("span", "", symbol + " ");
      mark.setAttribute("aria-hidden", "true");
      badge.appendChild(mark);
      badge.appendChild(document.createTextNode(label));
      h.appendChild(badge);
      h.appendChild(document.createTextNode(" " + title));
      return h;
    }
    section("", el("h3", "", "Ситуация"), sections.situation);
    section("", el("h3", "", "Действия"), null).appendChild(listOf("ol", "steps", sections.steps));
    section("verdict-do", verdict("Так", "✓", "Пример"), sections.example);
    section("verdict-dont", verdict("Не так", "✗", "Антипример"), sections.anti_example);
    if (sections.explanation !== null && sections.explanation !== undefined) {
      section("", el("h3", "", "Пояснение"), sections.explanation);
    }
    section("taboo", el("h3", "", "Табу — никогда"), null).appendChild(listOf("ul", "", sections.taboo));
    return body;
  }

  function renderProblems(box, problems) {
    box.replaceChildren();
    if (!problems || problems.length === 0) return;
    box.appendChild(el("h2", "problems-title", "Нужно исправить"));
    var list = el("ul", "problems");
    list.id = "problems";
    problems.forEach(function (p) {
      var warning = p.severity === "warning";
      var li = el("li", warning ? "warning" : "error");
      li.appendChild(el("span", "severity", warning ? "Предупреждение:" : "Ошибка:"));
      li.appendChild(
        document.createTextNode(" строка " + p.line + ", столбец " + p.column + ": " + p.message)
      );
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function initEditor() {
    var form = document.getElementById("card-editor");
    if (!form || !form.dataset.previewUrl) return;
    var source = document.getElementById("source");
    var box = document.getElementById("problems-box");
    var preview = document.getElementById("preview");
    var card = document.getElementById("preview-card");
    var status = document.getElementById("preview-status");
    if (!source || !box || !preview || !card || !status) return;
    var latest = 0;
    var dirty = false;

    var run = debounce(function () {
      var mine = ++latest;
      var text = source.value;
      fetch(form.dataset.previewUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRF-Token": csrfToken(),
        },
        body: JSON.stringify({ source: text }),
      })
        .then(function (res) {
          if (!res.ok) throw new Error("preview " + res.status);
          return res.json();
        })
        .then(function (data) {
          if (mine !== latest) return;
          renderProblems(box, data.problems);
          var errors = (data.problems || []).filter(function (p) {
            return p.severity !== "warning";
          }).length;
          if (data.valid && data.sections) {
            card.replaceChildren(el("h3", "preview-title", data.title || ""), cardBody(data.sections));
            preview.classList.remove("stale");
            status.textContent = "Предпросмотр обновлён, ошибок нет.";
          } else {
            preview.classList.add("stale");
            status.textContent = "Ошибок: " + errors + ". Ниже — последняя правильная версия.";
          }
        })
        .catch(function () {
          if (mine !== latest) return;
          status.textContent = "Живой предпросмотр недоступен — нажмите «Предпросмотр».";
        });
    }, 400);

    source.addEventListener("input", function () {
      dirty = source.value !== source.defaultValue;
      latest++;
      run();
    });
    form.addEventListener("submit", function () {
      dirty = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  // The test: each answer is saved as it is given (PUT /api/v1/attempts/{id}/answers/{q}).
  // Answers that cannot be sent wait in localStorage and are retried when the connection
  // returns; the line under the question says whether the answer is safe on the server.
  // The form still posts on «Дальше», so nothing depends on this script.
  var PENDING_KEY = "zhmp-pending-answers";

  function readPending() {
    try {
      return JSON.parse(window.localStorage.getItem(PENDING_KEY) || "{}");
    } catch (e) {
      return {};
    }
  }

  function writePending(pending) {
    try {
      window.localStorage.setItem(PENDING_KEY, JSON.stringify(pending));
    } catch (e) {
      /* storage full or disabled: the retry then lives only in this page */
    }
  }

  function answerFromForm(form, kind) {
    var data = new FormData(form);
    var numbered = function (prefix) {
      var out = [];
      data.forEach(function (value, name) {
        if (name.indexOf(prefix) === 0 && value !== "") {
          out.push([parseInt(name.slice(prefix.length), 10), parseInt(value, 10)]);
        }
      });
      return out;
    };
    switch (kind) {
      case "single":
        return data.get("choice") === null ? null : { choice: parseInt(data.get("choice"), 10) };
      case "multiple":
        return { choices: data.getAll("choices").map(function (v) { return parseInt(v, 10); }) };
      case "true_false":
        return data.get("value") === null ? null : { value: data.get("value") === "true" };
      case "short":
      case "numeric":
        var text = (data.get("text") || "").trim();
        return text === "" ? null : { text: text };
      case "ordering":
        var positions = numbered("pos_");
        positions.sort(function (a, b) { return a[1] - b[1] || a[0] - b[0]; });
        return { order: positions.map(function (p) { return p[0]; }) };
      case "matching":
        var count = form.querySelectorAll("select[name^='match_']").length;
        var chosen = numbered("match_");
        var matches = [];
        for (var i = 0; i < count; i++) matches.push(null);
        chosen.forEach(function (p) { matches[p[0]] = p[1]; });
        return { matches: matches };
    }
    return null;
  }

  function initQuiz() {
    var quiz = document.getElementById("quiz") || document.getElementById("quiz-submit");
    if (!quiz) return;
    var timeLeft = document.getElementById("time-left");
    var deadline = Date.parse(quiz.getAttribute("data-deadline"));
    if (timeLeft && !isNaN(deadline)) {
      var tick = function () {
        var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
        var m = Math.floor(left / 60);
        var s = left % 60;
        timeLeft.textContent = "Осталось " + m + ":" + (s < 10 ? "0" : "") + s;
        if (left === 0) {
          // The server has closed the attempt: show where it stands.
          window.location.reload();
          return;
        }
        setTimeout(tick, 1000);
      };
      tick();
    }
    var form = document.getElementById("quiz-form");
    if (!form) return;
    var attempt = quiz.getAttribute("data-attempt");
    var question = quiz.getAttribute("data-question");
    var kind = quiz.getAttribute("data-kind");
    var state = document.getElementById("save-state");

    function show(text, unsaved) {
      state.textContent = text;
      state.classList.toggle("unsaved", !!unsaved);
    }

    function send(key, item) {
      return fetch(
        "/api/v1/attempts/" + item.attempt + "/answers/" + encodeURIComponent(item.question),
        {
          method: "PUT",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
          body: JSON.stringify(item.answer)
        }
      ).then(function (response) {
        var pending = readPending();
        // Saved, refused (a malformed answer) or closed: either way, not worth retrying.
        if (response.ok || (response.status >= 400 && response.status < 500)) {
          delete pending[key];
          writePending(pending);
        }
        return response;
      });
    }

    function flush() {
      var pending = readPending();
      Object.keys(pending).forEach(function (key) {
        send(key, pending[key]).then(function (response) {
          if (key === attempt + "/" + question) {
            show(response.ok ? "Сохранено" : "Ответ не принят — проверьте его", !response.ok);
          }
        }, function () {
          if (key === attempt + "/" + question) {
            show("Не сохранено: нет связи. Сохраним, когда связь появится.", true);
          }
        });
      });
    }

    var save = debounce(function () {
      var answer = answerFromForm(form, kind);
      if (answer === null) return;
      var key = attempt + "/" + question;
      var pending = readPending();
      pending[key] = { attempt: attempt, question: question, answer: answer };
      writePending(pending);
      show("Сохраняем…", false);
      flush();
    }, 300);

    form.addEventListener("change", save);
    form.addEventListener("input", save);
    window.addEventListener("online", flush);
    setInterval(function () {
      if (Object.keys(readPending()).length > 0) flush();
    }, 5000);
    flush();
  }

  function init() {
    initSearch();
    initEditor();
    initQuiz();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

// Printable pages: a button instead of an inline handler (the CSP forbids those).
document.querySelectorAll('[data-print]').forEach((button) => {
  button.addEventListener('click', () => window.print());
});
