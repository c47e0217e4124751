// Bundles the Query page into OUTDIR (argument): query.js + query.css (editor and page), query-worker.js
// (Oxigraph), oxigraph.wasm and oxigraph.wasm.gz (what the page fetches: 4 MB becomes 1.4 MB; the worker gunzips it, so
// no server setting is needed), mermaid.min.js (diagrams), and THIRD-PARTY-LICENSES.txt naming every package the
// bundles contain.
// Run by `kg build` through kgtools/site/query_bundle.py after `npm ci`; see docs/decisions/site-query-page.md.
import { build } from "esbuild";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(process.argv[2] || path.join(here, "build"));
await mkdir(outdir, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "none",      // notices go to THIRD-PARTY-LICENSES.txt, complete, instead
  metafile: true,
  absWorkingDir: here,
  logLevel: "warning",
  logOverride: { "empty-import-meta": "silent" },  // oxigraph's default wasm URL; the page always passes one
};
const page = await build({ ...common, entryPoints: { query: "src/main.js" }, outdir });
const worker = await build({ ...common, entryPoints: { "query-worker": "src/worker.js" }, outdir });
await copyFile(path.join(here, "node_modules/oxigraph/web_bg.wasm"), path.join(outdir, "oxigraph.wasm"));
await writeFile(path.join(outdir, "oxigraph.wasm.gz"),   // gzip has no timestamp from zlib: the same bytes every build
  gzipSync(await readFile(path.join(outdir, "oxigraph.wasm")), { level: 9 }));
// Mermaid's own self-contained build, which Material for MkDocs uses for diagrams when it is already loaded
// (instead of fetching it from a CDN): pages with a diagram load it from the site itself.
await copyFile(path.join(here, "node_modules/mermaid/dist/mermaid.min.js"), path.join(outdir, "mermaid.min.js"));

// Every npm package that ended up in a bundle, with its licence text.
const packages = new Set(["oxigraph", "mermaid"]);
for (const result of [page, worker]) {
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (match) packages.add(match[1]);
  }
}
const sections = [];
for (const name of [...packages].sort()) {
  const folder = path.join(here, "node_modules", name);
  const meta = JSON.parse(await readFile(path.join(folder, "package.json"), "utf8"));
  const licence = ["LICENSE", "LICENSE.md", "LICENSE.txt", "LICENSE-MIT", "LICENSE-APACHE"].map((f) => path.join(folder, f))
    .find((f) => existsSync(f));
  const text = licence ? (await readFile(licence, "utf8")).trim() : `Licensed under ${meta.license}.`;
  sections.push(`${name} ${meta.version} (${meta.license})\n${meta.homepage || ""}\n\n${text}\n`);
}
await writeFile(path.join(outdir, "THIRD-PARTY-LICENSES.txt"),
  "Third-party software in the Stack Atlas Query page and diagrams (mermaid.min.js also contains the packages its\n" +
  "own build bundles, under their licences as listed in node_modules/mermaid/package.json)\n\n" + sections.join("\n" + "-".repeat(72) + "\n\n"));
