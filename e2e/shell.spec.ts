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
