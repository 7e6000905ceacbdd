import { useEffect, useRef } from "preact/hooks";

/** The shortcuts the page offers, as listed in its help dialog. */
export const SHORTCUTS: Array<{ key: string; does: string }> = [
  { key: "n", does: "New task (full editor)" },
  { key: "q", does: "Quick add: type a title, press Enter" },
  { key: "/", does: "Search" },
  { key: "?", does: "Show or hide this list" },
  { key: "Esc", does: "Close the editor or this list" },
];

/** Typing in a field (or a key with a modifier) is never a shortcut. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== "string") return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

/**
 * Single-key shortcuts on the window, off while `enabled` is false (a dialog has the keyboard). One
 * listener for the page's life reads the latest render's keys and flag, so a key pressed right after a
 * dialog closes works (effects run after paint, a listener re-added there would miss it).
 */
export function useShortcuts(keys: Record<string, () => void>, enabled: boolean): void {
  const current = useRef({ keys, enabled });
  current.current = { keys, enabled };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!current.current.enabled) return;
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      const run = current.current.keys[e.key];
      if (!run) return;
      e.preventDefault(); // "/" would otherwise be typed into the search box it focuses
      run();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
