/**
 * What a signed-out browser gets instead of a page with figures: a sign-in form. The form posts JSON to
 * /api/v1/auth/signin (the session cookie comes back http-only) and reloads the page; it holds no data.
 */
export const SIGN_IN_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sign in · Northstar</title><style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2433;background:#f6f7fb}header{background:#1d2433;color:#fff;padding:12px 24px}
form{background:#fff;max-width:320px;margin:48px auto;padding:24px;border-radius:8px;box-shadow:0 1px 2px #0002;display:grid;gap:10px}
input,button{font:inherit;padding:6px 8px}button{background:#3b6fd8;color:#fff;border:0;border-radius:4px}#err{color:#b00020;min-height:1.5em}</style></head>
<body><header><b>Northstar</b></header><form id="f"><h2>Sign in</h2>
<label>E-mail <input name="email" type="email" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button>Sign in</button><div id="err" role="alert"></div></form>
<script>
document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  const r = await fetch('/api/v1/auth/signin', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: f.get('email'), password: f.get('password') }) });
  if (r.ok) return location.reload();
  document.getElementById('err').textContent = (await r.json().catch(() => ({}))).error || 'sign-in failed';
});
</script></body></html>`;
