// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ConnectionDto } from "@/lib/connections/dto";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import type { SettingsDraft } from "@/lib/wizard/secrets";
import { renderWithApp } from "@/tests/render";
import { ClusterStep } from "./cluster-step";
import { JobPodsStep } from "./job-pods-step";
import { RegistryStep } from "./registry-step";

// The wizard's steps as a user fills them in: what each one refuses (with the message next to the
// field, nothing saved) and exactly what it hands to the wizard when it is right.

afterEach(cleanup);

const connection = (id: string, name: string, isDefault = false) =>
  ({ id, name, server: `https://${name}.example:6443`, isDefault }) as unknown as ConnectionDto;

describe("cluster step", () => {
  function clusterStep(meta = { name: "", connectionId: null as string | null }, draft: SettingsDraft = {}) {
    const onNext = vi.fn();
    renderWithApp(
      <ClusterStep
        draft={draft}
        saving={false}
        meta={meta}
        connections={[connection("c1", "prod"), connection("c2", "staging")]}
        onNext={onNext}
      />,
    );
    return { onNext, user: userEvent.setup() };
  }

  it("asks for a name and a cluster before going on", async () => {
    const { onNext, user } = clusterStep();
    await user.click(screen.getByRole("button", { name: "Save and continue" }));
    expect(await screen.findByText("Give the profile a name")).toBeTruthy();
    expect(screen.getByText("Choose a cluster")).toBeTruthy();
    expect(onNext).not.toHaveBeenCalled();
  });

  it("refuses an instance name that is not a Kubernetes name, next to the field", async () => {
    const { onNext, user } = clusterStep({ name: "prod-runner", connectionId: "c1" });
    const instance = screen.getByLabelText("Instance name");
    await user.clear(instance);
    await user.type(instance, "Not_A_Name");
    await user.click(screen.getByRole("button", { name: "Save and continue" }));
    await waitFor(() => expect(instance.getAttribute("aria-invalid")).toBe("true"));
    expect(screen.getByLabelText("Namespace").getAttribute("aria-invalid")).toBe("false");
    expect(onNext).not.toHaveBeenCalled();
  });

  it("hands over the cluster settings and the profile's name and connection", async () => {
    const { onNext, user } = clusterStep({ name: "", connectionId: null });
    await user.type(screen.getByLabelText("Profile name"), "  java runners ");
    await user.selectOptions(screen.getByLabelText("Cluster"), "c2");
    const namespace = screen.getByLabelText("Namespace");
    expect((namespace as HTMLInputElement).value).toBe("gitlab-ci");
    await user.clear(namespace);
    await user.type(namespace, "ci-java");
    await user.click(screen.getByRole("checkbox"));
    await user.click(screen.getByRole("button", { name: "Save and continue" }));
    await waitFor(() => expect(onNext).toHaveBeenCalledTimes(1));
    expect(onNext).toHaveBeenCalledWith(
      { cluster: { namespace: "ci-java", instanceName: "gitlab-runner", createNamespace: false } },
      { name: "java runners", connectionId: "c2" },
    );
  });
});

