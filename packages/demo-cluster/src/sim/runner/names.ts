/** GitLab Runner's sanitizeLabel: label-safe characters only, trimmed, at most 63 characters. */
export function sanitizeLabel(value: string): string {
  const mapped = value.replace(/[^A-Za-z0-9\-_.]/g, "_").replace(/^[-_.]+|[-_.]+$/g, "");
  return mapped.slice(0, 63).replace(/^[-_.]+|[-_.]+$/g, "");
}

/** dns.MakeRFC1123Compatible: lowercase, invalid characters to "-", trimmed. */
function makeRfc1123Compatible(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9-.]/g, "-")
    .slice(0, 63)
    .replace(/^[-.]+|[-.]+$/g, "");
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

/** os.Expand as the runner applies it to pod_annotations/pod_labels: $VAR and ${VAR}, unknown -> "". */
export function expandVariables(value: string, variables: Record<string, string>): string {
  return value.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_m, braced, bare) => variables[braced ?? bare] ?? "",
  );
}
