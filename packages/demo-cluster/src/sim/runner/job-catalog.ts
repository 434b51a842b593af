import type { SeededRandom } from "@ask-ci/seeded-random";
import type { JobCache } from "./job-cache";

export interface Project {
  id: number;
  /** Full path, e.g. "acme/backend/payments-api". */
  path: string;
  /** The project's name as GitLab shows it (job_info.project_name), e.g. "Payments API". */
  name: string;
  namespaceId: number;
  rootNamespaceId: number;
  /** The built-in stand-in's projects only: which job templates its pipelines use. */
  stack?: Stack;
}

export type Stack = "maven" | "node" | "go" | "python" | "terraform";

/** A `services:` entry of .gitlab-ci.yml. */
export interface ServiceDef {
  name: string;
  alias?: string;
}

/** A registry login GitLab sends with the job (`credentials` of the job response). */
export interface RegistryCredential {
  type: "registry";
  url: string;
  username: string;
  password: string;
}

export interface JobTemplate {
  name: string;
  stage: string;
  /** Undefined: the job names no image, so the runner's kubernetes.image applies. */
  image?: string;
  services?: ServiceDef[];
  /** The job's `timeout:`, else the project's (GitLab's default 60 minutes). */
  timeoutMinutes?: number;
  /** Shell commands echoed as "$ cmd" and the output they produce. */
  script: Array<{ command: string; output: string[] }>;
  /** Median simulated duration in minutes. */
  medianMinutes: number;
  /** The job's `cache:` (key before GitLab's protected-ref suffix, paths). */
  cache?: Array<{ key: string; paths: string[] }>;
}

export interface Job {
  id: number;
  /** The job token GitLab hands out with the job (CI_JOB_TOKEN); also the registry password. */
  token: string;
  pipelineId: number;
  name: string;
  stage: string;
  project: Project;
  ref: string;
  sha: string;
  beforeSha: string;
  image?: string;
  services: ServiceDef[];
  template: JobTemplate;
  /** Simulated duration (what GitLab would report), before the speed-up. */
  simulatedMs: number;
  exitCode: number;
  /** The job's timeout in GitLab (RunnerInfo.Timeout), before the speed-up. */
  timeoutSeconds: number;
  credentials: RegistryCredential[];
  /** The job's `cache:` entries as GitLab sends them (key with its -protected/-non_protected suffix). */
  cache?: JobCache[];
  /** The failure reasons the job's GitLab listed (features.failure_reasons); none from the built-in stand-in. */
  failureReasons?: string[];
}

export const PROJECTS: readonly Project[] = [
  { id: 42, path: "eci/java-demo", name: "java-demo", namespaceId: 12, rootNamespaceId: 12, stack: "maven" },
  {
    id: 1287,
    path: "acme/backend/payments-api",
    name: "Payments API",
    namespaceId: 311,
    rootNamespaceId: 97,
    stack: "maven",
  },
  {
    id: 1290,
    path: "acme/backend/orders-service",
    name: "Orders Service",
    namespaceId: 311,
    rootNamespaceId: 97,
    stack: "go",
  },
  { id: 1304, path: "acme/web/storefront", name: "Storefront", namespaceId: 318, rootNamespaceId: 97, stack: "node" },
  {
    id: 2051,
    path: "acme/platform/infra-live",
    name: "infra-live",
    namespaceId: 402,
    rootNamespaceId: 97,
    stack: "terraform",
  },
  { id: 2210, path: "data-team/etl-jobs", name: "ETL jobs", namespaceId: 455, rootNamespaceId: 455, stack: "python" },
];

const MAVEN_OUT = [
  "[INFO] Scanning for projects...",
  "[INFO] Building demo 1.0-SNAPSHOT",
  "[INFO] --- maven-compiler-plugin:3.13.0:compile (default-compile) @ demo ---",
  "[INFO] BUILD SUCCESS",
];

