// Renders TeX to CHTML with assistive MathML for the site build (hooks/render_math.py starts one process per build).
// Protocol: one JSON request per stdin line, {"id", "tex", "display"}; one JSON reply per stdout line,
// {"id", "html", "css"} (css: the complete stylesheet this formula needs on its own) or {"id", "error"}.
// The first line written is {"ready": true, "mathjax": version}. Usage: node render-math.mjs
import { createRequire } from "node:module";
import { createInterface } from "node:readline";

const require = createRequire(import.meta.url);
// Without the entity table loaded up front, MathJax tries to load it asynchronously and fails ("MathJax retry").
require("mathjax-full/js/util/entities/all.js");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { CHTML } = require("mathjax-full/js/output/chtml.js");
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
const output = new CHTML({ fontURL: "FONT_URL", adaptiveCSS: true });
const html = mathjax.document("", { InputJax: tex, OutputJax: output });

function render(source, display) {
  // A fresh stylesheet per formula: the build merges them into one site-wide stylesheet.
  output.font.clearCache();
  output.wrapperUsage.clear();
  output.chtmlStyles = null;
  tex.parseOptions.tags.reset();
  const node = html.convert(source, { display });
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
