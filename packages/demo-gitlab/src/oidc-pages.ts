/** The provider's own pages: sign-in, consent and errors, plain HTML in GitLab's spirit. */

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Demo GitLab</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#fbfafd;color:#28272d;margin:0}
header{background:#fff;border-bottom:1px solid #dcdcde;padding:12px 24px;font-weight:600}
main{max-width:400px;margin:48px auto;background:#fff;border:1px solid #dcdcde;border-radius:8px;padding:24px}
h1{font-size:20px;margin:0 0 16px}label{display:block;font-weight:600;margin:12px 0 4px}
input{box-sizing:border-box;width:100%;padding:8px;border:1px solid #89888d;border-radius:4px;font-size:14px}
button{margin-top:16px;padding:8px 16px;border-radius:4px;border:1px solid #1f75cb;background:#1f75cb;color:#fff;font-size:14px;cursor:pointer}
button.secondary{background:#fff;color:#28272d;border-color:#bfbfc3;margin-left:8px}
.error{background:#fcf1ef;border:1px solid #fdd4cd;color:#a32c12;padding:8px;border-radius:4px}
ul{padding-left:20px}small{color:#626168}
</style></head>
<body><header>Demo GitLab</header><main>${body}</main></body></html>`;
}

export function loginPage(uid: string, clientName: string, error: string | null, username = ""): string {
  return page(
    "Sign in",
    `<h1>Sign in</h1>
<p><small>to continue to ${escapeHtml(clientName)}</small></p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/oauth/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label for="username">Username or primary email</label>
<input id="username" name="username" value="${escapeHtml(username)}" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" required>
<button type="submit">Sign in</button>
</form>
<p><small>The demo users and their passwords are in demo-gitlab.json.</small></p>`,
  );
}

const SCOPE_TEXT: Record<string, string> = {
  openid: "Authenticate using your GitLab account",
  profile: "Allows read-only access to the user's personal information",
  email: "Allows read-only access to the user's primary email address",
  read_user: "Read your personal information",
  read_api: "Read Api",
  api: "Access the authenticated user's API",
};

export function consentPage(uid: string, clientName: string, username: string, scopes: string[]): string {
  return page(
    "Authorize",
    `<h1>Authorize ${escapeHtml(clientName)} to use your account?</h1>
<p>An application called <strong>${escapeHtml(clientName)}</strong> is requesting access to your GitLab account
(<strong>${escapeHtml(username)}</strong>). This application will be able to:</p>
<ul>${scopes.map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)} (<code>${escapeHtml(s)}</code>)</li>`).join("")}</ul>
<form method="post" action="/oauth/interaction/${escapeHtml(uid)}/confirm" style="display:inline">
<button type="submit">Authorize</button></form>
<form method="post" action="/oauth/interaction/${escapeHtml(uid)}/abort" style="display:inline">
<button type="submit" class="secondary">Deny</button></form>`,
  );
}

export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p class="error">${escapeHtml(message)}</p>`);
}
