import { checkValue, parseLimitedJson, textProblem, type Checked } from "./json-limits";
import { BODY_LIMITS } from "./limits";

/**
 * A server action's arguments as the browser sends them: React's reply encoding
 * (react-server-dom's processReply) — a JSON array of the arguments, where a string starting with
 * "$" is a reference. Without FormData or files the body is that JSON (text/plain); with them it is
 * multipart: the JSON in field "0" and each FormData argument's entries under "_<n>_<name>",
 * referenced as "$K<n>".
 *
 * Only what ask-ci's own pages send is understood: plain JSON values, escaped "$$" strings,
 * undefined, dates, the non-finite numbers, and FormData of text fields. Promises ("$@"),
 * server and temporary references ("$h", "$F", "$T"), BigInt ("$n"), Map, Set, blobs, streams,
 * iterables and back-references are refused: no action takes them, and React would otherwise
 * resolve them from parts that may not exist.
 */
export type ReplyBody = { kind: "text"; text: string } | { kind: "form"; form: FormData };

const SPECIAL: Record<string, unknown> = {
  $undefined: undefined,
  $NaN: Number.NaN,
  $Infinity: Number.POSITIVE_INFINITY,
  "$-Infinity": Number.NEGATIVE_INFINITY,
  "$-0": -0,
};

function decodeString(value: string, form: FormData | null): Checked<unknown> {
  if (!value.startsWith("$")) return { ok: true, value };
  if (value.startsWith("$$")) return { ok: true, value: value.slice(1) };
  if (value in SPECIAL) return { ok: true, value: SPECIAL[value] };
  if (value.startsWith("$D")) {
    const date = new Date(value.slice(2));
    return Number.isNaN(date.getTime())
      ? { ok: false, problem: "a date that is not a date" }
      : { ok: true, value: date };
  }
  const formRef = /^\$K([0-9a-f]{1,8})$/.exec(value);
  if (formRef) {
    if (!form) return { ok: false, problem: "a form reference without form data" };
    const prefix = `_${parseInt(formRef[1], 16)}_`;
    const fields = new FormData();
    for (const [name, entry] of form.entries()) {
      if (!name.startsWith(prefix)) continue;
      if (typeof entry !== "string") return { ok: false, problem: "a file upload, which no action takes" };
      fields.append(name.slice(prefix.length), entry);
    }
    return { ok: true, value: fields };
  }
  return { ok: false, problem: `an unsupported reference "${value.slice(0, 12)}"` };
}

function decode(value: unknown, form: FormData | null): Checked<unknown> {
  if (typeof value === "string") return decodeString(value, form);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const decoded = decode(item, form);
      if (!decoded.ok) return decoded;
      out.push(decoded.value);
    }
    return { ok: true, value: out };
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const decoded = decode(item, form);
      if (!decoded.ok) return decoded;
      out[key] = decoded.value;
    }
    return { ok: true, value: out };
  }
  return { ok: true, value };
}

/** The arguments of a server action call, or why the body is not one ask-ci's pages would send. */
export function decodeActionReply(body: ReplyBody): Checked<unknown[]> {
  let text: string;
  let form: FormData | null = null;
  if (body.kind === "text") text = body.text;
  else {
    form = body.form;
    let parts = 0;
    for (const [name, entry] of form.entries()) {
      if (++parts > BODY_LIMITS.parts) return { ok: false, problem: `more than ${BODY_LIMITS.parts} form fields` };
      const problem = textProblem(name) ?? (typeof entry === "string" ? textProblem(entry) : null);
      if (problem) return { ok: false, problem: `a form field with ${problem}` };
    }
    const root = form.get("0");
    if (typeof root !== "string") return { ok: false, problem: "form data without the arguments (field 0)" };
    text = root;
  }
  const parsed = parseLimitedJson(text);
  if (!parsed.ok) return parsed;
  if (!Array.isArray(parsed.value)) return { ok: false, problem: "arguments that are not a list" };
  const decoded = decode(parsed.value, form);
  if (!decoded.ok) return decoded;
  const problem = checkValue(decoded.value);
  return problem ? { ok: false, problem } : { ok: true, value: decoded.value as unknown[] };
}
