import type { RefObject } from "preact";
import { useState } from "preact/hooks";
import type { TaskQuery } from "../api/types";
import { isoToLocalInput, localInputToIso } from "../time";

interface Props {
  query: TaskQuery;
  onChange: (q: TaskQuery) => void;
  searchRef?: RefObject<HTMLInputElement>;
  /** A day view sets status, due window and sort itself; those controls are hidden then. */
  dayView?: boolean;
}

export function tagsOf(text: string): string[] {
  return [...new Set(text.split(",").map((t) => t.trim()).filter(Boolean))].slice(0, 10); // the API takes at most 10 tag filters
}

/** Filters, search and sort: every change becomes a new query (the server does the filtering). */
export function Filters({ query, onChange, searchRef, dayView = false }: Props) {
  const set = (patch: Partial<TaskQuery>) => onChange({ ...query, ...patch, cursor: undefined });
  // The text as typed ("work, " mid-typing); the query gets the parsed tags.
  const [tagText, setTagText] = useState((query.tags ?? []).join(", "));
  return (
    <form class="filters" role="search" aria-label="Filter tasks" onSubmit={(e) => e.preventDefault()}>
      <label class="grow">
        Search
        <input ref={searchRef} type="search" name="q" aria-keyshortcuts="/" placeholder="Title or description" value={query.q ?? ""} onInput={(e) => set({ q: e.currentTarget.value })} />
      </label>
      {!dayView && (
      <label>
        Status
        <select name="status" value={query.status ?? ""} onChange={(e) => set({ status: e.currentTarget.value as TaskQuery["status"] })}>
          <option value="">All</option>
          <option value="pending">Pending</option>
          <option value="completed">Completed</option>
        </select>
      </label>
      )}
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
        Tags <span class="hint">(all of, comma separated)</span>
        <input
          name="tags"
          value={tagText}
          onInput={(e) => {
            setTagText(e.currentTarget.value);
            set({ tags: tagsOf(e.currentTarget.value) });
          }}
        />
      </label>
      {!dayView && (
        <>
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
        </>
      )}
    </form>
  );
}
