// Quiz page: keys 1–5 or A–E pick an option, Enter submits or goes on;
// a click on the scene answers a picture question; an exam shows its countdown.
"use strict";

(() => {
  const root = document.getElementById("quiz");
  if (!root) return;

  const optionsForm = root.querySelector(".options-form");
  const radios = optionsForm ? [...optionsForm.querySelectorAll('input[name="option"]')] : [];
  const answerable = optionsForm && !optionsForm.querySelector("fieldset").disabled;

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    const index = key.length !== 1 ? -1 : Math.max("12345".indexOf(key), "abcde".indexOf(key));
    if (answerable && index >= 0 && index < radios.length) {
      radios[index].checked = true;
      radios[index].focus();
      event.preventDefault();
    } else if (event.key === "Enter") {
      if (answerable && radios.some((radio) => radio.checked)) {
        event.preventDefault();
        optionsForm.requestSubmit();
      } else if (!answerable) {
        const next = root.querySelector(".next-link");
        if (next) {
          event.preventDefault();
          location.href = next.href;
        }
      }
    }
  });

  const sceneButton = root.querySelector(".scene-click");
  if (sceneButton && !sceneButton.disabled) {
    sceneButton.addEventListener("click", (event) => {
      const image = sceneButton.querySelector("img");
      const box = image.getBoundingClientRect();
      const form = sceneButton.closest("form");
      form.elements.x.value = ((event.clientX - box.left) / box.width) * Number(sceneButton.dataset.width);
      form.elements.y.value = ((event.clientY - box.top) / box.height) * Number(sceneButton.dataset.height);
      form.requestSubmit();
    });
  }

  const countdown = root.querySelector(".countdown");
  if (countdown) {
    const deadline = new Date(countdown.dataset.deadline).getTime();
    const tick = () => {
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      countdown.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")} left`;
      if (left === 0) location.reload();
      else setTimeout(tick, 1000);
    };
    tick();
  }
})();
