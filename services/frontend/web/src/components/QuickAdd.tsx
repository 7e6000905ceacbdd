import type { RefObject } from "preact";
import { useState } from "preact/hooks";

/** A title and Enter: a task with the defaults; the full editor is one button away for the rest. */
export function QuickAdd({ inputRef, onAdd, onError }: { inputRef: RefObject<HTMLInputElement>; onAdd: (title: string) => Promise<void>; onError: (err: unknown) => void }) {
  const [title, setTitle] = useState("");
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    const t = title.trim();
    if (!t || busy) return;
    setBusy(true);
    try {
      await onAdd(t);
      setTitle("");
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
      inputRef.current?.focus();
    }
  }
  return (
    <form class="quick-add" onSubmit={submit}>
      <label class="grow">
        Quick add
        <input
          ref={inputRef}
          name="quickAdd"
          placeholder="Add a task and press Enter"
          maxLength={200}
          autoComplete="off"
          aria-keyshortcuts="q"
          value={title}
          onInput={(e) => setTitle(e.currentTarget.value)}
          onKeyDown={(e) => e.key === "Escape" && e.currentTarget.blur()}
        />
      </label>
    </form>
  );
}
