// Renders TeX to SVG with assistive MathML for the site build (hooks/render_math.py starts one process per build).
// Protocol: one JSON request per stdin line, {"id", "tex", "display"}; one JSON reply per stdout line,
// {"id", "html", "css"} (css: the complete stylesheet this formula needs on its own) or {"id", "error"}.
// The first line written is {"ready": true, "mathjax": version}. Usage: node render-math.mjs
//
// Each formula becomes one <svg> holding one <path> for its glyphs (and one for its rules, if any): MathJax's SVG
// output draws every glyph as a path inside nested, transformed groups (20 or so elements for a short formula, each
// styled and laid out by the browser); the transforms are applied here and the paths joined. Drawn the same, with a
// fraction of the elements. A formula whose SVG holds anything else (text, links, colour, a nested <svg> that clips
// a stretched glyph) keeps MathJax's SVG as it is.
import { createRequire } from "node:module";
import { createInterface } from "node:readline";

const require = createRequire(import.meta.url);
// Without the entity table loaded up front, MathJax tries to load it asynchronously and fails ("MathJax retry").
require("mathjax-full/js/util/entities/all.js");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { SVG } = require("mathjax-full/js/output/svg.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");
const { VERSION } = require("mathjax-full/js/components/version.js");

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

// Every TeX error is thrown, never rendered as red text on the page: the build names it and fails.
const tex = new TeX({
  packages: AllPackages.filter((name) => !["bussproofs", "autoload", "require", "noundefined", "noerrors"].includes(name)),
  formatError: (jax, error) => {
    throw error;
  },
});
// fontCache "none": each glyph's path in place (no <use> of shared definitions), ready to be joined.
const output = new SVG({ fontCache: "none" });
const html = mathjax.document("", { InputJax: tex, OutputJax: output });

// --- One path per formula ---------------------------------------------------------------------------------------
// An affine transform [a, b, c, d, e, f] maps (x, y) to (a x + c y + e, b x + d y + f), as in SVG.
const IDENTITY = [1, 0, 0, 1, 0, 0];
const multiply = ([a, b, c, d, e, f], [A, B, C, D, E, F]) => [
  a * A + c * B, b * A + d * B, a * C + c * D, b * C + d * D, a * E + c * F + e, b * E + d * F + f,
];

function parseTransform(text) {
  let matrix = IDENTITY;
  for (const [, name, args] of (text || "").matchAll(/(\w+)\(([^)]*)\)/g)) {
    const n = args.split(/[\s,]+/).filter(Boolean).map(Number);
    const step = {
      translate: () => [1, 0, 0, 1, n[0], n[1] || 0],
      scale: () => [n[0], 0, 0, n.length > 1 ? n[1] : n[0], 0, 0],
      matrix: () => n,
    }[name];
    if (!step || n.some(Number.isNaN)) return null;
    matrix = multiply(matrix, step());
  }
  return matrix;
}

