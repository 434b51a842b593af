/**
 * The Kubernetes executor's naming and label rules, as in gitlab-runner's source (identical in
 * every release the simulation claims): executors/kubernetes/util.go sanitizeLabel,
 * helpers/dns/utils.go MakeRFC1123Compatible, common/build.go ProjectUniqueName,
 * executors/kubernetes/kubernetes.go generateNameForK8sResources, os.Expand for pod_labels and
 * pod_annotations.
 */

/** sanitizeLabel: every rune that is not [A-Za-z0-9-_.] becomes "_", trimmed of -_. at both ends, 63 bytes. */
export function sanitizeLabel(value: string): string {
  // strings.Map works on runes: one "_" per character, also outside the BMP.
  const mapped = Array.from(value, (ch) => (/^[A-Za-z0-9\-_.]$/.test(ch) ? ch : "_")).join("");
  return mapped
    .replace(/^[-_.]+|[-_.]+$/g, "")
    .slice(0, 63)
    .replace(/^[-_.]+|[-_.]+$/g, "");
}

/**
 * dns.MakeRFC1123Compatible: lowercase, *remove* everything but [-a-z0-9], strip leading
 * non-alphanumerics, cut to 63. Trailing "-" stays (the runner does not trim it).
 */
export function makeRfc1123Compatible(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^-a-z0-9]/g, "")
    .replace(/^[^a-z0-9]+/, "")
    .slice(0, 63);
}

/** Build.ProjectUniqueName: runner-<short token>-project-<id>-concurrent-<slot of this project on this runner>. */
export function projectUniqueName(shortToken: string, projectId: number, projectRunnerId: number): string {
  return makeRfc1123Compatible(`runner-${shortToken}-project-${projectId}-concurrent-${projectRunnerId}`);
}

const NAME_SUFFIX_LENGTH = 8;
const NAME_MAX_LENGTH = 63;

/** generateNameForK8sResources: the unique name, cut to leave room, plus "-" and 8 random characters. */
export function jobPodName(uniqueName: string, suffix: string): string {
  const room = NAME_MAX_LENGTH - NAME_SUFFIX_LENGTH - 1;
  return `${uniqueName.slice(0, room)}-${suffix.slice(0, NAME_SUFFIX_LENGTH)}`;
}

/** The lowest concurrent-N slot not used by the runner's running jobs of the same project. */
export function freeProjectSlot(usedSlots: Iterable<number>): number {
  const used = new Set(usedSlots);
  let slot = 0;
  while (used.has(slot)) slot++;
  return slot;
}

const SPECIAL = /[*#$@!?\-0-9]/;
const ALNUM = /[A-Za-z0-9_]/;

/** Go's getShellName: the variable name after "$" and how many characters it takes. */
function shellName(s: string): [string, number] {
  if (s[0] === "{") {
    if (s.length > 2 && SPECIAL.test(s[1]) && s[2] === "}") return [s[1], 3];
    for (let i = 1; i < s.length; i++) {
      if (s[i] === "}") return i === 1 ? ["", 2] : [s.slice(1, i), i + 1];
    }
    return ["", 1];
  }
  if (SPECIAL.test(s[0])) return [s[0], 1];
  let i = 0;
  while (i < s.length && ALNUM.test(s[i])) i++;
  return [s.slice(0, i), i];
}

/**
 * os.Expand, which Variables.ExpandValue is: $VAR and ${VAR} from `variables`, unknown → "";
 * bad syntax ("${", "${}") is eaten and a "$" not followed by a name is kept.
 */
export function expandVariables(value: string, variables: Record<string, string>): string {
  let out = "";
  let i = 0;
  for (let j = 0; j < value.length; j++) {
    if (value[j] !== "$" || j + 1 >= value.length) continue;
    out += value.slice(i, j);
    const [name, width] = shellName(value.slice(j + 1));
    if (name === "" && width === 0) out += "$";
    else if (name !== "") out += variables[name] ?? "";
    j += width;
    i = j + 1;
  }
  return out + value.slice(i);
}
