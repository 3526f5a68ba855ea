"use client";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * After a client-side navigation, moves focus to the new page's main heading (WCAG 2.4.3), so keyboard and
 * screen-reader users start at the top of what changed instead of on the link they left. Streamed pages show
 * their heading a moment later: wait for it, but never take focus back once the user has moved it.
 */
export function RouteFocus() {
  const path = usePathname();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const main = document.getElementById("main");
    if (!main) return;
    const before = document.activeElement;
    const focusHeading = () => {
      const active = document.activeElement;
      if (active && active !== before && active !== document.body) return true;
      const h1 = main.querySelector("h1");
      if (!h1) return false;
      h1.setAttribute("tabindex", "-1");
      h1.focus();
      return true;
    };
    if (focusHeading()) return;
    const observer = new MutationObserver(() => focusHeading() && observer.disconnect());
    observer.observe(main, { childList: true, subtree: true });
    const stop = setTimeout(() => observer.disconnect(), 15_000);
    return () => {
      observer.disconnect();
      clearTimeout(stop);
    };
  }, [path]);
  return null;
}
