import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { formatSettingsIssues, runnerSettingsSchema } from "@/lib/runner-settings/schema";
import { generateManifests, lintSettings, toHelmValues, toYaml, validateManifests, warnings } from "@/lib/manifests";

const USAGE = `Usage: npm run -s manifests -- --settings <settings.yaml|json> --out <dir|-> [--format yaml|helm] [--no-redact]

Generates the Kubernetes objects that run GitLab Runner on ASK from runner settings.
Apply them directly (-s keeps npm's "> ask-ci manifests" banner off stdout):
  npm run -s manifests -- --settings s.yaml --out - --no-redact | kubectl apply -f -
  --settings   settings file (YAML or JSON), see lib/manifests/__fixtures__/example-settings.yaml
  --out        directory (one file per object + all.yaml, or values.yaml for helm) or - for stdout
  --format     yaml (default): plain manifests; helm: values.yaml for the gitlab/gitlab-runner chart
  --no-redact  write real Secret values (default: Secret values are shown as <redacted>)
Exit codes: 0 written, 1 invalid settings or manifests, 2 bad usage.`;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        settings: { type: "string" },
        out: { type: "string" },
        format: { type: "string", default: "yaml" },
        "no-redact": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!args.settings || !args.out || (args.format !== "yaml" && args.format !== "helm")) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }

  let raw: unknown;
  try {
    // YAML is a superset of JSON, so one parser reads both.
    raw = parseYaml(readFileSync(args.settings, "utf8"));
  } catch (error) {
    process.stderr.write(`Cannot read settings ${args.settings}: ${(error as Error).message}\n`);
    return 1;
  }
  const parsed = runnerSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    process.stderr.write(
      `Invalid settings in ${args.settings}:\n${formatSettingsIssues(parsed.error)
        .map((l) => `  ${l}`)
        .join("\n")}\n`,
    );
    return 1;
  }
  const settings = parsed.data;
  const objects = generateManifests(settings);
  const invalid = (await validateManifests(objects)).filter((v) => v.errors.length > 0);
  if (invalid.length > 0) {
    process.stderr.write(invalid.flatMap((v) => v.errors.map((e) => `${v.kind}/${v.name}: ${e}`)).join("\n") + "\n");
    return 1;
  }
  for (const w of [...lintSettings(settings), ...warnings(objects)])
    process.stderr.write(`warning: ${w.path}: ${w.message}\n`);

  const redactSecrets = !args["no-redact"];
  const files: [string, string][] =
    args.format === "helm"
      ? [["values.yaml", toHelmValues(settings)]]
      : [
          ...objects.map((o, i): [string, string] => [
            `${String(i + 1).padStart(2, "0")}-${o.kind.toLowerCase()}-${o.metadata.name}.yaml`,
            toYaml([o], { redactSecrets }),
          ]),
          ["all.yaml", toYaml(objects, { redactSecrets })],
        ];

  if (args.out === "-") {
    // npm prints "> ask-ci@… manifests" on stdout before running us unless told to be silent.
    if (process.env.npm_lifecycle_event === "manifests" && process.env.npm_config_loglevel !== "silent")
      process.stderr.write(
        "note: npm printed its banner on stdout above the YAML; pipe with `npm run -s manifests …`\n",
      );
    if (redactSecrets && args.format === "yaml")
      process.stderr.write("note: Secret values are redacted; add --no-redact to apply the output\n");
    process.stdout.write(files[files.length - 1][1]);
    return 0;
  }
  mkdirSync(args.out, { recursive: true });
  for (const [name, content] of files)
    writeFileSync(path.join(args.out, name), content, { mode: redactSecrets ? 0o644 : 0o600 });
  process.stderr.write(
    `Wrote ${files.length} file(s) to ${args.out}${redactSecrets ? " (Secret values redacted; --no-redact for real ones)" : ""}\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
