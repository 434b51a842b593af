// Standalone demo GitLab: `npm run demo-gitlab -- --port 8929`.
import { startDemoGitlab } from "./index";
import { DEMO_GITLAB_HELP, parseDemoGitlabArgs } from "./cli-options";

async function main(): Promise<void> {
  const parsed = parseDemoGitlabArgs(process.argv.slice(2));
  if (parsed.kind === "help") {
    process.stdout.write(DEMO_GITLAB_HELP);
    return;
  }
  if (parsed.kind === "error") {
    console.error(`demo-gitlab: ${parsed.message}\n\nRun with --help for the options.`);
    process.exit(2);
  }
  const gitlab = await startDemoGitlab(parsed.options);
  console.log(`demo-gitlab: serving ${gitlab.url} (GitLab ${gitlab.info.version} API at ${gitlab.info.apiUrl})`);
  console.log(
    `demo-gitlab: tokens, users and passwords in ${parsed.options.infoPath} (state in ${parsed.options.stateDir})`,
  );
  console.log(
    `demo-gitlab: try  curl -H "PRIVATE-TOKEN: $(jq -r .adminToken ${parsed.options.infoPath})" ${gitlab.info.apiUrl}/projects`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`demo-gitlab: ${signal}, saving state and stopping`);
    await gitlab.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((e) => {
  console.error("demo-gitlab:", e instanceof Error ? e.message : e);
  process.exit(1);
});
