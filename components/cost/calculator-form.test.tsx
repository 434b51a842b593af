// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { costFormValues } from "@/lib/cost/calculator-form-values";
import { parseCostQuery } from "@/lib/cost/validation";
import { renderWithApp } from "@/tests/render";
import { CalculatorForm, type SavedEcsPrice } from "./calculator-form";

// The calculator's form keeps its state in the URL: each change becomes a router.replace of
// /cost?<query> (typing after a pause), which the page then recomputes from.

const router = { replace: vi.fn() };
let searchParams = new URLSearchParams();
vi.mock("next/navigation", () => ({
  useRouter: () => router,
  usePathname: () => "/cost",
  useSearchParams: () => searchParams,
}));

const defaults = costFormValues({}, parseCostQuery({}));

beforeEach(() => {
  router.replace.mockReset();
  searchParams = new URLSearchParams();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function form(props: { savedEcsPrices?: SavedEcsPrice[]; errors?: Record<string, string> } = {}) {
  renderWithApp(
    <CalculatorForm
      values={defaults}
      savedEcsPrices={props.savedEcsPrices ?? []}
      errors={props.errors ?? {}}
      currencySymbol="¥"
    />,
  );
}

/** The query of the last router.replace call. */
function lastQuery(): Record<string, string> {
  const url = router.replace.mock.calls.at(-1)?.[0] as string;
  expect(url).toMatch(/^\/cost\?/);
  return Object.fromEntries(new URL(url, "http://x").searchParams);
}

describe("CalculatorForm", () => {
  it("sends typing to the URL once, after a pause, with the other fields kept", async () => {
    vi.useFakeTimers();
    form();
    const vcpu = screen.getByLabelText("Job pod vCPU");
    fireEvent.change(vcpu, { target: { value: "4" } });
    fireEvent.change(vcpu, { target: { value: "48" } });
    expect(router.replace).not.toHaveBeenCalled();
    await act(() => vi.advanceTimersByTimeAsync(400));
    expect(router.replace).toHaveBeenCalledTimes(1);
    expect(lastQuery()).toMatchObject({ vcpu: "48", mem: defaults.mem, minutes: defaults.minutes });
  });

  it("takes the billed spec from a pasted pod's resources, as ECI rounds it", async () => {
    const user = userEvent.setup();
    form();
    const yaml = "resources:\n  limits:\n    cpu: 1500m\n    memory: 3Gi\n";
    fireEvent.change(screen.getByLabelText("Paste the job pod’s resources"), { target: { value: yaml } });
    await user.click(screen.getByRole("button", { name: "Use this spec" }));
    expect(screen.getByText(/^ECI bills .*from the limits/)).toBeTruthy();
    await waitFor(() => expect(router.replace).toHaveBeenCalled());
    // 1.5 vCPU / 3 GiB is no ECI spec: the next one up is 2 vCPU / 4 GiB.
    expect(lastQuery()).toMatchObject({ vcpu: "2", mem: "4" });
    expect((screen.getByLabelText("Job pod vCPU") as HTMLInputElement).value).toBe("2");
  });

  it("says what is wrong with pasted YAML and changes nothing", async () => {
    const user = userEvent.setup();
    form();
    fireEvent.change(screen.getByLabelText("Paste the job pod’s resources"), { target: { value: "a: [" } });
    await user.click(screen.getByRole("button", { name: "Use this spec" }));
    expect(screen.getByText("This is not valid YAML.")).toBeTruthy();
    expect(router.replace).not.toHaveBeenCalled();
  });

  it("fills the ECS price and its price book from a saved price", async () => {
    const user = userEvent.setup();
    form({ savedEcsPrices: [{ id: "p1", name: "c6.large", monthlyPrice: "61.5", currency: "USD" }] });
    await user.selectOptions(screen.getByLabelText("Saved ECS price"), "p1");
    await waitFor(() => expect(router.replace).toHaveBeenCalled());
    expect(lastQuery()).toMatchObject({ ecs: "61.5", site: "intl" });
  });

  it("marks a field the server refused and shows its message next to it", () => {
    form({ errors: { vcpu: "vCPU must be at most 64" } });
    const vcpu = screen.getByLabelText("Job pod vCPU");
    expect(vcpu.getAttribute("aria-invalid")).toBe("true");
    const describedBy = vcpu.getAttribute("aria-describedby")!;
    expect(document.getElementById(describedBy)?.textContent).toBe("vCPU must be at most 64");
    expect(screen.getByLabelText("Job pod memory (GiB)").getAttribute("aria-invalid")).toBeNull();
  });
});
