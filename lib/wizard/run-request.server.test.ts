import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";

let profiles: typeof import("./profiles.server");
let run: typeof import("./run-request.server");

const complete = {
  cluster: { namespace: "ci", instanceName: "runner-a" },
  gitlab: { url: "https://gitlab.example.com/", runnerToken: "glrt-run_request_token_012345", runnerName: "r" },
};

beforeAll(async () => {
  useFreshDatabase();
  profiles = await import("./profiles.server");
  run = await import("./run-request.server");
});

describe("startSetupRun refuses before touching a cluster", () => {
  const draftId = async (name: string, settings: Record<string, unknown>, step: number): Promise<string> =>
    (await profiles.saveDraft({ name, connectionId: null, step, settings })).id;
  it.each([
    ["an unknown profile", async (): Promise<string> => "no-such-id", "apply", undefined, 404, /no longer exists/],
    [
      "incomplete settings",
      () => draftId("incomplete", { cluster: { namespace: "ci" } }, 0),
      "apply",
      undefined,
      422,
      /not complete/,
    ],
    ["no cluster chosen", () => draftId("no-cluster", complete, 6), "dry-run", undefined, 422, /Choose a cluster/],
  ] as const)("%s", async (_name, profileId, mode, confirm, status, message) => {
    const started = await run.startSetupRun({ profileId: await profileId(), mode, confirm, username: "admin" });
    expect(started.ok).toBe(false);
    if (!started.ok) {
      expect(started.status).toBe(status);
      expect(started.error).toMatch(message);
    }
  });

  it("lists the schema issues of incomplete settings", async () => {
    const { id } = await profiles.saveDraft({
      name: "issues",
      connectionId: null,
      step: 0,
      settings: { cluster: { namespace: "ci" } },
    });
    const started = await run.startSetupRun({ profileId: id, mode: "apply", username: "admin" });
    expect(!started.ok && started.issues?.map((i) => i.path)).toContain("gitlab");
  });
});

describe("uninstall", () => {
  it("needs the instance name typed as confirmation", async () => {
    const { db } = await import("@/lib/db.server");
    // Never decrypted: the confirmation is checked before the connection is used.
    const connection = await db.connection.create({
      data: { name: "c", server: "https://127.0.0.1:1", authType: "token", credentials: "unused" },
    });
    const { id } = await profiles.saveDraft({
      name: "to-remove",
      connectionId: connection.id,
      step: 6,
      settings: complete,
    });
    for (const confirm of [undefined, "", "runner-b"]) {
      const started = await run.startSetupRun({ profileId: id, mode: "uninstall", confirm, username: "admin" });
      expect(!started.ok && started.error).toMatch(/Type the instance name \(runner-a\)/);
    }
  });
});
