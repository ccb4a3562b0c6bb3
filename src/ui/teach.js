// The browser calls the teaching tools need beyond web-sys's bindings in the bundle:
// copying text, and a diagram as an SVG or PNG file. Written in JS because each would
// take a dozen web-sys features (canvas, image, serializer, clipboard) for a few lines.

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

// The style properties an SVG drawing needs to look the same outside the page.
const PROPS = [
  "fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-opacity",
  "opacity", "font-family", "font-size", "font-weight", "font-style", "text-anchor",
  "dominant-baseline", "visibility", "display", "paint-order", "stroke-linecap",
  "stroke-linejoin",
];

// A standalone copy of the <svg> `svg`: every element's computed style written into its
// style attribute, animations left out, sized in pixels, on the page's background.
function standalone(svg) {
  const copy = svg.cloneNode(true);
  const from = [svg, ...svg.querySelectorAll("*")];
  const to = [copy, ...copy.querySelectorAll("*")];
  for (let i = 0; i < from.length && i < to.length; i++) {
    const cs = getComputedStyle(from[i]);
    let style = "";
    for (const p of PROPS) {
      const v = cs.getPropertyValue(p);
      if (v) style += `${p}:${v};`;
    }
    // A transform set by CSS (a message gliding in) is kept as it is at this moment.
    const t = cs.getPropertyValue("transform");
    if (t && t !== "none" && from[i] !== svg && !from[i].hasAttribute("transform")) {
      style += `transform:${t};`;
    }
    to[i].setAttribute("style", style);
    to[i].removeAttribute("class");
  }
  const box = svg.viewBox && svg.viewBox.baseVal;
  const w = (box && box.width) || svg.getBoundingClientRect().width;
  const h = (box && box.height) || svg.getBoundingClientRect().height;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.setAttribute("width", String(Math.round(w)));
  copy.setAttribute("height", String(Math.round(h)));
  if (!copy.getAttribute("viewBox")) copy.setAttribute("viewBox", `0 0 ${w} ${h}`);
  const bg = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  bg.setAttribute("width", "100%");
  bg.setAttribute("height", "100%");
  let page = getComputedStyle(document.body).backgroundColor;
  if (!page || page === "rgba(0, 0, 0, 0)") page = "#ffffff";
  bg.setAttribute("fill", page);
  copy.insertBefore(bg, copy.firstChild);
  return { text: new XMLSerializer().serializeToString(copy), w, h };
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Downloads the <svg> inside `holder` as `name`. Returns "" or what went wrong.
export function export_svg(holder, name) {
  const svg = holder && holder.querySelector("svg");
  if (!svg) return "there is no drawing to export";
  const { text } = standalone(svg);
  save(new Blob([text], { type: "image/svg+xml" }), name);
  return "";
}

// Draws the <svg> inside `holder` into a canvas at `scale` and downloads it as a PNG.
// Resolves to "" or what went wrong.
export function export_png(holder, name, scale) {
  const svg = holder && holder.querySelector("svg");
  if (!svg) return Promise.resolve("there is no drawing to export");
  const { text, w, h } = standalone(svg);
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      const ctx = canvas.getContext("2d");
      if (!ctx) return resolve("this browser cannot draw into a canvas");
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0, w, h);
      canvas.toBlob((blob) => {
        if (!blob) return resolve("the picture could not be encoded");
        save(blob, name);
        resolve("");
      }, "image/png");
    };
    img.onerror = () => resolve("the drawing could not be rendered");
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  });
}

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
// or `next-event`), the narration that says what happened is brought on screen when
// it is not: under a phone's sticky step bar, or scrolled away above the faults
// (review session 12, V11, V16).
document.addEventListener("click", (e) => {
  if (!e.target.closest?.("[data-testid^=step-],[data-testid=fault],[data-testid=next-event]")) return;
  requestAnimationFrame(() => {
    const r = document.querySelector("[data-testid=narration]").parentElement.getBoundingClientRect();
    const bar = document.querySelector(".bar");
    const limit = getComputedStyle(bar).position == "sticky" ? bar.getBoundingClientRect().top : innerHeight;
    scrollBy(0, r.top < 0 ? r.top - 8 : r.bottom > limit ? Math.min(r.bottom - limit + 8, r.top - 8) : 0);
  });
});
