// Long-lived Mermaid renderer: ONE headless Chromium for a whole batch, driven by mermaid-cli's renderMermaid.
//
// argv:   <chromium executable> <fresh user-data-dir>
// stdout: first line {"ready": true, "browserPid": 123, "browser": "HeadlessChrome/156..."}
//         (or {"ready": false, "error": "..."}), then one JSON answer per request line, in order:
//         {"id": 1, "ok": true, "svg": "<svg ...", "png": "<base64>"}
//         {"id": 1, "ok": false, "error": "Parse error on line 3: ...", "line": 3}
// stdin:  one JSON request per line: {"id": 1, "text": "sequenceDiagram\n...", "scale": 1, "config": {...}}
// End of stdin (also when the Python side dies) closes the browser and exits.
import readline from "node:readline";
import puppeteer from "puppeteer";
import { renderMermaid } from "@mermaid-js/mermaid-cli";

// mermaid-cli forwards the page's console to console.warn: keep stdout for our answers alone.
const writeLine = (value) => process.stdout.write(JSON.stringify(value) + "\n");
console.log = console.info = console.warn = console.debug = (...args) => process.stderr.write(args.join(" ") + "\n");

const [executablePath, userDataDir] = process.argv.slice(2);

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

function errorLine(message) {
  const match = /on line (\d+)/i.exec(message);
  return match ? Number(match[1]) : null;
}

async function render(request) {
  const options = {
    viewport: { width: 800, height: 600, deviceScaleFactor: request.scale ?? 1 },
    backgroundColor: "white",
    mermaidConfig: request.config ?? {},
    svgId: "diagram",
    fontEmbed: request.fontEmbed ?? false,
  };
  try {
    // Two pages of the same browser at once: page loading waits on I/O as much as on the CPU.
    const [svg, png] = await Promise.all([
      renderMermaid(browser, request.text, "svg", options),
      renderMermaid(browser, request.text, "png", options),
    ]);
    return {
      ok: true,
      svg: Buffer.from(svg.data).toString("utf8"),
      png: Buffer.from(png.data).toString("base64"),
    };
  } catch (error) {
    const message = String(error?.message ?? error);
    const firstLine = message.split("\n").find((line) => line.trim()) ?? "render failed";
    return { ok: false, error: firstLine.replace(/^Error: /, "").trim(), line: errorLine(message), detail: message };
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