export const TEMPLATES: Readonly<Record<Stack, readonly JobTemplate[]>> = {
  maven: [
    {
      name: "mvn_package_job",
      stage: "package",
      image: "registry.cn-hangzhou.aliyuncs.com/eci/kaniko:1.0",
      medianMinutes: 4,
      cache: [{ key: "maven", paths: [".m2/repository/"] }],
      script: [
        { command: "mvn clean package -DskipTests", output: MAVEN_OUT },
        { command: "cp -f target/demo.war /cache", output: [] },
      ],
    },
    {
      name: "unit-test",
      stage: "test",
      image: "maven:3.9-eclipse-temurin-21",
      services: [{ name: "mysql:8.0", alias: "db" }],
      medianMinutes: 6,
      cache: [{ key: "maven", paths: [".m2/repository/"] }],
      script: [
        {
          command: "mvn -B test",
          output: ["[INFO] Tests run: 248, Failures: 0, Errors: 0, Skipped: 3", "[INFO] BUILD SUCCESS"],
        },
      ],
    },
    {
      name: "build_and_publish_docker_image_job",
      stage: "build",
      image: "registry.cn-hangzhou.aliyuncs.com/eci/kaniko:1.0",
      medianMinutes: 3,
      script: [
        {
          command:
            "kaniko -f `pwd`/Dockerfile -c `pwd` --destination=registry.cn-hangzhou.aliyuncs.com/eci/java-demo:$CI_PIPELINE_ID",
          output: [
            "INFO[0002] Retrieving image manifest tomcat:9-jre17",
            "INFO[0041] Pushing image to registry.cn-hangzhou.aliyuncs.com/eci/java-demo",
          ],
        },
      ],
    },
    {
      name: "deploy_k8s_job",
      stage: "deploy",
      image: "registry.cn-hangzhou.aliyuncs.com/eci/kubectl:1.0",
      medianMinutes: 1.5,
      script: [
        {
          command: "kubectl apply -f deployment.yaml",
          output: ["deployment.apps/java-demo configured", "service/java-demo unchanged"],
        },
      ],
    },
  ],
  node: [
    {
      name: "lint",
      stage: "test",
      image: "node:20-alpine",
      timeoutMinutes: 10,
      medianMinutes: 2,
      cache: [{ key: "npm", paths: [".npm/"] }],
      script: [
        { command: "npm ci", output: ["added 1184 packages in 38s"] },
        { command: "npm run lint", output: ["✔ No ESLint warnings or errors"] },
      ],
    },
    {
      name: "test",
      stage: "test",
      image: "node:20",
      services: [{ name: "redis:7" }],
      medianMinutes: 5,
      cache: [{ key: "npm", paths: [".npm/"] }],
      script: [
        { command: "npm ci", output: ["added 1184 packages in 41s"] },
        {
          command: "npm test -- --ci",
          output: ["Test Suites: 87 passed, 87 total", "Tests:       912 passed, 912 total"],
        },
      ],
    },
    {
      name: "build",
      stage: "build",
      image: "node:20",
      medianMinutes: 4,
      script: [{ command: "npm run build", output: ["✓ Compiled successfully", "✓ Generating static pages (42/42)"] }],
    },
    {
      name: "deploy",
      stage: "deploy",
      image: "bitnami/kubectl:1.32",
      medianMinutes: 1.5,
      script: [
        {
          command: "kubectl -n storefront set image deploy/storefront web=$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA",
          output: ["deployment.apps/storefront image updated"],
        },
      ],
    },
  ],
  go: [
    {
      name: "test",
      stage: "test",
      image: "golang:1.23",
      services: [{ name: "postgres:16", alias: "postgres" }],
      medianMinutes: 4,
      script: [
        {
          command: "go test ./... -race",
          output: ["ok  \torders/internal/api\t4.812s", "ok  \torders/internal/store\t9.104s"],
        },
      ],
    },
    {
      name: "build",
      stage: "build",
      image: "docker:27",
      services: [{ name: "docker:27-dind", alias: "docker" }],
      medianMinutes: 3,
      script: [
        {
          command: "docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA .",
          output: ["#12 exporting to image", "#12 DONE 3.1s"],
        },
        {
          command: "docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA",
          output: ["latest: digest: sha256:4c1d… size: 1786"],
        },
      ],
    },
  ],
  python: [
    {
      name: "pytest",
      stage: "test",
      image: "python:3.12-slim",
      services: [{ name: "postgres:16" }],
      medianMinutes: 5,
      cache: [{ key: "pip", paths: [".cache/pip/"] }],
      script: [
        { command: "pip install -r requirements.txt", output: ["Successfully installed 64 packages"] },
        { command: "pytest -q", output: ["412 passed, 6 skipped in 211.52s"] },
      ],
    },
    {
      name: "package",
      stage: "package",
      // No image: the runner's kubernetes.image applies.
      timeoutMinutes: 10,
      medianMinutes: 2,
      script: [
        {
          command: "python -m build",
          output: ["Successfully built etl_jobs-2.4.0.tar.gz and etl_jobs-2.4.0-py3-none-any.whl"],
        },
      ],
    },
  ],
  terraform: [
    {
      name: "plan",
      stage: "build",
      image: "hashicorp/terraform:1.9",
      medianMinutes: 3,
      script: [
        { command: "terraform init -input=false", output: ["Terraform has been successfully initialized!"] },
        { command: "terraform plan -out=plan.tfplan", output: ["Plan: 2 to add, 1 to change, 0 to destroy."] },
      ],
    },
    {
      name: "apply",
      stage: "deploy",
      image: "hashicorp/terraform:1.9",
      medianMinutes: 4,
      script: [
        {
          command: "terraform apply -input=false plan.tfplan",
          output: ["Apply complete! Resources: 2 added, 1 changed, 0 destroyed."],
        },
      ],
    },
  ],
};

