// A drawing saved as a picture (⤓ SVG, ⤓ PNG): fetched on first use by `teach.js`
// (trunk copies this file beside index.html, index.html's copy-file link), so its code
// is not part of the page's first download (README, page size). Not a wasm-bindgen
// snippet: the glue imports every snippet at start.

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
