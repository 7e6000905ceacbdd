import type { ComponentChildren } from "preact";

export interface Toast {
  id: number;
  kind: "info" | "reminder" | "error";
  text: string;
  action?: { label: string; run: () => void };
}

/** Toasts live in a polite live region, so screen readers announce them without stealing focus. */
export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  return (
    <div class="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} class={`toast toast-${t.kind}`} data-testid={`toast-${t.kind}`}>
          <span>{t.text}</span>
          {t.action && (
            <button type="button" class="link" onClick={() => { t.action!.run(); onDismiss(t.id); }}>
              {t.action.label}
            </button>
          )}
          <button type="button" class="icon" aria-label="Dismiss" onClick={() => onDismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export function FieldError({ children, id }: { children?: ComponentChildren; id: string }) {
  return children ? (
    <p class="field-error" id={id} role="alert">
      {children}
    </p>
  ) : null;
}
