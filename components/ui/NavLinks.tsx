"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { NavItem } from "@/lib/auth/nav";

/** badges: counts shown beside a link (e.g. approvals waiting), announced with their meaning. */
export function NavLinks({ items, badges = {} }: { items: NavItem[]; badges?: Record<string, { count: number; label: string }> }) {
  const path = usePathname();
  return (
    <nav aria-label="Main">
      <ul className="nav">
        {items.map((i) => {
          const active = path === i.href || path.startsWith(`${i.href}/`);
          return (
            <li key={i.href}>
              <Link href={i.href} aria-current={active ? "page" : undefined} className={active ? "active" : undefined}>
                {i.label}
              </Link>
              {badges[i.href]?.count ? (
                <span className="badge nav-count" title={badges[i.href].label}>
                  {badges[i.href].count}
                  <span className="sr-only"> {badges[i.href].label}</span>
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
