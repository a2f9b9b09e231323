/** The only thing a signed-out visitor sees: the sign-in form, or the first-run setup form. */
import { useState } from 'preact/hooks';
import { ApiError, api } from '../lib/api.js';
import type { Me } from '../lib/types.js';

export function SignIn({ setup, onIn }: { setup: boolean; onIn: (me: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api<Me>(setup ? '/api/v1/auth/setup' : '/api/v1/auth/signin', {
        method: 'POST',
        body: setup ? { email, password, ...(name ? { name } : {}) } : { email, password },
        authRedirect: false,
      });
      onIn(me);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      setError(
        status === 401
          ? 'Wrong e-mail or password.'
          : status === 429
            ? 'Too many attempts: wait a minute and try again.'
            : err instanceof Error
              ? err.message
              : String(err),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <form onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">{setup ? 'Set up Northstar' : 'Sign in to Northstar'}</h1>
        {setup ? (
          <p class="muted">No user exists yet. The first account is the administrator of every workspace.</p>
        ) : null}
        {setup ? (
          <label>
            Name
            <input
              name="name"
              autocomplete="name"
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </label>
        ) : null}
        <label>
          E-mail
          <input
            name="email"
            type="email"
            required
            autocomplete="username"
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            required
            minLength={setup ? 8 : undefined}
            autocomplete={setup ? 'new-password' : 'current-password'}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error ? (
          <p class="state error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {setup ? 'Create the administrator' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
