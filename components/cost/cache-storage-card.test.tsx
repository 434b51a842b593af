// @vitest-environment happy-dom
import { cleanup, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { renderWithApp } from "@/tests/render";
import { CacheStorageCard } from "./cache-storage-card";

afterEach(cleanup);

describe("CacheStorageCard", () => {
  it("compares OSS and NAS a month at a time from the calculator's jobs and days with China-site prices", () => {
    renderWithApp(<CacheStorageCard currency="CNY" jobsPerDay={100} daysPerMonth={22} />);
    expect(screen.getByTestId("oss-monthly").textContent).toBe("¥6.00");
    expect(screen.getByTestId("nas-monthly").textContent).toBe("¥17.50");
    expect(screen.getByText(/4,400 requests/)).toBeTruthy();
  });

  it("adds the archive downloads as traffic through the public endpoint", async () => {
    const user = userEvent.setup();
    renderWithApp(<CacheStorageCard currency="CNY" jobsPerDay={100} daysPerMonth={22} />);
    await user.click(screen.getByLabelText("Jobs reach OSS through its public endpoint (traffic billed)"));
    expect(screen.getByTestId("oss-monthly").textContent).toBe("¥556.00");
  });

  it("says which field is wrong instead of computing with it", async () => {
    const user = userEvent.setup();
    renderWithApp(<CacheStorageCard currency="CNY" jobsPerDay={100} daysPerMonth={22} />);
    const stored = screen.getByLabelText("Cache stored (GiB)");
    await user.clear(stored);
    await user.type(stored, "-5");
    expect(screen.getByText("Enter a number of 0 or more")).toBeTruthy();
    expect(screen.queryByTestId("oss-monthly")).toBeNull();
  });

  it("has no built-in prices for the international site and asks for the user's", () => {
    renderWithApp(<CacheStorageCard currency="USD" jobsPerDay={100} daysPerMonth={22} />);
    expect(screen.getByText(/enter the prices from your price list/)).toBeTruthy();
    expect(screen.queryByTestId("oss-monthly")).toBeNull();
    expect(screen.queryByText("Enter a number of 0 or more")).toBeNull();
  });
});
