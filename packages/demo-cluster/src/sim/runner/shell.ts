/**
 * Just enough of bash to run the scripts a runner pod is started with (ask-ci's entrypoint and
 * check-ready, the Helm chart's style of script): one command per line (backslash continuations),
 * "quotes", '$VAR'/${VAR} expansion, `name=$(cmd)` capture, `||`/`&&`, `<<<` here-strings,
 * `2>&1`, `set -e`, and the commands those scripts use. Anything else is reported as not
 * simulated, with exit status 127, never skipped.
 */

export interface CommandResult {
  code: number;
  output: string;
  /** Set by `exec`: the script is replaced by this command (a long-running process). */
  exec?: string[];
  /** Set by `exit`: the script ends here. */
  exited?: boolean;
}

export interface ShellHost {
  env: Record<string, string>;
  /** Runs one command that is not a shell builtin (gitlab-runner, mkdir, cp…). */
  run(argv: string[], env: Record<string, string>, stdin: string | undefined): CommandResult;
}

type Token = { word: string } | { op: "||" | "&&" | "<<<" | "2>&1" | ">" };

/** Splits a line into words and operators, expanding variables; `$(…)` is kept for the caller. */
function tokenize(line: string, vars: Record<string, string>): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  let word: string | undefined;
  const push = () => {
    if (word !== undefined) tokens.push({ word });
    word = undefined;
  };
  const expand = (from: number): [string, number] => {
    const rest = line.slice(from + 1);
    const braced = /^\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(rest);
    if (braced) return [vars[braced[1]] ?? "", from + 1 + braced[0].length];
    const bare = /^([A-Za-z_][A-Za-z0-9_]*|\?)/.exec(rest);
    if (bare) return [vars[bare[1]] ?? "", from + 1 + bare[0].length];
    return ["$", from + 1];
  };
  while (i < line.length) {
    const ch = line[i];
    if (ch === " " || ch === "\t") {
      push();
      i++;
    } else if (line.startsWith("||", i) || line.startsWith("&&", i)) {
      push();
      tokens.push({ op: line.slice(i, i + 2) as "||" | "&&" });
      i += 2;
    } else if (line.startsWith("<<<", i)) {
      push();
      tokens.push({ op: "<<<" });
      i += 3;
    } else if (line.startsWith("2>&1", i)) {
      push();
      tokens.push({ op: "2>&1" });
      i += 4;
    } else if (ch === "#" && word === undefined) {
      break;
    } else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return "unterminated quote";
      word = (word ?? "") + line.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      let text = "";
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && i + 1 < line.length) {
          text += line[i + 1];
          i += 2;
        } else if (line[i] === "$") {
          const [value, next] = expand(i);
          text += value;
          i = next;
        } else text += line[i++];
      }
      if (i >= line.length) return "unterminated quote";
      word = (word ?? "") + text;
      i++;
    } else if (ch === "$") {
      const [value, next] = expand(i);
      word = (word ?? "") + value;
      i = next;
    } else if (ch === "\\" && i + 1 < line.length) {
      word = (word ?? "") + line[i + 1];
      i += 2;
    } else if (ch === ";" || ch === "|" || ch === "&" || ch === "<" || ch === ">" || ch === "`" || ch === "(") {
      return `'${ch}' is not simulated`;
    } else {
      word = (word ?? "") + ch;
      i++;
    }
  }
  push();
  return tokens;
}

/** Logical lines: comments and the shebang dropped, backslash-newline joined. */
function logicalLines(script: string): string[] {
  return script
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
}

/** Runs a script; the result of its last command, or of the command that ended it. */
export function runScript(script: string, host: ShellHost): CommandResult {
  const vars: Record<string, string> = { ...host.env };
  let errexit = false;
  let output = "";
  let last: CommandResult = { code: 0, output: "" };
  for (const line of logicalLines(script)) {
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=\$\((.*)\)(.*)$/.exec(line);
    let result: CommandResult;
    if (assignment) {
      // name=$(cmd) [|| …]: the command's output goes into the variable, not to the script's output.
      const [, name, inner, rest] = assignment;
      const captured = runLine(inner, vars, host);
      if (captured.exec) return { ...captured, output: output + captured.output };
      vars[name] = captured.output.replace(/\n+$/, "");
      vars["?"] = String(captured.code);
      result = { code: captured.code, output: "" };
      const tail = rest.trim();
      if (tail) {
        const follow = /^(\|\||&&)\s*(.*)$/.exec(tail);
        if (!follow) return { code: 127, output: output + `sh: '${tail}' is not simulated\n` };
        if ((follow[1] === "||") === (captured.code !== 0)) result = runLine(follow[2], vars, host);
      }
    } else if (/^set(\s|$)/.test(line)) {
      errexit ||= /\s-\w*e/.test(line);
      result = { code: 0, output: "" };
    } else {
      result = runLine(line, vars, host);
    }
    output += result.output;
    vars["?"] = String(result.code);
    last = result;
    if (result.exec || result.exited) return { ...result, output };
    if (errexit && result.code !== 0) return { code: result.code, output };
  }
  return { ...last, output };
}

