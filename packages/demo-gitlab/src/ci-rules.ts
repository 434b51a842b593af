import type { JobWhen } from "./model";
import type { RefFilter, Rule } from "./ci-config";

/**
 * CI/CD variable expressions as `rules:if` uses them (https://docs.gitlab.com/ci/jobs/job_rules/):
 * `$VAR`, `==`, `!=`, `=~ /re/`, `!~ /re/`, `null`, string literals, `&&`, `||` and parentheses.
 * An expression the demo cannot read throws, and the pipeline is refused with that message.
 */
export function evaluateExpression(expression: string, variables: Record<string, string>): boolean {
  const tokens = tokenize(expression);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = () => tokens[pos++];

  type Value = string | null | RegExp;

  function operand(): Value {
    const token = take();
    if (!token) throw new Error(`invalid expression syntax: ${expression}`);
    if (token.kind === "var") return Object.hasOwn(variables, token.text) ? variables[token.text] : null;
    if (token.kind === "string") return token.text;
    if (token.kind === "null") return null;
    if (token.kind === "regex") return token.regex!;
    throw new Error(`invalid expression syntax: ${expression}`);
  }

  function comparison(): boolean {
    if (peek()?.kind === "(") {
      take();
      const inner = or();
      if (take()?.kind !== ")") throw new Error(`invalid expression syntax: ${expression}`);
      return inner;
    }
    const left = operand();
    const op = peek();
    if (op?.kind === "op") {
      take();
      const right = operand();
      switch (op.text) {
        case "==":
          return left === right;
        case "!=":
          return left !== right;
        case "=~":
          return right instanceof RegExp && typeof left === "string" && right.test(left);
        case "!~":
          return !(right instanceof RegExp && typeof left === "string" && right.test(left));
      }
    }
    return typeof left === "string" && left !== "";
  }

  function and(): boolean {
    let value = comparison();
    while (peek()?.kind === "&&") {
      take();
      const right = comparison();
      value = value && right;
    }
    return value;
  }

  function or(): boolean {
    let value = and();
    while (peek()?.kind === "||") {
      take();
      const right = and();
      value = value || right;
    }
    return value;
  }

  const result = or();
  if (pos !== tokens.length) throw new Error(`invalid expression syntax: ${expression}`);
  return result;
}

interface Token {
  kind: "var" | "string" | "null" | "regex" | "op" | "&&" | "||" | "(" | ")";
  text: string;
  regex?: RegExp;
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const rest = expression.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/.exec(rest);
    if (variable) {
      tokens.push({ kind: "var", text: variable[1] });
      i += variable[0].length;
      continue;
    }
    const string = /^"((?:[^"\\]|\\.)*)"|^'((?:[^'\\]|\\.)*)'/.exec(rest);
    if (string) {
      tokens.push({ kind: "string", text: string[1] ?? string[2] });
      i += string[0].length;
      continue;
    }
    const previous = tokens.at(-1);
    if (rest.startsWith("/") && previous?.kind === "op") {
      const regex = /^\/((?:[^/\\]|\\.)*)\/([a-z]*)/.exec(rest);
      if (!regex) throw new Error(`invalid expression syntax: ${expression}`);
      tokens.push({ kind: "regex", text: regex[0], regex: new RegExp(regex[1], regex[2].replace(/[^im]/g, "")) });
      i += regex[0].length;
      continue;
    }
    const fixed = ["==", "!=", "=~", "!~", "&&", "||", "(", ")", "null"].find((t) => rest.startsWith(t));
    if (!fixed) throw new Error(`invalid expression syntax: ${expression}`);
    tokens.push(
      fixed === "null"
        ? { kind: "null", text: fixed }
        : ["==", "!=", "=~", "!~"].includes(fixed)
          ? { kind: "op", text: fixed }
          : { kind: fixed as Token["kind"], text: fixed },
    );
    i += fixed.length;
  }
  return tokens;
}

export interface RuleOutcome {
  when: JobWhen;
  allowFailure?: boolean;
  variables?: Record<string, string>;
}

/** The first matching rule decides; no match means the job is not added (when: never). */
export function applyRules(rules: Rule[], defaultWhen: JobWhen, variables: Record<string, string>): RuleOutcome {
  for (const rule of rules) {
    if (rule.if === undefined || evaluateExpression(rule.if, variables)) {
      return { when: rule.when ?? defaultWhen, allowFailure: rule.allowFailure, variables: rule.variables };
    }
  }
  return { when: "never" };
}

/** only/except refs: branch names, `branches`, `tags`, `/regex/`, or a pipeline source keyword. */
export function refFilterMatches(filter: RefFilter, ref: string, tag: boolean, source: string): boolean {
  return filter.refs.some((pattern) => {
    if (pattern === "branches") return !tag;
    if (pattern === "tags") return tag;
    if (
      ["api", "pushes", "schedules", "triggers", "web", "merge_requests", "external", "pipelines", "chat"].includes(
        pattern,
      )
    ) {
      const sourceName = { pushes: "push", schedules: "schedule", triggers: "trigger" }[pattern] ?? pattern;
      return source === sourceName;
    }
    const regex = /^\/(.*)\/([a-z]*)$/.exec(pattern);
    if (regex) return new RegExp(regex[1], regex[2].replace(/[^im]/g, "")).test(ref);
    return pattern === ref;
  });
}
