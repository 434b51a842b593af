import { describe, expect, it } from "vitest";
import { loadMessages } from "./catalog";

function keyPaths(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)/g)].map((match) => match[1]).sort();
}

describe("message catalogs", () => {
  const en = loadMessages("en");
  const zh = loadMessages("zh-CN");

  it("have the same keys in English and Chinese", () => {
    expect(keyPaths(zh).sort()).toEqual(keyPaths(en).sort());
  });

  it("use the same placeholders in both languages", () => {
    const lookup = (messages: unknown, key: string) =>
      key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages);
    for (const key of keyPaths(en)) {
      const english = lookup(en, key);
      const chinese = lookup(zh, key);
      if (typeof english === "string" && typeof chinese === "string") {
        expect(placeholders(chinese), key).toEqual(placeholders(english));
      }
    }
  });

  it("has no empty message", () => {
    const lookup = (messages: unknown, key: string) =>
      key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages);
    for (const [name, messages] of [
      ["en", en],
      ["zh-CN", zh],
    ] as const) {
      for (const key of keyPaths(messages)) {
        const message = lookup(messages, key);
        expect(typeof message === "string" && message.trim() !== "", `${name}: ${key}`).toBe(true);
      }
    }
  });
});
