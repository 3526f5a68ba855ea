"use client";
import {
  flexRender,
  getCoreRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from "@tanstack/react-table";
import { useState } from "react";
import { PageButtons } from "./PageButtons";

export type Column<T> = ColumnDef<T, unknown> & { meta?: { numeric?: boolean } };

/** Sortable, paginated table; headers are buttons so sorting works from the keyboard. */
export function DataTable<T>({
  data,
  columns,
  pageSize = 25,
  empty = "No rows",
  caption,
}: {
  data: T[];
  columns: Column<T>[];
  pageSize?: number;
  empty?: string;
  caption?: string;
}) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const table = useReactTable({
    data,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    initialState: { pagination: { pageSize } },
  });
  if (!data.length) return <div className="empty">{empty}</div>;
  const pages = table.getPageCount();
  return (
    <div className="table-wrap">
      <table className="data">
        {caption && <caption className="muted" style={{ textAlign: "left", padding: ".5rem" }}>{caption}</caption>}
        <thead>
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>
              {hg.headers.map((h) => {
                const numeric = (h.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                const sorted = h.column.getIsSorted();
                return (
                  <th key={h.id} className={numeric ? "num" : undefined} aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}>
                    {h.column.getCanSort() ? (
                      <button type="button" onClick={h.column.getToggleSortingHandler()}>
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        {sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : ""}
                      </button>
                    ) : (
                      flexRender(h.column.columnDef.header, h.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((r) => (
            <tr key={r.id}>
              {r.getVisibleCells().map((c) => (
                <td key={c.id} className={(c.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric ? "num" : undefined}>
                  {flexRender(c.column.columnDef.cell, c.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 && (
        <PageButtons canPrevious={table.getCanPreviousPage()} canNext={table.getCanNextPage()} onPrevious={() => table.previousPage()} onNext={() => table.nextPage()}>
          Page {table.getState().pagination.pageIndex + 1} of {pages} ({data.length} rows)
        </PageButtons>
      )}
    </div>
  );
}