describe("registry step", () => {
  function registryStep(draft: SettingsDraft = {}, passwordSaved = false) {
    const onNext = vi.fn();
    const onBack = vi.fn();
    renderWithApp(
      <RegistryStep draft={draft} saving={false} onBack={onBack} onNext={onNext} passwordSaved={passwordSaved} />,
    );
    return { onNext, onBack, user: userEvent.setup() };
  }

  it("saves no registry while it is off, and shows no credential fields", async () => {
    const { onNext, user } = registryStep();
    expect(screen.queryByLabelText("Password")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Save and continue" }));
    await waitFor(() => expect(onNext).toHaveBeenCalledWith({ registry: undefined }));
  });

  it("needs a password when none is saved, and does not go on without it", async () => {
    const { onNext, user } = registryStep();
    await user.click(screen.getByLabelText("Push images to a registry"));
    await user.type(screen.getByLabelText("Registry server"), "registry.cn-hangzhou.aliyuncs.com");
    await user.type(screen.getByLabelText("Username"), "ci-pusher");
    await user.click(screen.getByRole("button", { name: "Save and continue" }));
    await waitFor(() => expect(screen.getByLabelText("Password").getAttribute("aria-invalid")).toBe("true"));
    expect(onNext).not.toHaveBeenCalled();
  });

  it("keeps a saved password when the field is left empty (an empty password is handed over, not a guess)", async () => {
    const draft: SettingsDraft = { registry: { server: "registry.example.com", username: "ci" } };
    const { onNext, user } = registryStep(draft, true);
    expect(screen.getByText("A password is saved. Leave empty to keep it.")).toBeTruthy();
    expect((screen.getByLabelText("Password") as HTMLInputElement).value).toBe("");
    await user.click(screen.getByRole("button", { name: "Save and continue" }));
    await waitFor(() => expect(onNext).toHaveBeenCalledTimes(1));
    expect(onNext.mock.calls[0][0]).toEqual({
      registry: {
        server: "registry.example.com",
        username: "ci",
        password: "",
        secretName: "registry-auth-secret",
        mountPath: "/root/.docker",
      },
    });
  });

  it("goes back with what was typed, without validating it", async () => {
    const { onBack, onNext, user } = registryStep();
    await user.click(screen.getByLabelText("Push images to a registry"));
    await user.type(screen.getByLabelText("Registry server"), " half-typed ");
    await user.click(screen.getByRole("button", { name: "Back" }));
    expect(onBack).toHaveBeenCalledWith({ registry: expect.objectContaining({ server: "half-typed" }) });
    expect(onNext).not.toHaveBeenCalled();
  });
});

describe("job pods step", () => {
  function jobPodsStep(draft: SettingsDraft = {}) {
    const onNext = vi.fn();
    renderWithApp(
      <JobPodsStep draft={draft} saving={false} onBack={vi.fn()} onNext={onNext} priceBooks={DEFAULT_PRICE_BOOKS} />,
    );
    return { onNext, user: userEvent.setup() };
  }

  const buildField = (label: string) =>
    within(screen.getByRole("group", { name: "Build container" })).getByLabelText(label);

  it("prices the billed ECI spec live as the limits change", async () => {
    const { user } = jobPodsStep({
      jobPods: { build: { cpuRequest: "1", cpuLimit: "2", memoryRequest: "2Gi", memoryLimit: "4Gi" } },
    });
    const billed = () => screen.getByTestId("billed-spec").textContent;
    const before = billed();
    const perMinute = screen.getByTestId("price-per-minute").textContent;
    await user.clear(buildField("CPU limit"));
    await user.type(buildField("CPU limit"), "8");
    await user.clear(buildField("Memory limit"));
    await user.type(buildField("Memory limit"), "16Gi");
    await waitFor(() => expect(billed()).not.toBe(before));
    // The pod's spec covers the build container's new limits (plus the helper's): at least 8 vCPU / 16 GiB.
    const [, vcpu, gib] = /^(\d+(?:\.\d+)?) vCPU \/ (\d+(?:\.\d+)?) GiB$/.exec(billed() ?? "") ?? [];
    expect(Number(vcpu)).toBeGreaterThanOrEqual(8);
    expect(Number(gib)).toBeGreaterThanOrEqual(16);
    expect(screen.getByTestId("price-per-minute").textContent).not.toBe(perMinute);
  });

  it("refuses a request above its limit, names the container and the limit, and saves nothing", async () => {
    const { onNext, user } = jobPodsStep();
    await user.clear(buildField("CPU request"));
    await user.type(buildField("CPU request"), "4");
    await user.clear(buildField("CPU limit"));
    await user.type(buildField("CPU limit"), "1");
    await user.click(screen.getByRole("button", { name: "Save and continue" }));
    expect(await screen.findByText("Build CPU request must not exceed its limit (1)")).toBeTruthy();
    expect(onNext).not.toHaveBeenCalled();
  });

  it("hands over labels and annotations typed one key=value per line as maps", async () => {
    const { onNext, user } = jobPodsStep();
    await user.type(screen.getByLabelText("Extra pod labels"), "team=platform{Enter}cost-center=42");
    await user.click(screen.getByRole("button", { name: "Save and continue" }));
    await waitFor(() => expect(onNext).toHaveBeenCalledTimes(1));
    expect(onNext.mock.calls[0][0].jobPods.podLabels).toEqual({ team: "platform", "cost-center": "42" });
  });
});
