/**
 * `npx tsx scripts/icons.ts`: renders public/logo.svg into the raster icons browsers and the web
 * manifest ask for (favicon.ico, apple-touch-icon.png, icon-192.png, icon-512.png), with the
 * Chromium the e2e tests use. Run it after changing the logo; the outputs are committed.
 */
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

const PUBLIC = path.join(import.meta.dirname, "..", "public");
const svg = fs.readFileSync(path.join(PUBLIC, "logo.svg"), "utf8");

/** An .ico holding PNG images (supported by every browser since IE Vista). */
function icoOf(pngs: Array<{ size: number; data: Buffer }>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = 6 + 16 * pngs.length;
  const entries = pngs.map(({ size, data }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0); // width (0 means 256)
    entry.writeUInt8(size >= 256 ? 0 : size, 1); // height
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...pngs.map((p) => p.data)]);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage();
    const render = async (size: number) => {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<html><body style="margin:0;background:transparent">${svg.replace("<svg ", `<svg width="${size}" height="${size}" `)}</body></html>`,
      );
      return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    };
    for (const [file, size] of [
      ["icon-512.png", 512],
      ["icon-192.png", 192],
      ["apple-touch-icon.png", 180],
    ] as const) {
      fs.writeFileSync(path.join(PUBLIC, file), await render(size));
    }
    const ico = icoOf(await Promise.all([16, 32, 48].map(async (size) => ({ size, data: await render(size) }))));
    fs.writeFileSync(path.join(PUBLIC, "favicon.ico"), ico);
  } finally {
    await browser.close();
  }
}

void main();
