// Scene explorer: hover, tap or walk through the symbols of a mnemonic scene.
"use strict";

(() => {
  const root = document.getElementById("explorer");
  if (!root) return;
  const symbols = JSON.parse(document.getElementById("symbols-data").textContent);
  const image = root.querySelector("img.scene");
  const panel = {
    empty: root.querySelector(".panel-empty"),
    symbol: root.querySelector(".panel-symbol"),
    position: root.querySelector(".walk-position"),
    label: root.querySelector(".symbol-label"),
    meaning: root.querySelector(".symbol-meaning"),
    ours: root.querySelector(".symbol-ours"),
    notes: root.querySelector(".symbol-notes"),
  };
  let current = -1;

  function show(index) {
    current = (index + symbols.length) % symbols.length;
    const symbol = symbols[current];
    image.src = symbol.image;
    panel.empty.hidden = true;
    panel.symbol.hidden = false;
    panel.position.textContent = `Symbol ${current + 1} of ${symbols.length}`;
    panel.label.textContent = symbol.label;
    panel.meaning.textContent = symbol.meaning;
    panel.ours.hidden = !symbol.ours;
    panel.notes.replaceChildren(...symbol.notes.map((note) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = note.url;
      link.textContent = note.text;
      item.append(link);
      return item;
    }));
    for (const spot of root.querySelectorAll(".hotspot")) {
      spot.classList.toggle("active", spot.dataset.symbol === symbol.id);
    }
    history.replaceState(null, "", `#${symbol.id}`);
  }

  function reset() {
    current = -1;
    image.src = image.dataset.plainSrc;
    panel.empty.hidden = false;
    panel.symbol.hidden = true;
    for (const spot of root.querySelectorAll(".hotspot")) spot.classList.remove("active");
  }

  const indexOf = (id) => symbols.findIndex((symbol) => symbol.id === id);

  root.addEventListener("click", (event) => {
    const spot = event.target.closest(".hotspot");
    if (spot) {
      event.preventDefault();
      show(indexOf(spot.dataset.symbol));
      return;
    }
    const action = event.target.closest("button")?.dataset.action;
    if (action === "walk") show(0);
    if (action === "next") show(current + 1);
    if (action === "prev") show(current - 1);
  });

  root.addEventListener("mouseover", (event) => {
    const spot = event.target.closest(".hotspot");
    if (spot && indexOf(spot.dataset.symbol) !== current) show(indexOf(spot.dataset.symbol));
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight") show(current + 1);
    else if (event.key === "ArrowLeft") show(current < 0 ? symbols.length - 1 : current - 1);
    else if (event.key === "Escape") reset();
  });

  if (location.hash && indexOf(location.hash.slice(1)) >= 0) show(indexOf(location.hash.slice(1)));
})();
