import { expect, type Page } from "@playwright/test";

export const ADMIN = { username: "admin", password: "e2e-admin-password" };

export async function logIn(page: Page, credentials = ADMIN) {
  await page.goto("/login");
  await page.getByLabel(/Username|用户名/).fill(credentials.username);
  await page.getByLabel(/^(Password|密码)$/).fill(credentials.password);
  await page.getByRole("button", { name: /Sign in|登录/ }).click();
  await expect(page).not.toHaveURL(/\/login/);
}
