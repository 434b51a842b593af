import { describe, expect, it } from "vitest";
import { containerView, type PodShape } from "./container-view";
import { parseClientMessage, PROTOCOL_V4, PROTOCOL_V5 } from "./protocol";
import { startExec } from "./session";
import { tokenize } from "./shell";

const pod: PodShape = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "runner-abc-project-7-concurrent-0-xyz", namespace: "gitlab-runner" },
  spec: {
    nodeName: "virtual-kubelet",
    volumes: [{ name: "config", configMap: { name: "cfg" } }],
    containers: [
      {
        name: "build",
        command: ["sh", "-c", "sleep infinity"],
        env: [
          { name: "CI_PROJECT_DIR", value: "/builds/group/app" },
          { name: "CI_PROJECT_PATH", value: "group/app" },
          { name: "FROM_CM", valueFrom: { configMapKeyRef: { name: "cfg", key: "mode" } } },
          { name: "POD_NS", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
          { name: "TOKEN", valueFrom: { secretKeyRef: { name: "s", key: "token" } } },
        ],
        volumeMounts: [
          { name: "config", mountPath: "/etc/app" },
          { name: "logs", mountPath: "/logs-7-42" },
        ],
      },
    ],
  },
};

const view = () =>
  containerView(pod, pod.spec!.containers![0], {
    configMap: (_ns, name) => (name === "cfg" ? { mode: "fast", "app.toml": "concurrent = 4\n" } : undefined),
    log: () => ["Running with gitlab-runner", "$ make test"],
  });

/** Runs a session to its end, collecting what it wrote. */
async function run(command: string[], options: { tty?: boolean; stdin?: string[]; resize?: [number, number] } = {}) {
  let stdout = "";
  let stderr = "";
  let status: unknown;
  const session = startExec(
    view(),
    command,
    { tty: options.tty ?? false, stdin: options.stdin !== undefined, now: () => Date.UTC(2026, 0, 2, 3, 4, 5) },
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), end: (s) => (status = s) },
  );
  await Promise.resolve();
  if (options.resize) session.resize(...options.resize);
  for (const chunk of options.stdin ?? []) session.input(Buffer.from(chunk));
  if (options.stdin && !options.tty) session.closeStdin();
  await Promise.resolve();
  return { stdout, stderr, status, session };
}

const exitCode = (status: unknown) =>
  (status as { status: string; details?: { causes: Array<{ message: string }> } }).status === "Success"
    ? 0
    : Number((status as { details: { causes: Array<{ message: string }> } }).details.causes[0].message);

describe("the simulated container", () => {
  it("has the pod's plain, field and ConfigMap variables, never a Secret's", async () => {
    const { stdout, status } = await run(["env"]);
    expect(stdout).toContain("CI_PROJECT_DIR=/builds/group/app\n");
    expect(stdout).toContain("FROM_CM=fast\n");
    expect(stdout).toContain("POD_NS=gitlab-runner\n");
    expect(stdout).toContain(`HOSTNAME=${pod.metadata.name}\n`);
    expect(stdout).not.toContain("TOKEN");
    expect(exitCode(status)).toBe(0);
  });

  it("lists and reads mounted ConfigMaps, the attach log and the checkout; starts in the project dir", async () => {
    expect((await run(["ls", "/etc/app"])).stdout).toBe("app.toml  mode\n");
    expect((await run(["cat", "/etc/app/app.toml"])).stdout).toBe("concurrent = 4\n");
    expect((await run(["cat", "/logs-7-42/output.log"])).stdout).toBe("Running with gitlab-runner\n$ make test\n");
    expect((await run(["sh", "-c", "pwd; ls"])).stdout).toBe("/builds/group/app\nREADME.md\n");
  });

  it("reports errors and exit codes as busybox does", async () => {
    const missing = await run(["cat", "/nope"]);
    expect(missing.stderr).toBe("cat: can't open '/nope': No such file or directory\n");
    expect(exitCode(missing.status)).toBe(1);
    const notFound = await run(["sh", "-c", "frobnicate"]);
    expect(notFound.stderr).toBe("sh: frobnicate: not found\n");
    expect(exitCode(notFound.status)).toBe(127);
    expect(exitCode((await run(["sh", "-c", "exit 3"])).status)).toBe(3);
  });

  it("reports a program that does not exist as runc and the kubelet do (126)", async () => {
    const { stdout, status } = await run(["bash-not-here"]);
    expect(stdout).toMatch(/exec: "bash-not-here": executable file not found in \$PATH/);
    expect(exitCode(status)).toBe(126);
  });

  it("lists its processes: the container's command, the shell, ps", async () => {
    const { stdout } = await run(["sh", "-c", "ps"]);
    expect(stdout.split("\n").slice(0, 4)).toEqual([
      "PID   USER     TIME  COMMAND",
      "    1 root      0:00 sh -c sleep infinity",
      "    7 root      0:00 sh -c ps",
      "    8 root      0:00 ps",
    ]);
  });
});

