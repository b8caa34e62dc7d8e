// The review screen: show a card, reveal it, rate it — by keyboard or pointer.
// One request per answer; the server replies with the next card.
"use strict";

(() => {
  const root = document.getElementById("study");
  if (!root) return;

  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  // The part of the deck being studied: one topic or one scene symbol (or all).
  const scope = { tag: root.dataset.tag || null, symbol: root.dataset.symbol || null };
  const el = (selector) => document.querySelector(selector);
  const view = {
    card: el(".card-view"),
    prompt: el(".card-front .prompt"),
    frontScene: el(".front-scene"),
    back: el(".card-back"),
    show: el(".show-answer"),
    ratings: el(".ratings"),
    done: el(".done"),
    status: el(".status"),
    progress: el(".progress"),
    dialog: el(".scene-dialog"),
  };
  const session = { card: null, shownAt: 0, revealed: false, busy: false, answered: 0 };

  async function call(url, body) {
    const options = { headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrfToken;
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error((data.error && data.error.message) || `The server answered ${response.status}.`);
    }
    return data;
  }

  function say(message) {
    view.status.textContent = message || "";
  }

  function showCounts(counts) {
    el(".count-new").textContent = counts.new;
    el(".count-learning").textContent = counts.learning;
    el(".count-review").textContent = counts.review;
    const left = counts.new + counts.learning + counts.review;
    const total = session.answered + left;
    const percent = total ? Math.round((100 * session.answered) / total) : 100;
    view.progress.setAttribute("aria-valuenow", String(percent));
    view.progress.firstElementChild.style.width = `${percent}%`;
  }

  function render(data) {
    showCounts(data.counts);
    session.card = data.done ? null : data.card;
    session.revealed = false;
    view.done.hidden = !data.done;
    view.card.hidden = !!data.done;
    view.show.hidden = !!data.done;
    view.ratings.hidden = true;
    if (data.done) return;
    const card = data.card;
    view.prompt.innerHTML = card.front_html;
    view.frontScene.hidden = !card.front_scene_url;
    if (card.front_scene_url) view.frontScene.src = card.front_scene_url;
    view.back.innerHTML = card.back_html;
    view.back.hidden = true;
    for (const button of card.buttons) {
      const target = view.ratings.querySelector(`[data-rating="${button.rating}"]`);
      target.querySelector(".interval").textContent = button.interval;
      target.setAttribute("aria-label", `${button.label}, next in ${button.interval} (key ${button.rating})`);
    }
    session.shownAt = performance.now();
    view.show.focus({ preventScroll: true });
  }

  function reveal() {
    if (!session.card || session.revealed) return;
    session.revealed = true;
    view.back.hidden = false;
    view.show.hidden = true;
    view.ratings.hidden = false;
    view.ratings.querySelector('[data-rating="3"]').focus({ preventScroll: true });
  }

  async function act(url, body) {
    if (session.busy) return;
    session.busy = true;
    say("");
    try {
      render(await call(url, body));
    } catch (error) {
      say(error.message);
      render(await call(root.dataset.nextUrl));
    } finally {
      session.busy = false;
    }
  }

  function rate(rating) {
    if (!session.revealed || session.busy) return;
    const token = session.card.token;
    const duration = Math.round(performance.now() - session.shownAt);
    session.answered += 1;
    act(root.dataset.answerUrl, { token, rating, duration_ms: duration, ...scope });
  }

  function undo() {
    if (session.answered > 0) session.answered -= 1;
    act(root.dataset.undoUrl, { ...scope });
  }

  function setAside(url, message) {
    if (!session.card) return;
    act(url, { token: session.card.token, ...scope }).then(() => say(message));
  }

  function enlarge() {
    const answerScene = session.revealed ? view.back.querySelector("img.scene") : null;
    const source = answerScene || (view.frontScene.hidden ? null : view.frontScene);
    if (!source) return;
    view.dialog.querySelector("img").src = source.src;
    view.dialog.showModal();
  }

  async function saveNote(form) {
    const url = root.dataset.noteUrl.replace("/0/", `/${form.dataset.card}/`);
    const saved = form.querySelector(".saved");
    try {
      await call(url, { text: form.querySelector("textarea").value });
      saved.textContent = "Saved.";
    } catch (error) {
      saved.textContent = error.message;
    }
  }

  root.addEventListener("click", (event) => {
    const target = event.target.closest("button");
    if (!target) return;
    if (target.dataset.rating) rate(Number(target.dataset.rating));
    const action = target.dataset.action;
    if (action === "show") reveal();
    if (action === "undo") undo();
    if (action === "bury") setAside(root.dataset.buryUrl, "Buried until tomorrow.");
    if (action === "suspend") setAside(root.dataset.suspendUrl, "Suspended. Unsuspend it in Browse.");
    if (action === "enlarge") enlarge();
  });

  root.addEventListener("submit", (event) => {
    const form = event.target.closest("form.my-note");
    if (!form) return;
    event.preventDefault();
    saveNote(form);
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("textarea, input, select") || view.dialog.open) return;
    const key = event.key;
    if (key === " " || key === "Enter") {
      event.preventDefault();
      if (session.revealed) rate(3);
      else reveal();
    } else if (["1", "2", "3", "4"].includes(key)) {
      event.preventDefault();
      rate(Number(key));
    } else if (key === "z" || key === "Z") {
      undo();
    } else if (key === "-") {
      setAside(root.dataset.buryUrl, "Buried until tomorrow.");
    } else if (key === "@") {
      setAside(root.dataset.suspendUrl, "Suspended. Unsuspend it in Browse.");
    } else if (key === "m" || key === "M") {
      enlarge();
    }
  });

  call(root.dataset.nextUrl).then(render, (error) => say(error.message));
})();
