/** Line / column / reason table for rejected rows of an import (usage or quotes). */
export function RowErrorTable({ errors, limit = 200 }: { errors: { line: number; column: string; reason: string }[]; limit?: number }) {
  return (
    <table className="data">
      <thead><tr><th className="num">Line</th><th>Column</th><th>Reason</th></tr></thead>
      <tbody>{errors.slice(0, limit).map((e, i) => <tr key={i}><td className="num">{e.line}</td><td>{e.column}</td><td>{e.reason}</td></tr>)}</tbody>
    </table>
  );
}
