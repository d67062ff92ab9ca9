// Keeps each form field's character counter current while the member types.
// Characters are counted as graphemes (what a person counts, and what the
// forum checks, with the same Intl.Segmenter); the server's count in the page
// is right without this script, which only updates it.
(() => {
  if (typeof Intl === "undefined" || typeof Intl.Segmenter !== "function") return;
  const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });
  const count = (text) => {
    let n = 0;
    for (const _ of segmenter.segment(text)) n++;
    return n;
  };
  const update = (field) => {
    const counter = document.getElementById(`${field.id}-count`);
    const max = Number(field.dataset.maxGraphemes);
    if (!counter || !(max > 0)) return;
    const n = count(field.value);
    counter.textContent = `${n} of ${max} characters`;
    counter.classList.toggle("over", n > max);
  };
  document.addEventListener("input", (event) => {
    const field = event.target;
    if (field instanceof HTMLElement && field.dataset.maxGraphemes) update(field);
  });
})();
