// Run axe-core in Debian's chromium over HTML files at each viewport width, and measure
// horizontal overflow. Usage: node axe.mjs request.json  (prints one JSON result per line).
// request.json: {"chromium": "/usr/bin/chromium", "files": [...], "widths": [1280, 320],
//                "screenshots": "dir or empty"}
import { readFileSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const request = JSON.parse(readFileSync(process.argv[2], "utf8"));
const profile = mkdtempSync(join(tmpdir(), "sendreport-chromium-"));

// Elements whose box pokes past the viewport and are not inside a horizontal scroll region.
function overflowing() {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (["auto", "scroll"].includes(style.overflowX) && p !== document.documentElement && p !== document.body) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1 || r.left < -500) continue;
    if (scrolls(el)) continue;
    out.push(`${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(" ")[0] : ""} right=${Math.round(r.right)}`);
    if (out.length >= 10) break;
  }
  // A caption must be readable without scrolling its table sideways.
  const captions = [...document.querySelectorAll("caption")]
    .filter((c) => c.getBoundingClientRect().right > width + 1)
    .slice(0, 10)
    .map((c) => `${c.textContent.trim().slice(0, 60)} right=${Math.round(c.getBoundingClientRect().right)}`);
  return { scrollWidth: document.documentElement.scrollWidth, clientWidth: width, elements: out, captions };
}

const browser = await puppeteer.launch({
  executablePath: request.chromium,
  headless: true,
  userDataDir: profile,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const page = await browser.newPage();
  await page.setBypassCSP(true); // the reports forbid scripts; axe is injected for the audit only
  for (const file of request.files) {
    for (const width of request.widths) {
      await page.setViewport({ width, height: 900 });
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      await page.addScriptTag({ content: AXE });
      const axe = await page.evaluate(async (tags) => {
        const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
        return result.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
        }));
      }, TAGS);
      const overflow = await page.evaluate(overflowing);
      let screenshot = null;
      if (request.screenshots && width < 400) {
        screenshot = join(request.screenshots, `${basename(join(file, ".."))}-${basename(file, ".html")}-${width}.png`);
        await page.screenshot({ path: screenshot, fullPage: true });
      }
      process.stdout.write(JSON.stringify({ file, width, violations: axe, overflow, screenshot }) + "\n");
    }
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
