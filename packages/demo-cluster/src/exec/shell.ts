/**
 * A small busybox-like shell for exec sessions into simulated containers: enough to look around a job
 * (`ls`, `cat`, `env`, `ps`, `cd`, `pwd`, `echo`, `stty size`, `exit`), with quoting, `$VAR`
 * expansion and `;`, `&&`, `||`. Pipes and redirections are refused with a message rather than
 * pretended. Pure apart from the clock it is given: output goes to the writer passed in.
 */
import type { ContainerView } from "./container-view";

export interface ShellOutput {
  out(text: string): void;
  err(text: string): void;
}

type Builtin = (args: string[], io: ShellOutput) => number;

const SHELLS = new Set(["sh", "ash", "bash", "dash", "zsh"]);
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function isShell(program: string): boolean {
  return SHELLS.has(program.split("/").pop() ?? program);
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (!part || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** `date`'s default format, in UTC. */
function formatDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}

export type Token = { word: string } | { op: ";" | "&&" | "||" } | { unsupported: string };

/** Splits a command line into words and operators, expanding variables outside single quotes. */
export function tokenize(line: string, lookup: (name: string) => string): Token[] {
  const tokens: Token[] = [];
  let word = "";
  let inWord = false;
  const flush = () => {
    if (inWord) tokens.push({ word });
    word = "";
    inWord = false;
  };
  const expand = (i: number): [string, number] => {
    const rest = line.slice(i + 1);
    const braced = /^\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(rest);
    if (braced) return [lookup(braced[1]), i + 1 + braced[0].length];
    const plain = /^([A-Za-z_][A-Za-z0-9_]*|\?)/.exec(rest);
    if (plain) return [lookup(plain[1]), i + 1 + plain[0].length];
    return ["$", i + 1];
  };
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === " " || c === "\t") {
      flush();
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return [{ unsupported: "unterminated quoted string" }];
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && i + 1 < line.length && '"\\$'.includes(line[i + 1])) {
          word += line[i + 1];
          i += 2;
        } else if (line[i] === "$") {
          const [value, next] = expand(i);
          word += value;
          i = next;
        } else word += line[i++];
      }
      if (i >= line.length) return [{ unsupported: "unterminated quoted string" }];
      i++;
    } else if (c === "\\" && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else if (c === "$") {
      const [value, next] = expand(i);
      word += value;
      inWord = true;
      i = next;
    } else if (line.startsWith("&&", i) || line.startsWith("||", i)) {
      flush();
      tokens.push({ op: line.slice(i, i + 2) as "&&" | "||" });
      i += 2;
    } else if (c === ";") {
      flush();
      tokens.push({ op: ";" });
      i++;
    } else if ("|&<>`".includes(c)) {
      return [{ unsupported: c === "`" ? "command substitution" : c === "&" ? "background jobs" : `'${c}'` }];
    } else if (c === "#" && !inWord) {
      break;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  flush();
  return tokens;
}

export class SimulatedShell {
  cwd: string;
  status = 0;
  /** Set by `exit`: the code the session ends with. */
  exitCode: number | undefined;
  columns = 80;
  rows = 24;
  readonly pid: number;
  private readonly builtins: Record<string, Builtin>;

  constructor(
    private readonly view: ContainerView,
    private readonly now: () => number,
    readonly command: string,
    pid = 7,
  ) {
    this.cwd = view.home;
    this.pid = pid;
    this.builtins = {
      ls: (a, io) => this.ls(a, io),
      cat: (a, io) => this.cat(a, io),
      env: (a, io) => this.env(a, io),
      printenv: (a, io) => this.env(a, io),
      ps: (_a, io) => this.ps(io),
      pwd: (_a, io) => (io.out(`${this.cwd}\n`), 0),
      cd: (a, io) => this.cd(a, io),
      echo: (a, io) => (io.out(`${a.join(" ")}\n`), 0),
      hostname: (_a, io) => (io.out(`${view.podName}\n`), 0),
      whoami: (_a, io) => (io.out("root\n"), 0),
      id: (_a, io) => (io.out("uid=0(root) gid=0(root) groups=0(root)\n"), 0),
      uname: (a, io) => (
        io.out(a.includes("-a") ? `Linux ${view.podName} 5.10.134 #1 SMP x86_64 Linux\n` : "Linux\n"),
        0
      ),
      date: (_a, io) => (io.out(`${formatDate(this.now())}\n`), 0),
      stty: (a, io) => this.stty(a, io),
      true: () => 0,
      false: () => 1,
      clear: (_a, io) => (io.out("\x1b[H\x1b[2J"), 0),
      help: (_a, io) => (
        io.out(
          "The demo cluster's simulated shell. Commands: " +
            `${Object.keys(this.builtins).sort().join(", ")}, exit. No pipes or redirections.\n`,
        ),
        0
      ),
      exit: (a) => {
        this.exitCode = a[0] !== undefined && /^\d+$/.test(a[0]) ? Number(a[0]) & 255 : this.status;
        return this.exitCode;
      },
    };
  }

  get prompt(): string {
    return `${this.cwd} # `;
  }

  /** Runs one command line; returns its status. Check `exitCode` afterwards for `exit`. */
  runLine(line: string, io: ShellOutput): number {
    const tokens = tokenize(line, (name) => (name === "?" ? String(this.status) : (this.view.env[name] ?? "")));
    const unsupported = tokens.find((t): t is { unsupported: string } => "unsupported" in t);
    if (unsupported) {
      io.err(`sh: ${unsupported.unsupported}: not supported by the demo cluster's shell\n`);
      return (this.status = 2);
    }
    let argv: string[] = [];
    let skip = false;
    const runPending = () => {
      if (argv.length && !skip) this.status = this.runArgv(argv, io);
      argv = [];
    };
    for (const token of tokens) {
      if (this.exitCode !== undefined) break;
      if ("word" in token) argv.push(token.word);
      else if ("op" in token) {
        runPending();
        skip = token.op === "&&" ? this.status !== 0 : token.op === "||" ? this.status === 0 : false;
      }
    }
    if (this.exitCode === undefined) runPending();
    return this.status;
  }

  /** Runs a program with its arguments (no shell parsing); 127 when there is no such program. */
  runArgv(argv: string[], io: ShellOutput): number {
    const [program, ...args] = argv;
    const name = program.split("/").pop() ?? program;
    if (isShell(name) && args[0] === "-c" && args[1] !== undefined) return this.runLine(args[1], io);
    const builtin = Object.hasOwn(this.builtins, name) ? this.builtins[name] : undefined;
    if (!builtin) {
      io.err(`sh: ${program}: not found\n`);
      return 127;
    }
    return builtin(args, io);
  }

  /** Whether `program` exists in this container (for exec without a shell). */
  hasProgram(program: string): boolean {
    const name = program.split("/").pop() ?? program;
    return isShell(name) || Object.hasOwn(this.builtins, name);
  }

  private resolve(path: string): string {
    return normalize(path.startsWith("/") ? path : `${this.cwd}/${path}`);
  }

  private children(dir: string): string[] {
    const prefix = dir === "/" ? "/" : `${dir}/`;
    return [...this.view.files.keys()]
      .filter((p) => p !== dir && p.startsWith(prefix) && !p.slice(prefix.length).includes("/"))
      .map((p) => p.slice(prefix.length))
      .sort();
  }

  private ls(args: string[], io: ShellOutput): number {
    const flags = args.filter((a) => a.startsWith("-") && a.length > 1).join("");
    const paths = args.filter((a) => !a.startsWith("-") || a === "-");
    const all = flags.includes("a");
    const long = flags.includes("l");
    let status = 0;
    const line = (name: string, path: string) => {
      if (!long) return name;
      const node = this.view.files.get(path);
      const size = node?.type === "file" ? Buffer.byteLength(node.read()) : 4096;
      return `${node?.type === "dir" ? "drwxr-xr-x" : "-rw-r--r--"}    1 root     root     ${String(size).padStart(9)} ${name}`;
    };
    const targets = paths.length ? paths : ["."];
    targets.forEach((target, index) => {
      const path = this.resolve(target);
      const node = this.view.files.get(path);
      if (!node) {
        io.err(`ls: ${target}: No such file or directory\n`);
        status = 1;
        return;
      }
      if (node.type === "file") {
        io.out(`${line(target, path)}\n`);
        return;
      }
      if (targets.length > 1) io.out(`${index ? "\n" : ""}${target}:\n`);
      const names = this.children(path).filter((n) => all || !n.startsWith("."));
      const entries = names.map((n) => line(n, normalize(`${path}/${n}`)));
      if (entries.length) io.out(`${entries.join(long ? "\n" : "  ")}\n`);
    });
    return status;
  }

  private cat(args: string[], io: ShellOutput): number {
    let status = 0;
    for (const target of args) {
      const node = this.view.files.get(this.resolve(target));
      if (!node) {
        io.err(`cat: can't open '${target}': No such file or directory\n`);
        status = 1;
      } else if (node.type === "dir") {
        io.err("cat: read error: Is a directory\n");
        status = 1;
      } else io.out(node.read());
    }
    return status;
  }

  private env(args: string[], io: ShellOutput): number {
    const env = { ...this.view.env, PWD: this.cwd };
    if (args.length) {
      const values = args.filter((a) => Object.hasOwn(env, a)).map((a) => env[a as keyof typeof env]);
      for (const value of values) io.out(`${value}\n`);
      return values.length === args.length ? 0 : 1;
    }
    for (const [name, value] of Object.entries(env)) io.out(`${name}=${value}\n`);
    return 0;
  }

  private ps(io: ShellOutput): number {
    const rows: Array<[number, string]> = [
      [this.view.mainProcess.pid, this.view.mainProcess.command],
      [this.pid, this.command],
      [this.pid + 1, "ps"],
    ];
    io.out("PID   USER     TIME  COMMAND\n");
    for (const [pid, command] of rows) io.out(`${String(pid).padStart(5)} root      0:00 ${command}\n`);
    return 0;
  }

  private cd(args: string[], io: ShellOutput): number {
    const target = args[0] ?? this.view.env.HOME ?? "/";
    const path = this.resolve(target);
    const node = this.view.files.get(path);
    if (!node || node.type !== "dir") {
      io.err(`sh: cd: can't cd to ${target}: ${node ? "Not a directory" : "No such file or directory"}\n`);
      return 2;
    }
    this.cwd = path;
    return 0;
  }

  private stty(args: string[], io: ShellOutput): number {
    if (args[0] === "size") {
      io.out(`${this.rows} ${this.columns}\n`);
      return 0;
    }
    io.err("stty: only 'stty size' is simulated\n");
    return 1;
  }
}
