/**
 * The canonical form of an image reference, so "nginx", "docker.io/library/nginx:latest" and
 * "index.docker.io/library/nginx" compare equal when matching pods against ImageCaches.
 */
export function normalizeImageRef(image: string): string {
  let ref = image.trim();
  const firstSlash = ref.indexOf("/");
  const firstPart = firstSlash === -1 ? "" : ref.slice(0, firstSlash);
  const hasRegistry = firstPart.includes(".") || firstPart.includes(":") || firstPart === "localhost";
  if (!hasRegistry) ref = `docker.io/${ref}`;
  ref = ref.replace(/^index\.docker\.io\//, "docker.io/");
  if (/^docker\.io\/[^/]+$/.test(ref.split(/[:@]/)[0])) ref = ref.replace(/^docker\.io\//, "docker.io/library/");
  const lastSegment = ref.slice(ref.lastIndexOf("/") + 1);
  if (!lastSegment.includes(":") && !lastSegment.includes("@")) ref = `${ref}:latest`;
  return ref;
}

/** A containerd-style image ID: stable for the same reference, looks like a digest. */
export function imageIdFor(image: string, digestHex: string): string {
  const withoutTag = normalizeImageRef(image).replace(/:[^/:@]+$/, "");
  return `${withoutTag}@sha256:${digestHex}`;
}
