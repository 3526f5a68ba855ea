"use client";
import { useRouter } from "next/navigation";

export function ClassPicker({ classes, value }: { classes: { key: string; name: string }[]; value: string }) {
  const router = useRouter();
  return (
    <label>
      Model class
      <select aria-label="Model class" value={value} onChange={(e) => router.push(`/market?class=${encodeURIComponent(e.target.value)}`)}>
        {classes.map((c) => <option key={c.key} value={c.key}>{c.name}</option>)}
      </select>
    </label>
  );
}
