// @vitest-environment happy-dom
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ProblemAlert } from "@/components/clusters/problem-text";
import { GitlabProblemAlert } from "@/components/gitlab/gitlab-problem";
import { renderWithApp } from "@/tests/render";

afterEach(cleanup);

describe("problem alerts", () => {
  it("say a cluster problem in the reader's language with its values, tagged with its code", () => {
    renderWithApp(<ProblemAlert problem={{ code: "tooLarge", params: { limitKiB: 256 } }} />, { locale: "zh-CN" });
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("超过 256 KiB");
    expect(alert.getAttribute("data-problem")).toBe("tooLarge");
  });

  it("read a placeholder the recorded problem lost as an ellipsis, never as the raw {name}", () => {
    renderWithApp(<ProblemAlert problem={{ code: "tooLarge" }} />);
    expect(screen.getByRole("alert").textContent).toContain("larger than … KiB");
  });

  it("fall back to the code for a problem the catalog does not know", () => {
    renderWithApp(<GitlabProblemAlert problem={{ code: "somethingNew" as never }} />);
    expect(screen.getByRole("alert").textContent).toBe("somethingNew");
  });
});
