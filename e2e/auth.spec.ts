import { expect, test } from "@playwright/test";
import { ADMIN, logIn } from "./helpers";

test("pages redirect to the login page without a session", async ({ page }) => {
  for (const path of ["/", "/clusters", "/setup", "/monitor", "/cost", "/settings"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/login$/);
  }
});

test("APIs answer 401 JSON without a session", async ({ request }) => {
  const response = await request.get("/api/me");
  expect(response.status()).toBe(401);
  expect(await response.json()).toEqual({ error: "Not signed in" });
});

test("a forged session cookie is refused", async ({ page, context, baseURL }) => {
  await context.addCookies([{ name: "ask_ci_session", value: "forged", url: baseURL! }]);
  await page.goto("/monitor");
  await expect(page).toHaveURL(/\/login$/);
  const response = await page.request.get("/api/me");
  expect(response.status()).toBe(401);
});

test("a wrong password is rejected with a message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong username or password.")).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});

test("empty and oversized input gets form errors, not a crash", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter your username.")).toBeVisible();
  await expect(page.getByText("Enter your password.")).toBeVisible();
  await page.getByLabel("Username").fill("用户".repeat(100));
  await page.getByLabel("Password").fill("x");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("A username has at most 64 characters.")).toBeVisible();
});

test("log in, switch to Chinese and back, log out", async ({ page }) => {
  await logIn(page, ADMIN);
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  await expect(nav).toBeVisible();
  await nav.getByRole("link", { name: "Clusters" }).click();
  await expect(page.getByRole("heading", { name: "Clusters", level: 1 })).toBeVisible();

  await page.getByLabel("Language").selectOption("zh-CN");
  await expect(page.getByRole("heading", { name: "集群", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "成本" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");

  await page.getByLabel("语言").selectOption("en");
  await expect(page.getByRole("heading", { name: "Clusters", level: 1 })).toBeVisible();

  const me = await page.request.get("/api/me");
  expect(await me.json()).toEqual({ username: "admin" });

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/clusters");
  await expect(page).toHaveURL(/\/login$/);
});

test("Accept-Language picks Chinese for a first visit", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ locale: "zh-CN", baseURL });
  const page = await context.newPage();
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "登录 ask-ci" })).toBeVisible();
  await context.close();
});

test("every section of the navigation opens its page", async ({ page }) => {
  await logIn(page);
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  for (const name of ["Clusters", "Setup wizard", "Monitor", "Cost", "Settings"]) {
    await nav.getByRole("link", { name }).click();
    await expect(nav.getByRole("link", { name })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  }
});

test("home is a first-run checklist until the demo's jobs are recorded, then the monitor", async ({ page }) => {
  test.setTimeout(180_000);
  await logIn(page);
  await page.goto("/");
  // The demo's runners are installed and linked to the demo GitLab (ASK_CI_BOOTSTRAP_RUNNERS): the
  // runner step is done from the start; the checklist lasts until its first job is recorded.
  // Home refreshes itself and turns into the monitor the moment a job is recorded, which can happen
  // while this test reads it: take the checklist's steps in one read, not one assertion at a time.
  const steps = await page
    .getByTestId("first-run")
    .locator("[data-step]")
    .evaluateAll((elements) =>
      elements.map((e) => ({
        step: e.getAttribute("data-step"),
        done: e.getAttribute("data-done"),
        links: [...e.querySelectorAll("a")].map((a) => `${a.textContent?.trim()} ${a.getAttribute("href")}`),
      })),
    )
    // The redirect to the monitor can land during the read itself (CI of 2f0bb2b): no checklist then.
    .catch((error: Error) => {
      if (!/Execution context was destroyed|navigation/i.test(error.message)) throw error;
      return [];
    });
  if (steps.length > 0) {
    expect(steps.find((s) => s.step === "connect")).toMatchObject({
      done: "true",
      links: expect.arrayContaining(["Your clusters /clusters"]),
    });
    expect(steps.find((s) => s.step === "runner")).toMatchObject({ done: "true" });
  } else {
    await expect(page).toHaveURL(/\/monitor$/);
  }
  await expect(async () => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/monitor$/, { timeout: 2_000 });
  }).toPass({ timeout: 150_000, intervals: [3_000] });
});
