const HEX = /^[0-9a-fA-F]+$/;

/**
 * GitLab Runner's helpers.ShortenToken: the token fragment it puts in pod names and the
 * manager.runner.gitlab.com/id-short label. Authentication tokens (glrt-, with an optional
 * t1_/t2_/t3_ partition prefix), glrtr- and glcbt- tokens give the 9 characters after the prefix;
 * legacy GR1348941-style tokens keep their dated prefix (17 characters); anything else, 8.
 */
export function shortenToken(token: string): string {
  if (token.length < 8) return token;
  for (const prefix of ["glrt-", "glrtr-", "glcbt-"]) {
    if (token.startsWith(prefix)) {
      const rest = token.slice(prefix.length).replace(/^t\d_/, "");
      return rest.slice(0, 9);
    }
  }
  if (token.startsWith("GR") && token.length >= 17 && HEX.test(token.slice(2, 9))) return token.slice(0, 17);
  return token.slice(0, 8);
}
