import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Button } from "./button";
import { Chip, FilterChip } from "./chip";
import { ErrorAlert } from "./error-alert";
import { Field } from "./field";
import { Table, Td, TdActions, THead, Th, ThActions, TBody } from "./table";
import { Tabs } from "./tabs";

const html = (element: Parameters<typeof renderToStaticMarkup>[0]) => renderToStaticMarkup(element);
const attr = (markup: string, tag: string, name: string) =>
  new RegExp(`<${tag}[^>]*\\s${name}="([^"]*)"`).exec(markup)?.[1];

describe("Field", () => {
  it("labels its control and describes it by hint and error, marking it invalid and naming it", () => {
    const markup = html(
      h(Field, { label: "Name", hint: "A DNS label", error: "Too long", name: "name", children: h("input") }),
    );
    const id = attr(markup, "input", "id");
    expect(id).toMatch(/-name$/);
    expect(attr(markup, "label", "for")).toBe(id);
    expect(attr(markup, "input", "aria-describedby")).toBe(`${id}-hint ${id}-error`);
    expect(attr(markup, "input", "aria-invalid")).toBe("true");
    expect(attr(markup, "input", "name")).toBe("name");
    expect(markup).toContain('role="alert"');
  });

  it("leaves a valid control alone: no description, not invalid", () => {
    const markup = html(h(Field, { label: "Name", children: h("input") }));
    expect(attr(markup, "input", "aria-describedby")).toBeUndefined();
    expect(attr(markup, "input", "aria-invalid")).toBeUndefined();
    expect(markup).not.toContain('role="alert"');
  });
});

describe("ErrorAlert", () => {
  it("announces itself as an alert, as a paragraph or a block, keeping the caller's spacing", () => {
    const paragraph = html(h(ErrorAlert, { className: "mb-4", children: "Failed" }));
    expect(paragraph).toMatch(/^<p role="alert" class="[^"]*\bmb-4"/);
    expect(paragraph).toContain(">Failed</p>");
    expect(html(h(ErrorAlert, { as: "div", children: "x" }))).toMatch(/^<div role="alert"/);
  });
});

describe("Tabs", () => {
  const items = [
    { id: "a", label: "A" },
    { id: "b", label: "B" },
  ] as const;

  it("switch in place as an ARIA tablist when the tabs have no URL", () => {
    const markup = html(h(Tabs<"a" | "b">, { label: "Views", items, active: "b" }));
    expect(markup).toContain('role="tablist"');
    expect(markup).toContain('aria-label="Views"');
    expect(markup.match(/role="tab"/g)).toHaveLength(2);
    expect(markup).toMatch(/aria-selected="true"[^>]*>B</);
  });

  it("navigate, marking the current page, when they have URLs", () => {
    const markup = html(
      h(Tabs<"a" | "b">, { label: "Views", items: items.map((i) => ({ ...i, href: `/${i.id}` })), active: "a" }),
    );
    expect(markup).toContain("<nav");
    expect(markup).not.toContain('role="tab"');
    const links = [...markup.matchAll(/<a [^>]*>/g)].map((m) => m[0]);
    expect(links.find((a) => a.includes('href="/a"'))).toContain('aria-current="page"');
    expect(links.find((a) => a.includes('href="/b"'))).not.toContain("aria-current");
  });
});

describe("buttons, chips and tables", () => {
  it("a Button never submits unless asked to", () => {
    expect(attr(html(h(Button, null, "Go")), "button", "type")).toBe("button");
    expect(attr(html(h(Button, { type: "submit" }, "Go")), "button", "type")).toBe("submit");
  });

  it("a FilterChip says whether it is on", () => {
    expect(attr(html(h(FilterChip, { pressed: true }, "All")), "button", "aria-pressed")).toBe("true");
    expect(attr(html(h(FilterChip, { pressed: false }, "All")), "button", "aria-pressed")).toBe("false");
    expect(html(h(Chip, { tone: "ok" }, "Ready"))).toContain("emerald");
  });

  it("a Table has one head row and right-aligned numeric cells", () => {
    const markup = html(
      h(
        Table,
        null,
        h(THead, null, h(Th, null, "Job"), h(Th, { numeric: true }, "Cost")),
        h(TBody, null, h("tr", null, h(Td, { numeric: true }, "1.00"))),
      ),
    );
    expect(markup.match(/<tr>/g)).toHaveLength(2);
    expect(markup).toMatch(/<td class="[^"]*text-right tabular-nums[^"]*">1.00<\/td>/);
  });

  it("a row-actions column is named for screen readers only, and its cell right-aligns the actions", () => {
    expect(html(h(ThActions, { label: "Delete" }))).toMatch(/<th[^>]*><span class="sr-only">Delete<\/span><\/th>/);
    const cell = html(h(TdActions, null, h("a", { href: "/x" }, "Edit"), h("button", null, "Delete")));
    expect(cell).toMatch(
      /^<td[^>]*><div class="[^"]*justify-end[^"]*"><a href="\/x">Edit<\/a><button>Delete<\/button><\/div><\/td>$/,
    );
  });
});
