// Batch Mermaid checker: one Node process for many diagrams.
//
// stdin:  JSON {"mode": "parse" | "inspect", "diagrams": ["sequenceDiagram\n...", ...]}
// stdout: JSON array, one object per diagram, in order:
//   {"ok": true, "type": "sequence"}                       (mode "parse")
//   {"ok": true, "type": "sequence", "title": ..., "actors": [...], "messages": [...], "boxes": [...]}
//                                                          (mode "inspect": texts with entities decoded)
//   {"ok": false, "error": "first line of the message", "line": 3}   (line is 1-based, or null)
//
// mermaid.parse runs without a browser except for `box` and `title`, which touch DOMPurify:
// jsdom supplies window, document and Option before mermaid is imported.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.Option = dom.window.Option;

// Mermaid and its logger write to the console; keep stdout for our JSON answer alone.
const writeAnswer = process.stdout.write.bind(process.stdout);
console.log = console.info = console.warn = console.debug = (...args) => process.stderr.write(args.join(" ") + "\n");

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, logLevel: 5, securityLevel: "strict" });

const scratch = dom.window.document.createElement("textarea");

// Mermaid keeps `#35;` / `#quot;` as placeholders after parsing and turns them into HTML entities when it
// draws; the browser then shows the character. Do both steps so callers see what a reader would see.
function decode(text) {
  if (typeof text !== "string") return text;
  const html = text
    .replace(/ﬂ°°(\d+)¶ß/g, (_, code) => `&#${code};`)
    .replace(/ﬂ°(\w+)¶ß/g, (_, name) => `&${name};`);
  scratch.innerHTML = html;
  return scratch.value;
}

function errorLine(error) {
  const loc = error?.hash?.loc;
  if (loc && Number.isInteger(loc.first_line)) return loc.first_line;
  const match = /on line (\d+)/.exec(String(error?.message ?? ""));
  return match ? Number(match[1]) : null;
}

function inspect(db) {
  const actors = [...db.getActors().values()].map((a) => ({
    name: a.name, description: decode(a.description ?? ""), type: a.type ?? "participant",
  }));
  const messages = db.getMessages().map((m) => ({
    from: m.from ?? null, to: m.to ?? null, text: decode(typeof m.message === "string" ? m.message : ""), type: m.type ?? -1,
    placement: m.placement ?? null,
  }));
  const boxes = (db.getBoxes?.() ?? []).map((b) => ({ name: decode(b.name ?? ""), fill: b.fill ?? null, actors: b.actorKeys ?? [] }));
  return { title: decode(db.getDiagramTitle?.() ?? ""), actors, messages, boxes };
}

async function check(text, mode) {
  try {
    const parsed = await mermaid.parse(text);
    if (!parsed) return { ok: false, error: "not recognised as a diagram", line: null };
    if (mode !== "inspect") return { ok: true, type: parsed.diagramType };
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    return { ok: true, type: parsed.diagramType, ...inspect(diagram.db) };
  } catch (error) {
    const message = String(error?.message ?? error).split("\n")[0];
    return { ok: false, error: message, line: errorLine(error) };
  }
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const results = [];
for (const text of request.diagrams) results.push(await check(text, request.mode ?? "parse"));
writeAnswer(JSON.stringify(results) + "\n");
