"use client";
import { usePathname } from "next/navigation";
import { useEffect, useId, useState } from "react";

/** On narrow screens (≤ 48rem) the sidebar's body folds behind a Menu button (WCAG 1.4.10); wide screens always show it. */
export function SidebarMenu({ children }: { children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const path = usePathname();
  const id = useId();
  useEffect(() => setOpen(false), [path]);
  return (
    <>
      <button type="button" className="btn menu-toggle" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        Menu
      </button>
      <div id={id} className={`sidebar-body${open ? " open" : ""}`}>
        {children}
      </div>
    </>
  );
}
