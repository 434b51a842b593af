import { BODY_LIMITS, FORBIDDEN_KEYS, type BodyLimits } from "./limits";

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string from a request cannot be taken, or null: NUL and unpaired surrogates are not text anyone typed. */
export function textProblem(value: string, limits: BodyLimits = BODY_LIMITS): string | null {
  if (value.length > limits.string) return `a text longer than ${limits.string} characters`;
  if (value.includes("\u0000")) return "a text containing NUL";
  if (LONE_SURROGATE.test(value)) return "a text that is not valid Unicode (an unpaired surrogate)";
  return null;
}

/**
 * The deepest nesting of JSON text, counted without parsing (brackets outside strings), so a
 * 20,000-level document is refused before JSON.parse or anything recursive sees it.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) deepest = Math.max(deepest, ++depth);
    else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return deepest;
}

/** Walks a parsed value within the limits: width, node count, strings, and no prototype keys. */
export function checkValue(value: unknown, limits: BodyLimits = BODY_LIMITS): string | null {
  let nodes = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (++nodes > limits.nodes) return `more than ${limits.nodes} values`;
    if (typeof node === "string") {
      const problem = textProblem(node, limits);
      if (problem) return problem;
    } else if (Array.isArray(node)) {
      if (node.length > limits.width) return `a list of more than ${limits.width} elements`;
      stack.push(...node);
    } else if (node !== null && typeof node === "object") {
      const keys = Object.keys(node);
      if (keys.length > limits.width) return `an object with more than ${limits.width} keys`;
      for (const key of keys) {
        if (FORBIDDEN_KEYS.has(key)) return `the key "${key}"`;
        const problem = textProblem(key, limits);
        if (problem) return problem;
        stack.push((node as Record<string, unknown>)[key]);
      }
    }
  }
  return null;
}

/** JSON text parsed within the limits, or what is wrong with it. */
export function parseLimitedJson(text: string, limits: BodyLimits = BODY_LIMITS): Checked<unknown> {
  if (jsonDepth(text) > limits.depth) return { ok: false, problem: `nested deeper than ${limits.depth} levels` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: "not valid JSON" };
  }
  const problem = checkValue(value, limits);
  return problem ? { ok: false, problem } : { ok: true, value };
}