const ARGUMENTS = { M: 2, L: 2, H: 1, V: 1, C: 6, S: 4, Q: 4, T: 2, Z: 0 };
const TOKEN = /[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;

// A path's commands as absolute points: [letter, [x0, y0, x1, y1, ...]] with H and V made L; null if unsupported.
function absoluteCommands(d) {
  const tokens = d.match(TOKEN) || [];
  const commands = [];
  let x = 0, y = 0, startX = 0, startY = 0, i = 0;
  while (i < tokens.length) {
    const letter = tokens[i++];
    const upper = letter.toUpperCase();
    if (!(upper in ARGUMENTS)) return null;
    const relative = letter !== upper;
    const count = ARGUMENTS[upper];
    if (count === 0) {
      commands.push(["Z", []]);
      x = startX, y = startY;
      continue;
    }
    let first = true;
    do {
      const n = tokens.slice(i, i + count).map(Number);
      if (n.length < count || n.some(Number.isNaN)) return null;
      i += count;
      let kind = upper === "M" && !first ? "L" : upper; // extra pairs after M are lines
      let points;
      if (upper === "H") (kind = "L"), (points = [relative ? x + n[0] : n[0], y]);
      else if (upper === "V") (kind = "L"), (points = [x, relative ? y + n[0] : n[0]]);
      else points = n.map((v, k) => (relative ? v + (k % 2 ? y : x) : v));
      commands.push([kind, points]);
      [x, y] = points.slice(-2);
      if (kind === "M") (startX = x), (startY = y);
      first = false;
    } while (i < tokens.length && !/[A-Za-z]/.test(tokens[i]));
  }
  return commands;
}

// The path moved by `matrix`, in relative commands: the first point absolute, every other one as a step from the
// point before. Steps are taken between points rounded without the translation, so a glyph drawn twice at one size
// gives the same text twice (gzip keeps one) and no rounding error accumulates (at most 1/1000 em).
function transformedPath(d, [a, b, c, dd, e, f]) {
  const commands = absoluteCommands(d);
  if (!commands) return null;
  const local = (x, y) => [Math.round(a * x + c * y), Math.round(b * x + dd * y)];
  const [offsetX, offsetY] = [Math.round(e), Math.round(f)];
  let out = "", current = null, start = null;
  for (const [kind, points] of commands) {
    if (kind === "Z") {
      out += "z";
      current = start;
      continue;
    }
    const mapped = [];
    for (let k = 0; k < points.length; k += 2) mapped.push(local(points[k], points[k + 1]));
    const end = mapped[mapped.length - 1];
    if (current === null) {
      out += `M${end[0] + offsetX} ${end[1] + offsetY}`; // a path starts with M
    } else {
      const steps = mapped.map(([x, y]) => [x - current[0], y - current[1]]);
      if (kind === "L" && steps[0][1] === 0) out += `h${steps[0][0]}`;
      else if (kind === "L" && steps[0][0] === 0) out += `v${steps[0][1]}`;
      else out += kind.toLowerCase() + steps.flat().join(" ");
    }
    if (kind === "M") start = end;
    current = end;
  }
  return out.replace(/ -/g, "-");
}

const attribute = (node, name) => adaptor.getAttribute(node, name);

// Every shape under `node` as path data, glyphs and rules (fraction bars, radicals' tops) apart, or null if
// something other than groups, paths and rectangles is there.
function flatten(node, matrix, parts) {
  for (const child of adaptor.childNodes(node)) {
    const kind = adaptor.kind(child);
    if (kind === "#text" && !adaptor.value(child).trim()) continue;
    const own = parseTransform(attribute(child, "transform"));
    if (!own) return null;
    const m = multiply(matrix, own);
    if (kind === "g") {
      const painted = adaptor.allAttributes(child).some(({ name }) => !["transform", "data-mml-node", "data-mjx-texclass"].includes(name));
      if (painted || !flatten(child, m, parts)) return null;
    } else if (kind === "path") {
      const d = transformedPath(attribute(child, "d") || "", m);
      if (d === null) return null;
      (attribute(child, "data-c") ? parts.glyphs : parts.rules).push(d);
    } else if (kind === "rect") {
      const [x, y, w, h] = ["x", "y", "width", "height"].map((name) => Number(attribute(child, name) || 0));
      parts.rules.push(transformedPath(`M${x} ${y}H${x + w}V${y + h}H${x}Z`, m));
    } else {
      return null;
    }
  }
  return parts;
}

function onePath(svg) {
  const [root, ...others] = adaptor.childNodes(svg);
  if (others.length || adaptor.kind(root) !== "g") return;
  const rootTransform = parseTransform(attribute(root, "transform"));
  const rootPaint = adaptor.allAttributes(root).map(({ name }) => name).filter((name) => name !== "transform");
  if (!rootTransform || rootPaint.some((name) => !["stroke", "fill", "stroke-width"].includes(name))) return;
  const parts = flatten(root, rootTransform, { glyphs: [], rules: [] });
  if (!parts) return;
  adaptor.remove(root);
  // MathJax's stylesheet draws glyphs (path[data-c]) with a hairline stroke of 3/1000 em, rules without.
  const path = (d, stroke) => adaptor.node("path", { fill: "currentColor", ...stroke, d }, [], "http://www.w3.org/2000/svg");
  if (parts.glyphs.length) adaptor.append(svg, path(parts.glyphs.join(""), { stroke: "currentColor", "stroke-width": 3 }));
  if (parts.rules.length) adaptor.append(svg, path(parts.rules.join(""), {}));
  adaptor.removeAttribute(svg, "xmlns:xlink");
}

function render(source, display) {
  // A fresh stylesheet per formula: the build merges them into one site-wide stylesheet.
  output.svgStyles = null;
  tex.parseOptions.tags.reset();
  const node = html.convert(source, { display });
  onePath(adaptor.firstChild(node));
  const css = adaptor.textContent(output.styleSheet(html));
  return { html: adaptor.outerHTML(node), css };
}

const write = (message) => process.stdout.write(JSON.stringify(message) + "\n");
write({ ready: true, mathjax: VERSION });
createInterface({ input: process.stdin, terminal: false }).on("line", (line) => {
  if (!line.trim()) return;
  const { id, tex: source, display } = JSON.parse(line);
  try {
    write({ id, ...render(source, display) });
  } catch (error) {
    write({ id, error: String(error.message || error) });
  }
});
