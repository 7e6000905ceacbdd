import { render } from "preact";
import { useMemo, useState } from "preact/hooks";
import { ApiClient } from "./api/client";
import type { Session } from "./api/types";
import { AuthForm } from "./components/AuthForm";
import { TodoApp } from "./components/TodoApp";
import { loadSession, saveSession } from "./session";
import "./styles.css";

function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const signOut = () => {
    saveSession(null);
    setSession(null);
  };
  const api = useMemo(() => new ApiClient(() => loadSession()?.token ?? null, signOut), []);
  if (!session)
    return (
      <AuthForm
        api={api}
        onSession={(s) => {
          saveSession(s);
          setSession(s);
        }}
      />
    );
  return <TodoApp api={api} session={session} onSignOut={signOut} />;
}

render(<App />, document.getElementById("app")!);
