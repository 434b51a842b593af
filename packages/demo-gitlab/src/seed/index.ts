import fs from "node:fs";
import path from "node:path";
import { iso } from "../instance";
import { ACCESS, type Commit, type Project } from "../model";
import type { SeededRandom } from "@ask-ci/seeded-random";
import { digest, hashPassword, newDemoPassword, newPersonalAccessToken } from "../secrets";
import type { Store } from "../store";
import { INFRA_CI, JAVA_DEMO_CI, PAYMENTS_API_CI, STOREFRONT_CI } from "./ci-configs";

/** The secrets of a seeded state dir, kept (mode 0600) in <state>/credentials.json. */
export interface DemoCredentials {
  adminToken: string;
  /** A read_api token of a developer: enough to watch jobs, not to create runners. */
  readOnlyToken: string;
  users: { username: string; name: string; password: string; isAdmin: boolean }[];
  /** The OAuth application registered for ask-ci's "Sign in with GitLab". */
  oidcClientId?: string;
  oidcClientSecret?: string;
}

const USERS = [
  { username: "root", name: "Administrator", isAdmin: true },
  { username: "alice", name: "Alice Chen", isAdmin: false },
  { username: "bob", name: "Bob Li", isAdmin: false },
  { username: "carol", name: "Carol Wang", isAdmin: false },
  { username: "dave", name: "Dave Zhang", isAdmin: false },
];

const GROUPS = [
  { path: "eci", name: "ECI", parent: null, description: "Alibaba Cloud ECI samples" },
  { path: "acme", name: "ACME", parent: null, description: "ACME Corp" },
  { path: "backend", name: "Backend", parent: "acme", description: "Services" },
  { path: "web", name: "Web", parent: "acme", description: "Web front ends" },
  { path: "platform", name: "Platform", parent: "acme", description: "Infrastructure as code" },
];

/** Who is what where: alice owns acme, bob develops the backend, carol maintains eci, dave reports. */
const MEMBERS: [string, string, number][] = [
  ["alice", "acme", ACCESS.owner],
  ["bob", "acme/backend", ACCESS.developer],
  ["bob", "acme/web", ACCESS.developer],
  ["carol", "eci", ACCESS.maintainer],
  ["carol", "acme/platform", ACCESS.maintainer],
  ["dave", "acme", ACCESS.reporter],
];

interface ProjectSeed {
  group: string;
  path: string;
  name: string;
  description: string;
  ci: string;
  files: Record<string, string>;
  variables: Record<string, string>;
}

const PROJECTS: ProjectSeed[] = [
  {
    group: "eci",
    path: "java-demo",
    name: "java-demo",
    description: "The seed article's Java web app: Maven package, Kaniko image build, kubectl deploy on ASK",
    ci: JAVA_DEMO_CI,
    files: {
      Dockerfile:
        "FROM registry.cn-beijing.aliyuncs.com/acs-sample/tomcat\nADD target/demo.war /usr/local/tomcat/webapps/demo.war\n",
      "deployment.yaml":
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: java-demo\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: java-demo\n  template:\n    metadata:\n      labels:\n        app: java-demo\n    spec:\n      containers:\n      - name: java-demo\n        image: registry.cn-hangzhou.aliyuncs.com/eci/java-demo:IMAGE_TAG\n        ports:\n        - containerPort: 8080\n",
      "src/main/webapp/index.jsp": "<html><body><h2>Hello World!</h2></body></html>\n",
    },
    variables: { kube_config: "ZGVtbzogdHJ1ZQo=" },
  },
  {
    group: "acme/backend",
    path: "payments-api",
    name: "Payments API",
    description: "Payments service (Java 21, MySQL)",
    ci: PAYMENTS_API_CI,
    files: { "pom.xml": "<project><artifactId>payments-api</artifactId></project>\n" },
    variables: {},
  },
  {
    group: "acme/web",
    path: "storefront",
    name: "Storefront",
    description: "Next.js storefront",
    ci: STOREFRONT_CI,
    files: { "package.json": '{ "name": "storefront", "private": true }\n' },
    variables: {},
  },
  {
    group: "acme/platform",
    path: "infra",
    name: "infra",
    description: "Terraform for the ACME cloud accounts",
    ci: INFRA_CI,
    files: { "main.tf": 'terraform {\n  required_version = ">= 1.9"\n}\n' },
    variables: {},
  },
];

