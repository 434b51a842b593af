/** Where the runner container sees its files; shared by the ConfigMap, scripts and Deployment. */
export const RUNNER_PATHS = {
  /** Read-only ConfigMap mount (same layout as the official Helm chart). */
  configMapDir: "/configmaps",
  /** Writable emptyDir: `register` writes the final config.toml (with the token) here. */
  configDir: "/home/gitlab-runner/.gitlab-runner",
  home: "/home/gitlab-runner",
} as const;

export const CONFIG_KEYS = {
  globalConfig: "config.toml",
  runnerTemplate: "config.template.toml",
  entrypoint: "entrypoint",
  checkReady: "check-ready",
  caCertificate: "ca.crt",
} as const;

export const CONFIG_FILE = `${RUNNER_PATHS.configDir}/config.toml`;
export const METRICS_PORT = 9252;
