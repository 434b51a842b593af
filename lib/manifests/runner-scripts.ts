import { CONFIG_FILE, CONFIG_KEYS, RUNNER_PATHS } from "./paths";

/**
 * Container entrypoint, modelled on the official Helm chart's `entrypoint` +
 * `register-the-runner`: copy the global config to a writable place, let `register` merge the
 * [[runners]] template with the token from the environment (CI_SERVER_TOKEN, from the Secret),
 * then run. The token therefore only exists in the Secret and in the pod's emptyDir.
 * RUNNER_NAME/CI_SERVER_URL/RUNNER_EXECUTOR are set as env too: register's own flag defaults
 * (hostname as name) would otherwise win over the template's values.
 */
export const ENTRYPOINT_SCRIPT = `#!/bin/bash
set -euo pipefail
mkdir -p ${RUNNER_PATHS.configDir}
cp ${RUNNER_PATHS.configMapDir}/${CONFIG_KEYS.globalConfig} ${CONFIG_FILE}
/entrypoint register --non-interactive --config ${CONFIG_FILE} \\
  --template-config ${RUNNER_PATHS.configMapDir}/${CONFIG_KEYS.runnerTemplate}
exec /entrypoint run --config ${CONFIG_FILE} --working-directory ${RUNNER_PATHS.home}
`;

/**
 * Readiness: ready only once GitLab confirmed the token, with the same test as the official
 * chart's check-live (verify prints "is alive" or, for glrt- tokens, "is valid"). A process
 * check alone keeps reporting healthy a runner that GitLab rejects.
 *
 * `--name "$RUNNER_NAME"` selects our runner on every supported version. Up to v19.2.x verify
 * takes --url/--token from CI_SERVER_URL/CI_SERVER_TOKEN (commands/verify.go embeds
 * RunnerCredentials), which this container has; a runner is selected by name *or* by URL and
 * token together, so the name is what always matches (the old `--url=` matched nothing there and
 * the pod never became ready; v19.3.0 dropped the env tags, commit f31987ef5).
 */
export const CHECK_READY_SCRIPT = `#!/bin/bash
output=$(timeout 10 gitlab-runner verify --config ${CONFIG_FILE} --name "$RUNNER_NAME" 2>&1) || exit 1
grep -qE "is (alive|valid)" <<<"$output"
`;