export const COMMIT_TITLES = [
  "Fix flaky retry in the payment client",
  "Bump dependencies",
  "Add health check endpoint",
  "Refactor configuration loading",
  "Update README",
  "Speed up the image build",
  "Handle empty carts at checkout",
  "Log request ids",
  "Tune JVM memory for ECI pods",
  "Add index on orders.created_at",
  "change index info",
  "Cache Maven dependencies on NAS",
];

export const FEATURE_BRANCHES = ["feature/checkout-v2", "fix/timeout-retry", "feature/cost-report", "chore/bump-deps"];

/** Fills an empty store: users, groups, memberships, projects with files and a first commit. */
export function seedStore(store: Store, random: SeededRandom, now: number): DemoCredentials {
  const at = iso(now);
  const credentials: DemoCredentials = {
    adminToken: newPersonalAccessToken(),
    readOnlyToken: newPersonalAccessToken(),
    users: [],
  };
  for (const u of USERS) {
    const password = newDemoPassword();
    store.data.users.push({
      id: store.nextId("user"),
      username: u.username,
      name: u.name,
      email: `${u.username}@demo-gitlab.local`,
      passwordHash: hashPassword(password),
      isAdmin: u.isAdmin,
      state: "active",
      createdAt: at,
    });
    credentials.users.push({ ...u, password });
  }
  const userId = (username: string) => store.data.users.find((u) => u.username === username)!.id;
  const yearAhead = new Date(now + 365 * 24 * 60 * 60_000).toISOString().slice(0, 10);
  store.data.tokens.push({
    id: store.nextId("token"),
    userId: userId("root"),
    name: "ask-ci demo",
    tokenDigest: digest(credentials.adminToken),
    scopes: ["api", "read_api", "read_user", "create_runner", "manage_runner"],
    expiresAt: yearAhead,
    createdAt: at,
    lastUsedAt: null,
    revoked: false,
  });
  store.data.tokens.push({
    id: store.nextId("token"),
    userId: userId("bob"),
    name: "read-only",
    tokenDigest: digest(credentials.readOnlyToken),
    scopes: ["read_api"],
    expiresAt: yearAhead,
    createdAt: at,
    lastUsedAt: null,
    revoked: false,
  });
  for (const g of GROUPS) {
    const parent = g.parent ? store.groupByPath(g.parent) : undefined;
    store.data.groups.push({
      id: store.nextId("group", 10),
      name: g.name,
      path: g.path,
      fullPath: parent ? `${parent.fullPath}/${g.path}` : g.path,
      parentId: parent?.id ?? null,
      description: g.description,
      createdAt: at,
    });
  }
  for (const [username, groupPath, level] of MEMBERS) {
    store.data.memberships.push({
      sourceType: "Namespace",
      sourceId: store.groupByPath(groupPath)!.id,
      userId: userId(username),
      accessLevel: level,
      createdAt: at,
    });
  }
  for (const p of PROJECTS) {
    const commit: Commit = {
      sha: random.hex(40),
      parentSha: null,
      title: "Initial commit",
      message: "Initial commit",
      authorName: "Administrator",
      authorEmail: "root@demo-gitlab.local",
      authoredAt: at,
      ref: "main",
    };
    const project: Project = {
      id: store.nextId("project", 1),
      name: p.name,
      path: p.path,
      namespaceId: store.groupByPath(p.group)!.id,
      description: p.description,
      defaultBranch: "main",
      visibility: "private",
      createdAt: at,
      lastActivityAt: at,
      creatorId: userId("root"),
      files: { ".gitlab-ci.yml": p.ci, "README.md": `# ${p.name}\n\n${p.description}\n`, ...p.files },
      branches: ["main"],
      commits: [commit],
      variables: p.variables,
    };
    store.data.projects.push(project);
  }
  store.changed();
  return credentials;
}

export function saveCredentials(stateDir: string | null, credentials: DemoCredentials): void {
  if (!stateDir) return;
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(path.join(stateDir, "credentials.json"), JSON.stringify(credentials, null, 2), { mode: 0o600 });
}

export function loadCredentials(stateDir: string | null): DemoCredentials | null {
  if (!stateDir) return null;
  const file = path.join(stateDir, "credentials.json");
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as DemoCredentials) : null;
}