describe("the shell's command line", () => {
  const env = (name: string) => ({ HOME: "/root", EMPTY: "" })[name] ?? "";

  it("expands variables outside single quotes and keeps quoted spaces", () => {
    expect(tokenize(`echo "$HOME/x" '$HOME' \${HOME}y a\\ b`, env)).toEqual([
      { word: "echo" },
      { word: "/root/x" },
      { word: "$HOME" },
      { word: "/rooty" },
      { word: "a b" },
    ]);
  });

  it("runs ; && || as sh does", async () => {
    expect((await run(["sh", "-c", "false && echo no; false || echo yes; true && echo and"])).stdout).toBe(
      "yes\nand\n",
    );
  });

  it("refuses pipes and redirections with a message instead of pretending", async () => {
    const { stderr, status } = await run(["sh", "-c", "env | grep CI"]);
    expect(stderr).toBe("sh: '|': not supported by the demo cluster's shell\n");
    expect(exitCode(status)).toBe(2);
  });
});

describe("an interactive shell", () => {
  it("reads stdin line by line without a terminal and ends with the last status when stdin closes", async () => {
    const { stdout, status } = await run(["sh"], { stdin: ["cd /etc\npw", "d\ncat hostname\n", "false"] });
    expect(stdout).toBe(`/etc\n${pod.metadata.name}\n`);
    expect(exitCode(status)).toBe(1);
  });

  it("with a terminal: prompt, echo, backspace, Ctrl-C, CRLF, the terminal's size, exit", async () => {
    const { stdout, status } = await run(["/bin/sh"], {
      tty: true,
      resize: [120, 40],
      stdin: ["ech", "x\x7fo hi\r", "junk\x03", "\x1b[Astty size\r", "exit 5\r"],
    });
    const prompt = "/builds/group/app # ";
    expect(stdout).toBe(
      `${prompt}echx\b \bo hi\r\nhi\r\n${prompt}junk^C\r\n${prompt}stty size\r\n40 120\r\n${prompt}exit 5\r\n`,
    );
    expect(exitCode(status)).toBe(5);
  });

  it("ends on Ctrl-D at an empty line, and with 137 when the container is killed", async () => {
    expect(exitCode((await run(["sh"], { tty: true, stdin: ["\x04"] })).status)).toBe(0);
    let killed: unknown;
    const s = startExec(
      view(),
      ["sh"],
      { tty: true, stdin: true, now: Date.now },
      {
        stdout: () => undefined,
        stderr: () => undefined,
        end: (st) => (killed = st),
      },
    );
    s.kill();
    expect(exitCode(killed)).toBe(137);
    expect(s.ended).toBe(true);
  });
});

describe("client messages", () => {
  it("reads resize JSON whatever the key case (kubectl: Width, client-node: width)", () => {
    expect(parseClientMessage(Buffer.from('\x04{"Width":100,"Height":30}'), PROTOCOL_V5)).toEqual({
      kind: "resize",
      width: 100,
      height: 30,
    });
    expect(parseClientMessage(Buffer.from('\x04{"width":80,"height":24}'), PROTOCOL_V4)).toEqual({
      kind: "resize",
      width: 80,
      height: 24,
    });
    expect(parseClientMessage(Buffer.from('\x04{"width":-1,"height":24}'), PROTOCOL_V5).kind).toBe("ignored");
    expect(parseClientMessage(Buffer.from("\x04not json"), PROTOCOL_V5).kind).toBe("ignored");
  });

  it("knows CLOSE only in v5", () => {
    expect(parseClientMessage(Buffer.from([255, 0]), PROTOCOL_V5)).toEqual({ kind: "close", channel: 0 });
    expect(parseClientMessage(Buffer.from([255, 0]), PROTOCOL_V4).kind).toBe("ignored");
  });
});
