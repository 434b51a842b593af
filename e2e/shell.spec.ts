import { expect, test } from "@playwright/test";
import { logIn } from "./helpers";

test("dark mode is a choice that survives a reload without hydration errors", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await logIn(page);
  await page.goto("/clusters");
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  await page.getByRole("button", { name: "Theme" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);

  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.getByRole("button", { name: "Theme" })).toHaveText("Light");
  await page.getByRole("button", { name: "Theme" }).click();
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  expect(errors.filter((text) => /hydrat/i.test(text))).toEqual([]);
});

test("the shell fits a laptop screen", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await logIn(page);
  await page.goto("/monitor");
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
});

test("favicon, logo and web manifest are served without a session and named by every page", async ({
  page,
  request,
}) => {
  // `request` carries no session cookie: the login page needs these too.
  const served: Array<[string, RegExp]> = [
    ["/favicon.ico", /^image\/(x-icon|vnd\.microsoft\.icon)/],
    ["/logo.svg", /^image\/svg\+xml/],
    ["/apple-touch-icon.png", /^image\/png/],
    ["/manifest.webmanifest", /^application\/manifest\+json/],
  ];
  for (const [path, type] of served) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    expect(response.headers()["content-type"], path).toMatch(type);
  }
  const manifest = (await (await request.get("/manifest.webmanifest")).json()) as {
    name: string;
    start_url: string;
    icons: Array<{ src: string; sizes: string; type: string }>;
  };
  expect(manifest).toMatchObject({ short_name: "ask-ci", start_url: "/" });
  expect(manifest.icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  for (const icon of manifest.icons) {
    const response = await request.get(icon.src, { maxRedirects: 0 });
    expect(response.status(), icon.src).toBe(200);
    expect(response.headers()["content-type"], icon.src).toContain(icon.type);
  }

  await page.goto("/login");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  await expect(page.locator('link[rel="icon"][href^="/favicon.ico"]')).toHaveCount(1);
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute("href", "/apple-touch-icon.png");
  await logIn(page);
  await page.goto("/monitor");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  await expect(page.getByRole("banner").locator('img[src="/logo.svg"]')).toBeVisible();
});
