// The browser calls the teaching tools need beyond web-sys's bindings in the bundle:
// copying text, and a diagram as an SVG or PNG file (its code in picture.js). Written
// in JS because each would take a dozen web-sys features (canvas, image, serializer,
// clipboard) for a few lines.

// Copies `text`: the async Clipboard API when the page may use it, else a selected
// textarea and execCommand("copy"). Resolves to "copied" or "failed".
export function copy_text(text) {
  const fallback = () => {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (_) {
      ok = false;
    }
    area.remove();
    return ok ? "copied" : "failed";
  };
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text).then(() => "copied", fallback);
  }
  return Promise.resolve(fallback());
}

// The pictures (picture.js) are fetched on the first ⤓ SVG or ⤓ PNG; each resolves to ""
// or what went wrong (a picture.js that cannot be fetched: "its code could not be
// loaded"). The path climbs from this snippet (dist/snippets/<crate>/src/ui/) to dist/.
const picture = (f) =>
  import(new URL("../../../../picture.js", import.meta.url).href).then(f, () => "its code could not be loaded");
export const export_svg = (holder, name) => picture((m) => m.export_svg(holder, name));
export const export_png = (holder, name, scale) => picture((m) => m.export_png(holder, name, scale));

// Crops the <svg> inside `holder` to its nodes (their group's box) plus `pad`, so that a
// scenario with few nodes fills the screen in present mode.
export function fit_svg(holder, pad) {
  const node = holder && holder.querySelector('[data-testid="node"]');
  const svg = node && node.closest("svg");
  const group = node && node.parentElement;
  if (!svg || !group || typeof group.getBBox !== "function") return;
  const b = group.getBBox();
  if (!b.width || !b.height) return;
  const w = b.width + 2 * pad, h = b.height + 2 * pad;
  svg.setAttribute("viewBox", `${b.x - pad} ${b.y - pad} ${w} ${h}`);
  // A drawing much wider than tall is drawn larger across the window, the narration
  // under it, than beside it (review session 12, V21; teach.css). How much wider
  // depends on the window: 2.5 times at 16:9 (1280x720, 1920x1080), 1.87 at a 4:3
  // projector's 1024x768, where beside the narration every catalog drawing was a fifth
  // smaller than across (its state lines 11 px high; review session 30, L). The rule
  // reads only the drawing's nodes and the window, so the layout holds from step to step.
  const p = holder.closest(".present");
  p?.classList.toggle("stacked", w * p.clientHeight > 1.4 * h * p.clientWidth);
}
// The window's shape changes (full screen granted, a projector plugged in): choose again.
// 28: the padding `teach::fit_diagram` gives.
addEventListener("resize", () => fit_svg(document.querySelector(".present-stage"), 28));

// After a step, a step back, a fault or a chosen event (a click on a `step-…`, `fault`
// or `next-event`, or a key that stepped: → ← Home End, which the page's handler took),
// the narration that says what happened is brought on screen when it is not: under a
// phone's sticky step bar, or scrolled away above the faults (review session 12, V11,
// V16; by key too, review 31: at 1024x768 → left it below the window). Under a
// sticky bar the invariants under it come too, as far as the narration's top allows
// (review 31: the end's "✗ violated" was under the bar on a phone).
const bring = (go) => requestAnimationFrame(() => {
  if (!go()) return;
  const said = document.querySelector("[data-testid=narration]").parentElement;
  const bar = document.querySelector(".bar");
  const sticky = getComputedStyle(bar).position == "sticky";
  const limit = sticky ? bar.getBoundingClientRect().top : innerHeight;
  const top = said.getBoundingClientRect().top;
  const bottom = ((sticky && said.nextElementSibling) || said).getBoundingClientRect().bottom;
  scrollBy(0, top < 0 ? top - 8 : bottom > limit ? Math.min(bottom - limit + 8, top - 8) : 0);
});
document.addEventListener("click", (e) => {
  const hit = e.target.closest?.("[data-testid^=step-],[data-testid=fault],[data-testid=next-event]");
  bring(() => hit);
});
addEventListener("keydown", (e) => bring(() => e.defaultPrevented && /^(Arrow[RL]|Home|End)/.test(e.key)));
