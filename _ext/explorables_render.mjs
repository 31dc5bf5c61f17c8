// Compile explorable figures and draw them, at build time.
//
// Reads a JSON list of figures from stdin, each {spec, samples}: `spec` is
// a Vega-Lite spec, `samples` a list of parameter settings. Writes a JSON
// list of {vega, svg, alt, shown}: the Vega spec the page runs, an SVG of
// its first state (the static figure: JavaScript off, print, notebooks,
// slides), the text of its `alt` signal in that state, and for each sample
// what the figure shows with those parameters ({alt, texts, images}).
// Usage: node explorables_render.mjs NODE_MODULES
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const modules = process.argv[2];
const load = (file) => import(pathToFileURL(join(modules, file)).href);
const vega = await load("vega/build/vega.module.js");
const vegaLite = await load("vega-lite/build/index.js");

// The text and images of a scenegraph item and everything inside it.
function drawn(item, found = { texts: [], images: [] }) {
  const marktype = item.mark?.marktype;
  if (marktype === "text" && item.text != null) found.texts.push(String(item.text));
  if (marktype === "image" && item.url) found.images.push(item.url);
  for (const child of item.items ?? []) drawn(child, found);
  return found;
}

async function render({ spec, samples }) {
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  await view.runAsync();
  const svg = await view.toSVG();
  const alt = String(view.signal("alt") ?? "");
  const shown = [];
  for (const params of samples) {
    for (const [name, value] of Object.entries(params)) view.signal(name, value);
    await view.runAsync();
    shown.push({ alt: String(view.signal("alt") ?? ""), ...drawn(view.scenegraph().root) });
  }
  view.finalize();
  return { vega: compiled, svg, alt, shown };
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const out = [];
for (const figure of JSON.parse(Buffer.concat(chunks).toString("utf8"))) {
  out.push(await render(figure));
}
process.stdout.write(JSON.stringify(out));
