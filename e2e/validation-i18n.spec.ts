import { expect, test, type Page } from "@playwright/test";
import { logIn } from "./helpers";

const PROFILE = "e2e 中文校验";
const next = (page: Page) => page.getByRole("button", { name: "保存并继续" }).click();
const alert = (page: Page, text: string | RegExp) =>
  expect(page.getByRole("alert").filter({ hasText: text }).first()).toBeVisible();

test.use({ locale: "zh-CN" });

test("the setup wizard's form errors are in Chinese for a Chinese browser, limits and zod's own checks included", async ({
  page,
}) => {
  await logIn(page);
  await page.goto("/setup/new");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");

  await page.getByLabel("配置名称").fill(PROFILE);
  await page.getByLabel("命名空间", { exact: true }).fill("Bad_Namespace");
  await page.getByLabel("实例名称").fill("i".repeat(41));
  await next(page);
  await alert(page, "命名空间只能包含小写字母、数字和“-”，并且必须以字母或数字开头和结尾");
  await alert(page, "实例名称最多 40 个字符（对象名称还会加上后缀）");
  await page.getByLabel("命名空间", { exact: true }).fill("e2e-i18n");
  await page.getByLabel("实例名称").fill("e2e-i18n-runner");
  await next(page);

  await expect(page.getByRole("heading", { name: /: GitLab$/ })).toBeVisible();
  await page.getByLabel("GitLab 地址").fill("not a url");
  await page.getByLabel("Runner 身份验证令牌").fill("GR1348941abcdefghijklmnopqrs");
  await page.getByLabel("concurrent").fill("");
  await next(page);
  await alert(page, "GitLab 地址必须是完整的 URL，例如 https://gitlab.example.com/");
  await alert(page, /旧版注册令牌.*New runner/);
  await alert(page, "请输入数字");
  await expect(page.getByRole("alert").filter({ hasText: /must|required/ })).toHaveCount(0);

  // Leave nothing behind for the other specs: the cluster step saved a draft.
  await page.goto("/setup");
  page.once("dialog", (dialog) => void dialog.accept());
  await page
    .getByRole("row", { name: new RegExp(PROFILE) })
    .getByRole("button", { name: "删除" })
    .click();
  await expect(page.getByRole("row", { name: new RegExp(PROFILE) })).toHaveCount(0);
});