/** A line of commands joined by || and &&, left to right as bash does. */
function runLine(line: string, vars: Record<string, string>, host: ShellHost): CommandResult {
  const tokens = tokenize(line, vars);
  if (typeof tokens === "string") return { code: 127, output: `sh: ${tokens}: ${line}\n` };
  const commands: Array<{ argv: string[]; stdin?: string; op?: "||" | "&&" }> = [];
  let current: { argv: string[]; stdin?: string; op?: "||" | "&&" } = { argv: [] };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if ("word" in token) current.argv.push(token.word);
    else if (token.op === "<<<") {
      const next = tokens[++i];
      if (!next || !("word" in next)) return { code: 127, output: "sh: syntax error near <<<\n" };
      current.stdin = next.word + "\n";
    } else if (token.op === "||" || token.op === "&&") {
      commands.push(current);
      current = { argv: [], op: token.op };
    }
    // 2>&1: stderr and stdout are one stream here anyway.
  }
  commands.push(current);
  let result: CommandResult = { code: 0, output: "" };
  let output = "";
  for (const command of commands) {
    if (command.op === "||" && result.code === 0) continue;
    if (command.op === "&&" && result.code !== 0) continue;
    result = runCommand(command.argv, command.stdin, vars, host);
    output += result.output;
    if (result.exec || result.exited) return { ...result, output };
  }
  return { ...result, output };
}

function runCommand(
  argv: string[],
  stdin: string | undefined,
  vars: Record<string, string>,
  host: ShellHost,
): CommandResult {
  const env = { ...host.env, ...pick(vars, Object.keys(host.env)) };
  const [command, ...args] = argv;
  switch (command) {
    case undefined:
      return { code: 0, output: "" };
    case "exit":
      return { code: args[0] === undefined ? Number(vars["?"] ?? 0) : Number(args[0]), output: "", exited: true };
    case "true":
      return { code: 0, output: "" };
    case "false":
      return { code: 1, output: "" };
    case "echo":
      return { code: 0, output: args.join(" ") + "\n" };
    case "exec":
      return args.length ? { code: 0, output: "", exec: args } : { code: 0, output: "" };
    case "grep":
      return grep(args, stdin);
    case "timeout":
      // The simulated commands all answer at once; the limit never bites.
      return args.length > 1
        ? runCommand(args.slice(1), stdin, vars, host)
        : { code: 125, output: "timeout: missing operand\n" };
    case "env":
      return envCommand(args, stdin, vars, host);
    default:
      return host.run(argv, env, stdin);
  }
}

function envCommand(
  args: string[],
  stdin: string | undefined,
  vars: Record<string, string>,
  host: ShellHost,
): CommandResult {
  const env = { ...host.env };
  let i = 0;
  for (; i < args.length; i++) {
    if (args[i] === "-u") delete env[args[++i]];
    else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i]))
      env[args[i].split("=")[0]] = args[i].slice(args[i].indexOf("=") + 1);
    else break;
  }
  if (i >= args.length)
    return {
      code: 0,
      output: Object.entries(env)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(""),
    };
  return runCommand(args.slice(i), stdin, vars, { ...host, env });
}

function grep(args: string[], stdin: string | undefined): CommandResult {
  let quiet = false;
  let extended = false;
  const rest: string[] = [];
  for (const arg of args) {
    if (/^-[qE]+$/.test(arg)) {
      quiet ||= arg.includes("q");
      extended ||= arg.includes("E");
    } else rest.push(arg);
  }
  const [pattern] = rest;
  if (pattern === undefined || rest.length > 1)
    return { code: 2, output: "grep: only `grep [-qE] PATTERN` on stdin is simulated\n" };
  // Basic regular expressions treat ( ) | + ? literally; extended ones are JavaScript's close enough.
  const source = extended ? pattern : pattern.replace(/[()|+?{}]/g, "\\$&");
  const re = new RegExp(source);
  const lines = (stdin ?? "").split("\n").filter((l, i, all) => i < all.length - 1 || l !== "");
  const matching = lines.filter((l) => re.test(l));
  return { code: matching.length ? 0 : 1, output: quiet ? "" : matching.map((l) => l + "\n").join("") };
}

function pick(vars: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => k in vars).map((k) => [k, vars[k]]));
}
