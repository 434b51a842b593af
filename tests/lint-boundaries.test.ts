import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// The layout's boundaries are lint rules (eslint.config.mjs); each must fail on a deliberate violation.
const root = path.resolve(import.meta.dirname, "..");
let eslint: ESLint;

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

describe("lint boundaries", () => {
  it.each([
    [
      "a package importing the dashboard by alias",
      "packages/demo-cluster/src/x.ts",
      'import { db } from "@/lib/db.server";',
    ],
    [
      "a package importing the dashboard by path",
      "packages/demo-cluster/src/sim/x.ts",
      'import { x } from "../../../../lib/cost/money";',
    ],
    [
      "the dashboard importing a simulator",
      "lib/monitor/x.ts",
      'import { startDemoCluster } from "@ask-ci/demo-cluster";',
    ],
    [
      "a route importing a simulator's internals",
      "app/api/x/route.ts",
      'import { MemoryStore } from "@ask-ci/demo-cluster/store";',
    ],
    ["the dashboard reaching into packages/", "lib/x.ts", 'import { x } from "../packages/demo-cluster/src/store";'],
    ["a component importing a server module's values", "components/x.tsx", 'import { db } from "@/lib/db.server";'],
    [
      "a component importing a route handler",
      "components/x.tsx",
      'import { GET } from "@/app/api/monitor/today/route";',
    ],
  ])("refuses %s", async (_name, file, code) => {
    expect(await ruleIds(file, `${code}\nexport const used = 1;\n`)).toContain("no-restricted-imports");
  });

  it('refuses a value import of a *.server module in a "use client" file outside components/', async () => {
    const code =
      '"use client";\nimport { listConnections } from "@/lib/connections/store.server";\nexport const f = listConnections;\n';
    expect(await ruleIds("app/(dashboard)/x/client-thing.tsx", code)).toContain("ask-ci/no-server-in-client");
  });

  it.each([
    [
      "a package importing the billing rules",
      "packages/demo-cluster/src/x.ts",
      'import { resolvePodSpec } from "@ask-ci/billing/eci/specs";\nexport const f = resolvePodSpec;',
    ],
    [
      "the dashboard importing the billing rules",
      "lib/cost/x.ts",
      'import { resolvePodSpec } from "@ask-ci/billing/eci/specs";\nexport const f = resolvePodSpec;',
    ],
    [
      "a client component importing only types from a server module",
      "components/x.tsx",
      '"use client";\nimport type { ProfileDto } from "@/lib/wizard/profiles.server";\nexport type P = ProfileDto;',
    ],
    [
      "a client file with inline type specifiers",
      "app/x/y.tsx",
      '"use client";\nimport { type ProfileDto } from "@/lib/wizard/profiles.server";\nexport type P = ProfileDto;',
    ],
  ])("allows %s", async (_name, file, code) => {
    const ids = await ruleIds(file, `${code}\n`);
    expect(ids).not.toContain("no-restricted-imports");
    expect(ids).not.toContain("ask-ci/no-server-in-client");
  });
});
