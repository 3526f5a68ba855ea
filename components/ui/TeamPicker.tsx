"use client";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { apiFetch } from "@/components/ui/useApi";

export type TeamOption = { id: string; name: string };

/** How many matching teams the list offers at a time (the API's own cap is 200). */
const SHOWN = 20;

/**
 * A team found by typing its name. The org's teams are asked from the API as the user types (GET /api/v1/teams?q=),
 * never embedded in the page: an org with thousands of teams keeps its pages small and as fast as one with ten
 * (README "Read path"). A native input with a datalist (an input with a list is a combobox to assistive technology); the team is picked
 * when the text is one of the offered names, and clearing the field (or choosing "All teams") means all teams.
 * With `name` it also carries the picked id in a hidden input, for forms read with FormData.
 */
export function TeamPicker({ label = "Team", ariaLabel, selected, onPick, name, allLabel = "All teams" }: {
  label?: string;
  ariaLabel?: string;
  selected: TeamOption | null;
  onPick?: (team: TeamOption | null) => void;
  name?: string;
  allLabel?: string;
}) {
  const listId = useId();
  const hintId = `${listId}-hint`;
  const [text, setText] = useState(selected?.name ?? "");
  const [picked, setPicked] = useState<TeamOption | null>(selected);
  const [query, setQuery] = useState(text);
  // ask once typing pauses, not on every key
  useEffect(() => {
    const t = setTimeout(() => setQuery(text === allLabel ? "" : text.trim()), 200);
    return () => clearTimeout(t);
  }, [text, allLabel]);
  const found = useQuery({
    queryKey: ["team-picker", query],
    queryFn: () => apiFetch<TeamOption[]>(`/api/v1/teams?limit=${SHOWN}&includeArchived=true${query ? `&q=${encodeURIComponent(query)}` : ""}`),
    staleTime: 60_000,
  });
  const options = found.data ?? [];
  const pick = (team: TeamOption | null) => {
    if ((team?.id ?? null) === (picked?.id ?? null)) return;
    setPicked(team);
    onPick?.(team);
  };
  const exact = options.find((t) => t.name === text);
  // the answer for what was typed can arrive after the text: pick then
  useEffect(() => {
    if (exact) pick(exact);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [exact?.id]);
  const change = (v: string) => {
    setText(v);
    // a name from the list is picked by the effect above, once the text and the answer for it agree
    if (v.trim() === "" || v === allLabel) pick(null);
  };
  const unresolved = text.trim() !== "" && text !== allLabel && !exact && text !== picked?.name;
  return (
    <label>
      {label}
      <input
        aria-label={ariaLabel ?? label}
        list={listId}
        value={text}
        placeholder={allLabel}
        autoComplete="off"
        onChange={(e) => change(e.target.value)}
        aria-invalid={unresolved && !found.isFetching && query === text.trim() ? true : undefined}
        aria-describedby={hintId}
      />
      <datalist id={listId}>
        <option value={allLabel} />
        {options.map((t) => (
          <option key={t.id} value={t.name} />
        ))}
      </datalist>
      {name && <input type="hidden" name={name} value={picked?.id ?? ""} />}
      <span id={hintId} className="pick-hint" role="status">
        {unresolved && !found.isFetching && query === text.trim() ? (options.length ? "Choose a team from the list." : "No team has that name.") : ""}
      </span>
    </label>
  );
}
