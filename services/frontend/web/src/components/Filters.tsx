import type { TaskQuery } from "../api/types";
import { isoToLocalInput, localInputToIso } from "../time";

/** Filters, search and sort: every change becomes a new query (the server does the filtering). */
export function Filters({ query, onChange }: { query: TaskQuery; onChange: (q: TaskQuery) => void }) {
  const set = (patch: Partial<TaskQuery>) => onChange({ ...query, ...patch, cursor: undefined });
  return (
    <form class="filters" role="search" aria-label="Filter tasks" onSubmit={(e) => e.preventDefault()}>
      <label class="grow">
        Search
        <input type="search" name="q" placeholder="Title or description" value={query.q ?? ""} onInput={(e) => set({ q: e.currentTarget.value })} />
      </label>
      <label>
        Status
        <select name="status" value={query.status ?? ""} onChange={(e) => set({ status: e.currentTarget.value as TaskQuery["status"] })}>
          <option value="">All</option>
          <option value="pending">Pending</option>
          <option value="completed">Completed</option>
        </select>
      </label>
      <label>
        Priority
        <select name="priority" value={query.priority ?? ""} onChange={(e) => set({ priority: e.currentTarget.value as TaskQuery["priority"] })}>
          <option value="">All</option>
          <option value="high">High</option>
          <option value="medium">Medium</option>
          <option value="low">Low</option>
        </select>
      </label>
      <label>
        Tag
        <input name="tag" value={query.tag ?? ""} onInput={(e) => set({ tag: e.currentTarget.value.trim() })} />
      </label>
      <label>
        Due after
        <input type="datetime-local" name="dueAfter" value={isoToLocalInput(query.dueAfter ?? null)} onInput={(e) => set({ dueAfter: localInputToIso(e.currentTarget.value) ?? undefined })} />
      </label>
      <label>
        Due before
        <input type="datetime-local" name="dueBefore" value={isoToLocalInput(query.dueBefore ?? null)} onInput={(e) => set({ dueBefore: localInputToIso(e.currentTarget.value) ?? undefined })} />
      </label>
      <label>
        Sort by
        <select name="sort" value={query.sort ?? "createdAt"} onChange={(e) => set({ sort: e.currentTarget.value as TaskQuery["sort"] })}>
          <option value="createdAt">Created</option>
          <option value="dueAt">Due date</option>
          <option value="priority">Priority</option>
          <option value="title">Title</option>
        </select>
      </label>
      <label>
        Order
        <select name="order" value={query.order ?? "desc"} onChange={(e) => set({ order: e.currentTarget.value as TaskQuery["order"] })}>
          <option value="desc">Descending</option>
          <option value="asc">Ascending</option>
        </select>
      </label>
    </form>
  );
}
