// Long-lived Mermaid renderer: ONE headless Chromium for a whole batch, a fresh page per flow.
//
// argv:   <chromium executable> <fresh user-data-dir>
// stdout: first line {"ready": true, "browserPid": 123, "browser": "HeadlessChrome/156..."}
//         (or {"ready": false, "error": "..."}), then one JSON answer per request line, in order:
//         {"id": 1, "ok": true, "svg": "<svg ...", "png": "<base64>"}
//         {"id": 1, "ok": false, "error": "Parse error on line 3: ...", "line": 3}
// stdin:  one JSON request per line:
//         {"id": 1, "text": "sequenceDiagram\n...", "scale": 1, "config": {...}, "mode": "page" | "mmdc"}
// End of stdin (also when the Python side dies) closes the browser and exits.
//
// mode "page" (default) does what mermaid-cli's renderMermaid does — its page (dist/index.html), its
// request interceptor, the mermaid ESM it resolves, white background, the same PNG clip — but draws
// the SVG and the PNG from ONE page load (renderMermaid loads the page once per format, plus zenuml,
// KaTeX and Font Awesome that sequence diagrams never use): about twice as fast per flow. mode "mmdc"
// calls renderMermaid itself; a test checks both modes give the same bytes.
import path from "node:path";
import readline from "node:readline";
import url from "node:url";
import puppeteer from "puppeteer";
import { renderMermaid } from "@mermaid-js/mermaid-cli";
// Not in the package's exports map, so imported by path: the exact interceptor renderMermaid uses.
import { Interceptor } from "./node_modules/@mermaid-js/mermaid-cli/src/puppeteerIntercept.js";

// mermaid-cli forwards the page's console to console.warn: keep stdout for our answers alone.
const writeLine = (value) => process.stdout.write(JSON.stringify(value) + "\n");
console.log = console.info = console.warn = console.debug = (...args) => process.stderr.write(args.join(" ") + "\n");

const [executablePath, userDataDir] = process.argv.slice(2);
const here = path.dirname(url.fileURLToPath(import.meta.url));
const modules = (relative) => url.pathToFileURL(path.join(here, "node_modules", relative));
const BACKGROUND = "white";
const BASE_VIEWPORT = { width: 800, height: 600 };

// No flag may need the network: nothing is fetched, updated, synced or reported.
const OFFLINE_FLAGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
  "--disable-domain-reliability", "--metrics-recording-only", "--no-default-browser-check",
  "--font-render-hinting=none", "--force-color-profile=srgb", "--hide-scrollbars",
];

let browser;
try {
  browser = await puppeteer.launch({
    executablePath, userDataDir, headless: true, pipe: true, args: OFFLINE_FLAGS,
    handleSIGINT: false, handleSIGTERM: true, handleSIGHUP: true, protocolTimeout: 120_000,
  });
} catch (error) {
  writeLine({ ready: false, error: String(error?.message ?? error).split("\n")[0] });
  process.exit(3);
}

async function shutdown(code) {
  try {
    await browser.close();
  } finally {
    process.exit(code);
  }
}
process.on("SIGTERM", () => shutdown(143));

async function preparedPage() {
  const page = await browser.newPage();
  page.on("console", (message) => console.warn(message.text()));
  await page.setViewport({ ...BASE_VIEWPORT, deviceScaleFactor: 1 });
  await page.goto(modules("@mermaid-js/mermaid-cli/dist/index.html").href);
  const interceptor = new Interceptor();
  const mermaidUrl = await interceptor.fileUrlToInterceptUrl(modules("mermaid/dist/mermaid.esm.mjs"));
  const fontCss = await interceptor.fileUrlToInterceptUrl(modules("@fontsource/open-sans/400.css"));
  page.on("request", interceptor.interceptRequestHandler);
  await page.setRequestInterception(true);
  await page.evaluate(async ({ mermaidUrl, fontCss, background }) => {
    document.body.style.background = background;
    const link = document.createElement("link");
    link.setAttribute("crossorigin", "anonymous");
    link.setAttribute("rel", "stylesheet");
    link.setAttribute("href", fontCss);
    await new Promise((resolve, reject) => {
      link.onload = resolve;
      link.onerror = () => reject(new Error(`cannot load ${fontCss}`));
      document.head.appendChild(link);
    });
    await Promise.all(Array.from(document.fonts, (font) => font.load()));
    window.diagramDslMermaid = (await import(mermaidUrl)).default;
  }, { mermaidUrl, fontCss, background: BACKGROUND });
  return page;
}

// Mermaid keeps counters in module state (actor ids), so each flow gets a fresh page: its SVG must
// not depend on what was drawn before it in the batch.
async function renderOnPage(request) {
  const page = await preparedPage();
  try {
    return await drawOn(page, request);
  } finally {
    await page.close().catch(() => {});
  }
}

async function drawOn(page, request) {
  await page.setViewport({ ...BASE_VIEWPORT, deviceScaleFactor: request.scale ?? 1 });
  const svg = await page.$eval("#container", async (container, { text, config, background }) => {
    const mermaid = window.diagramDslMermaid;
    mermaid.initialize({ startOnLoad: false, ...config });
    container.innerHTML = "";
    const { svg: svgText } = await mermaid.render("diagram", text, container);
    container.innerHTML = svgText;
    const element = container.getElementsByTagName("svg")[0];
    element.style.backgroundColor = background;
    return new XMLSerializer().serializeToString(element);
  }, { text: request.text, config: request.config ?? {}, background: request.background ?? BACKGROUND });
  const clip = await page.$eval("svg", (element) => {
    const box = element.getBoundingClientRect();
    return { x: Math.floor(box.left), y: Math.floor(box.top), width: Math.ceil(box.width), height: Math.ceil(box.height) };
  });
  await page.setViewport({
    width: clip.x + clip.width, height: clip.y + clip.height, deviceScaleFactor: request.scale ?? 1,
  });
  const png = await page.screenshot({ clip });
  return { svg, png };
}

async function renderWithMermaidCli(request) {
  const options = {
    viewport: { ...BASE_VIEWPORT, deviceScaleFactor: request.scale ?? 1 },
    backgroundColor: request.background ?? BACKGROUND,
    mermaidConfig: request.config ?? {},
    svgId: "diagram",
    fontEmbed: false,
  };
  const [svg, png] = await Promise.all([
    renderMermaid(browser, request.text, "svg", options),
    renderMermaid(browser, request.text, "png", options),
  ]);
  return { svg: Buffer.from(svg.data).toString("utf8"), png: png.data };
}

function errorLine(message) {
  const match = /on line (\d+)/i.exec(message);
  return match ? Number(match[1]) : null;
}

async function render(request) {
  try {
    const { svg, png } = request.mode === "mmdc" ? await renderWithMermaidCli(request) : await renderOnPage(request);
    return { ok: true, svg, png: Buffer.from(png).toString("base64") };
  } catch (error) {
    const message = String(error?.message ?? error);
    const firstLine = message.split("\n").find((line) => line.trim()) ?? "render failed";
    return { ok: false, error: firstLine.replace(/^Error: /, "").trim(), line: errorLine(message) };
  }
}

writeLine({ ready: true, browserPid: browser.process()?.pid ?? null, browser: await browser.version() });

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    writeLine({ id: null, ok: false, error: `bad request: ${error.message}`, line: null });
    continue;
  }
  writeLine({ id: request.id, ...(await render(request)) });
}
await shutdown(0);