const FEATURE_REFS = [
  "feature/checkout-v2",
  "feature/eci-spot",
  "fix/timeout-retry",
  "feature/cost-report",
  "chore/bump-deps",
];

const TOKEN_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789_-";

/** Share of jobs whose script fails (an ordinary exit 1, not a platform failure). */
const SCRIPT_FAILURE_RATE = 0.08;
/** Share of jobs that hang until their timeout. */
const HANG_RATE = 0.03;
/** Pipelines running side by side, whose jobs interleave as they reach the runner. */
const OPEN_PIPELINES = 3;

interface Pipeline {
  id: number;
  project: Project;
  ref: string;
  sha: string;
  beforeSha: string;
  pending: JobTemplate[];
}

/**
 * Where jobs come from: a few pipelines at a time, each one project at one commit whose jobs
 * arrive in stage order (deploy jobs only on main), so jobs sharing a pipeline id also share
 * their project, ref and sha.
 */
export class JobFeed {
  private readonly open: Pipeline[] = [];

  constructor(
    private readonly random: SeededRandom,
    private readonly ids: { jobId: number; pipelineId: number },
  ) {}

  next(): Job {
    const random = this.random;
    while (this.open.length < OPEN_PIPELINES) this.open.push(this.newPipeline());
    const index = random.int(0, this.open.length - 1);
    const pipeline = this.open[index];
    const template = pipeline.pending.shift()!;
    if (pipeline.pending.length === 0) this.open.splice(index, 1);
    const timeoutSeconds = (template.timeoutMinutes ?? 60) * 60;
    // A few jobs hang (a stuck test, a lost lock) and run into their timeout.
    const minutes = random.chance(HANG_RATE)
      ? (timeoutSeconds / 60) * 1.5
      : Math.min(15, Math.max(1, random.logNormal(template.medianMinutes, 0.45)));
    const id = this.ids.jobId++;
    const token = `glcbt-64_${random.string(20, TOKEN_ALPHABET)}`;
    return {
      id,
      token,
      pipelineId: pipeline.id,
      name: template.name,
      stage: template.stage,
      project: pipeline.project,
      ref: pipeline.ref,
      sha: pipeline.sha,
      beforeSha: pipeline.beforeSha,
      image: template.image,
      services: template.services ?? [],
      template,
      simulatedMs: Math.round(minutes * 60_000),
      exitCode: random.chance(SCRIPT_FAILURE_RATE) ? 1 : 0,
      timeoutSeconds,
      // GitLab sends a login for its own container registry with every job.
      credentials: [{ type: "registry", url: "registry.gitlab.com", username: "gitlab-ci-token", password: token }],
      // GitLab suffixes cache keys by whether the ref is protected (cache:unprotect off); main is.
      cache: (template.cache ?? []).map((c) => ({
        key: `${c.key}-${pipeline.ref === "main" ? "protected" : "non_protected"}`,
        paths: c.paths,
        untracked: false,
        policy: "pull-push",
        when: "on_success",
      })),
    };
  }

  private newPipeline(): Pipeline {
    const random = this.random;
    const project = random.pick(PROJECTS);
    const ref = random.chance(0.55)
      ? "main"
      : random.chance(0.15)
        ? `refs/merge-requests/${random.int(100, 999)}/head`
        : random.pick(FEATURE_REFS);
    const templates = TEMPLATES[project.stack ?? "node"].filter((t) => t.stage !== "deploy" || ref === "main");
    return {
      id: this.ids.pipelineId++,
      project,
      ref,
      sha: random.hex(40),
      beforeSha: random.chance(0.1) ? "0".repeat(40) : random.hex(40),
      pending: [...templates],
    };
  }
}

export function projectName(project: Project): string {
  return project.path.slice(project.path.lastIndexOf("/") + 1);
}

export function projectNamespace(project: Project): string {
  return project.path.slice(0, project.path.lastIndexOf("/"));
}

export function rootNamespace(project: Project): string {
  return project.path.split("/")[0];
}
