import { periodLabel } from "./labels";

/** A plain GET form (works without JavaScript, keyboard first): month or quarter, kept with the team when one is shown. */
export function PeriodForm({ action, period, months, quarters, teamId }: { action: string; period: string; months: string[]; quarters: string[]; teamId?: string }) {
  const known = months.includes(period) || quarters.includes(period);
  return (
    <form className="filters" method="get" action={action} aria-label="Statement period">
      {teamId && <input type="hidden" name="team" value={teamId} />}
      <div className="field-stack">
        <label htmlFor="chargeback-period">Period</label>
        <select id="chargeback-period" name="period" defaultValue={period}>
          {!known && <option value={period}>{periodLabel(period)}</option>}
          <optgroup label="Months">
            {months.map((m) => <option key={m} value={m}>{periodLabel(m)}</option>)}
          </optgroup>
          <optgroup label="Quarters">
            {quarters.map((q) => <option key={q} value={q}>{periodLabel(q)}</option>)}
          </optgroup>
        </select>
      </div>
      <button className="btn" type="submit">Show</button>
    </form>
  );
}
