// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithApp } from "@/tests/render";
import type { SettingsDraft } from "@/lib/wizard/secrets";
import { StorageStep } from "./storage-step";

afterEach(cleanup);

function step(draft: SettingsDraft = {}, cacheSecretSaved = false) {
  const onNext = vi.fn();
  renderWithApp(
    <StorageStep draft={draft} saving={false} onBack={vi.fn()} onNext={onNext} cacheSecretSaved={cacheSecretSaved} />,
  );
  return { onNext, user: userEvent.setup() };
}

const saved: SettingsDraft = {
  distributedCache: { region: "cn-hangzhou", bucket: "acme-cache", accessKeyId: "LTAI5tExampleKeyId0001" },
};

describe("storage step: distributed cache on OSS", () => {
  it("explains the trade-off against NAS before anything is enabled, and saves no cache by default", async () => {
    const { onNext, user } = step();
    expect(screen.getByText(/a NAS volume bills its capacity/)).toBeTruthy();
    expect(screen.queryByLabelText("Bucket")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Save and continue" }));
    await waitFor(() => expect(onNext).toHaveBeenCalledWith({ storage: { volumes: [] }, distributedCache: undefined }));
  });

  it("says what is wrong with a bucket name and a missing secret, and does not save", async () => {
    const { onNext, user } = step();
    await user.click(screen.getByLabelText("Keep GitLab's cache: in an OSS bucket"));
    await user.type(screen.getByLabelText("Region"), "cn-hangzhou");
    await user.type(screen.getByLabelText("Bucket"), "Acme_Cache");
    await user.type(screen.getByLabelText("AccessKey ID"), "LTAI5tExampleKeyId0001");
    await user.click(screen.getByRole("button", { name: "Save and continue" }));
    expect(await screen.findByText(/Bucket names are 3-63 lowercase letters/)).toBeTruthy();
    expect(screen.getByText("AccessKey secret is required")).toBeTruthy();
    expect(onNext).not.toHaveBeenCalled();
  });

  it("keeps a saved AccessKey secret when the field is left empty, and shows the endpoint the runner will use", async () => {
    const { onNext, user } = step(saved, true);
    expect(screen.getByText("An AccessKey secret is saved. Leave empty to keep it.")).toBeTruthy();
    expect(screen.getByText("The runner uses s3.oss-cn-hangzhou-internal.aliyuncs.com.")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Save and continue" }));
    await waitFor(() => expect(onNext).toHaveBeenCalledTimes(1));
    const cache = onNext.mock.calls[0][0].distributedCache;
    expect(cache).toMatchObject({ region: "cn-hangzhou", bucket: "acme-cache", accessKeySecret: "" });
  });

  it("shows the .gitlab-ci.yml snippet of the chosen preset", async () => {
    const { user } = step(saved, true);
    const snippet = screen.getByLabelText("Snippet for .gitlab-ci.yml");
    expect(snippet.textContent).toContain(".m2/repository/");
    await user.selectOptions(screen.getByLabelText("Cache preset for .gitlab-ci.yml"), "npm");
    expect(snippet.textContent).toContain("npm ci --cache .npm --prefer-offline");
  });
});
