import { useState } from "preact/hooks";
import { ApiError, type ApiClient } from "../api/client";
import type { Session } from "../api/types";

/** Sign in or sign up; the server's error message (weak password, duplicate email) is shown as is. */
export function AuthForm({ api, onSession }: { api: ApiClient; onSession: (s: Session) => void }) {
  const [mode, setMode] = useState<"signin" | "signup">("signin");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSession(mode === "signup" ? await api.signup(email, password) : await api.login(email, password));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Something went wrong.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="auth">
      <h1>Todo Platform</h1>
      <form onSubmit={submit} aria-describedby={error ? "auth-error" : undefined}>
        <h2>{mode === "signin" ? "Sign in" : "Create an account"}</h2>
        <label>
          Email
          <input type="email" name="email" autoComplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete={mode === "signup" ? "new-password" : "current-password"}
            required
            minLength={mode === "signup" ? 10 : undefined}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {mode === "signup" && <p class="hint">At least 10 characters, mixing letters with digits or symbols.</p>}
        {error && (
          <p class="form-error" id="auth-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {mode === "signin" ? "Sign in" : "Sign up"}
        </button>
        <p>
          {mode === "signin" ? "New here? " : "Have an account? "}
          <button type="button" class="link" onClick={() => { setMode(mode === "signin" ? "signup" : "signin"); setError(null); }}>
            {mode === "signin" ? "Create an account" : "Sign in instead"}
          </button>
        </p>
      </form>
    </main>
  );
}
