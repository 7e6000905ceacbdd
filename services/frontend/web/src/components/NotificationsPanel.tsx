import type { Notification } from "../api/types";
import { formatWhen } from "../time";

interface Props {
  items: Notification[];
  onRead: (n: Notification) => void;
  onReadAll: () => void;
  onClose: () => void;
}

export function NotificationsPanel({ items, onRead, onReadAll, onClose }: Props) {
  return (
    <aside class="panel" aria-labelledby="notifications-title">
      <div class="panel-head">
        <h2 id="notifications-title">Notifications</h2>
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
      {items.length === 0 && <p>No notifications yet.</p>}
      {items.some((n) => !n.readAt) && (
        <p>
          <button type="button" onClick={onReadAll}>
            Mark all read
          </button>
        </p>
      )}
      <ul class="notifications" data-testid="notifications">
        {items.map((n) => (
          <li key={n.id} class={n.readAt ? "read" : "unread"}>
            <div>
              <strong>{n.title}</strong>
              <p>{n.message}</p>
              <time dateTime={n.createdAt}>{formatWhen(n.createdAt)}</time>
            </div>
            {!n.readAt && (
              <button type="button" onClick={() => onRead(n)}>
                Mark read
              </button>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
