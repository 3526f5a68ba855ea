import { pageCtx } from "@/lib/auth/page";
import { getSettings } from "@/lib/services/org";

export const metadata = { title: "Importing your usage" };

type Col = [column: string, becomes: string];

function Columns({ caption, rows }: { caption: string; rows: Col[] }) {
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="sr-only">{caption}</caption>
        <thead><tr><th scope="col">Column</th><th scope="col">What it becomes</th></tr></thead>
        <tbody>{rows.map(([c, b]) => <tr key={c}><td><code>{c}</code></td><td>{b}</td></tr>)}</tbody>
      </table>
    </div>
  );
}

/**
 * What each usage source needs and how its columns are read — written from lib/domain/usage-formats.ts (the
 * mappers), lib/ingest/token-kind.ts (FOCUS token kinds) and lib/connectors/usage-api.ts (connectors).
 */
export default async function ImportGuidePage() {
  const ctx = await pageCtx(["ADMIN", "PROCUREMENT"]);
  const s = await getSettings(ctx);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Importing your usage</h1>
          <p className="muted">
            Per source: how to get the data, which mappings it needs and what each column becomes. Upload files on <a href="/imports">Usage imports</a> or with{" "}
            <code>POST /api/v1/usage/imports</code>; connectors pull the same data by themselves.
          </p>
        </div>
      </div>

      <nav aria-label="Sources on this page">
        <ul>
          <li><a href="#rules">Rules for every file</a></li>
          <li><a href="#tokenhedge">Tokenhedge CSV</a></li>
          <li><a href="#openai">OpenAI usage export</a></li>
          <li><a href="#anthropic">Anthropic usage export</a></li>
          <li><a href="#focus">FOCUS cost and usage export</a></li>
          <li><a href="#connectors">Connectors (OpenAI and Anthropic APIs)</a></li>
        </ul>
      </nav>

      <section aria-labelledby="rules">
        <h2 id="rules">Rules for every file</h2>
        <ul>
          <li>The format is recognised from the header (CSV) or the keys of the results (JSON). UTF-8, with or without a byte-order mark, LF or CRLF line ends; up to 512 MB.</li>
          <li>A line with more or fewer fields than the header is an error for that line. Bad rows are reported by line, column and reason.</li>
          <li>
            A file is imported whole or not at all. When more than {s.importErrorThresholdPct}% of its rows are invalid (the organization&apos;s threshold) it is rejected; under it you choose to
            import the valid rows or reject the file. &quot;Check file&quot; applies the same rule without writing anything.
          </li>
          <li>Re-uploading the same file changes nothing. A newer file replaces earlier rows for the same team × model × period (hour or day).</li>
          <li>
            Dates: <code>YYYY-MM-DD</code> is a day; an ISO timestamp (UTC unless it has an offset) or Unix seconds at midnight is a day, any other time an hour (truncated to the hour).
            Dates before 2015 or more than a day ahead are errors.
          </li>
          <li>Token counts are whole numbers up to 10<sup>15</sup>. Cached input tokens are part of the input tokens, priced at the model&apos;s cached rate when the catalog lists one.</li>
          <li>
            Models resolve by catalog name, then an alias (<code>provider/name</code> or <code>name</code>), then a catalog version; a dated snapshot (<code>gpt-4.1-2025-04-14</code>,{" "}
            <code>claude-sonnet-4-20250514</code>) resolves through its undated name, and a snapshot not yet known is recorded as a new model version. Unknown models are listed after a
            check, with a suggestion, so you can map them.
          </li>
          <li>
            Teams: a team name matches case-insensitively. Provider ids (projects, workspaces, API keys, FOCUS tags) need a team mapping (an admin adds them under Admin → Mappings); a provider id equal
            to a team&apos;s name also matches. Unknown teams are listed after a check with the closest team name.
          </li>
        </ul>
      </section>

      <section aria-labelledby="tokenhedge">
        <h2 id="tokenhedge">Tokenhedge CSV</h2>
        <p>Write it from your own metering. Recognised by the columns <code>date, team, model, input_tokens, output_tokens</code>. Mappings: none — teams are named.</p>
        <Columns
          caption="Tokenhedge CSV columns"
          rows={[
            ["date", "the usage day or hour (required)"],
            ["team", "the team, by its name (required)"],
            ["provider", "the catalog provider, e.g. OpenAI (required)"],
            ["model", "the model name, resolved as above (required)"],
            ["input_tokens", "input tokens, including cached ones (required)"],
            ["output_tokens", "output tokens (required)"],
            ["cached_input_tokens", "cached input tokens (optional, blank is 0)"],
            ["requests", "number of requests (optional)"],
            ["cost_usd", "the cost you were billed, kept as the reported cost beside the list-price spend (optional decimal)"],
          ]}
        />
      </section>

      <section aria-labelledby="openai">
        <h2 id="openai">OpenAI usage export</h2>
        <p>
          The answer of OpenAI&apos;s Completions usage API (<code>GET /v1/organization/usage/completions</code>, read with an admin key) saved as JSON as it comes —{" "}
          <code>{"{ data: [{ start_time, end_time, results: [...] }] }"}</code> — or a CSV with the same field names. Group it by <code>project_id</code> and/or{" "}
          <code>api_key_id</code> (and <code>model</code>) so each row has a team. Provider: OpenAI. No cost is read.
        </p>
        <p>Mappings: <strong>OpenAI project</strong> (<code>project_id</code>) and/or <strong>OpenAI API key</strong> (<code>api_key_id</code>). A row with both tries the key&apos;s mapping first, then its project&apos;s.</p>
        <Columns
          caption="OpenAI export columns"
          rows={[
            ["start_time", "the bucket start (Unix seconds or ISO) (required)"],
            ["end_time", "the bucket end: a bucket of an hour or less is hourly usage, longer is daily"],
            ["project_id", "team, through an OpenAI project mapping"],
            ["api_key_id", "team, through an OpenAI API key mapping (tried before the project)"],
            ["model", "the model (required)"],
            ["input_tokens", "input tokens, including cached ones (required)"],
            ["output_tokens", "output tokens (required)"],
            ["input_cached_tokens", "cached input tokens (optional)"],
            ["num_model_requests", "requests (optional)"],
          ]}
        />
      </section>

      <section aria-labelledby="anthropic">
        <h2 id="anthropic">Anthropic usage export</h2>
        <p>
          The answer of Anthropic&apos;s usage report (<code>GET /v1/organizations/usage_report/messages</code>, Admin API) saved as JSON as it comes, or a CSV with the same field
          names (nested fields flattened with a dot, e.g. <code>cache_creation.ephemeral_5m_input_tokens</code>). Group it by <code>workspace_id</code> and/or{" "}
          <code>api_key_id</code> (and <code>model</code>). Provider: Anthropic. No cost is read.
        </p>
        <p>Mappings: <strong>Anthropic workspace</strong> (<code>workspace_id</code>) and/or <strong>Anthropic API key</strong> (<code>api_key_id</code>); the key is tried first.</p>
        <Columns
          caption="Anthropic export columns"
          rows={[
            ["starting_at", "the bucket start (required)"],
            ["ending_at", "the bucket end: an hour or less is hourly usage, longer is daily"],
            ["workspace_id", "team, through an Anthropic workspace mapping"],
            ["api_key_id", "team, through an Anthropic API key mapping (tried before the workspace)"],
            ["model", "the model (required)"],
            ["uncached_input_tokens", "input tokens"],
            ["cache_creation_input_tokens, or cache_creation.ephemeral_5m_input_tokens + cache_creation.ephemeral_1h_input_tokens", "input tokens (cache writes are input not served from the cache)"],
            ["cache_read_input_tokens", "input tokens and cached input tokens"],
            ["output_tokens", "output tokens (required)"],
          ]}
        />
        <p>Input tokens stored = uncached + cache creation + cache reads; cached input tokens = cache reads.</p>
      </section>

      <section aria-labelledby="focus">
        <h2 id="focus">FOCUS cost and usage export</h2>
        <p>
          A FOCUS CSV from your cloud or FinOps tool, with the rows of AI token charges. Recognised by <code>ChargePeriodStart</code> and <code>ConsumedQuantity</code>. Each row is
          one kind of tokens; rows of the same team × model × period are added up.
        </p>
        <p>
          Mappings: <strong>FOCUS tag / sub-account</strong> for the team value (or name the team exactly). This organization reads the team from <code>Tags.{s.focus.teamTag}</code>,
          else the column <code>{s.focus.teamColumn}</code>, and costs from <code>{s.focus.costColumn}</code> (an admin changes them under Admin → Organization).
        </p>
        <Columns
          caption="FOCUS columns"
          rows={[
            ["ChargePeriodStart", "the usage period start (required); with ChargePeriodEnd an hour or less is hourly usage"],
            ["ConsumedQuantity", "the token count of the row (required)"],
            ["ConsumedUnit", "must name tokens (e.g. \"Tokens\", \"Input Tokens\")"],
            ["ServiceProviderName, else ProviderName", "the provider (required)"],
            ["Tags.model, else ResourceName, else SkuId", "the model (required)"],
            [`Tags.${s.focus.teamTag}, else ${s.focus.teamColumn}`, "team, through a FOCUS tag mapping or by name (required)"],
            [`Tags.${s.focus.tokenTypeTag}, SkuPriceId, SkuId, ConsumedUnit, ChargeDescription`, "the token kind, from the first of these that names one, in this order: input/prompt, output, cached/cache read (cached input); cache write/creation is input. A row none names is an error, never guessed"],
            [s.focus.costColumn, "the reported cost (organization setting focus.costColumn: EffectiveCost, BilledCost, ListCost or ContractedCost)"],
          ]}
        />
      </section>

      <section aria-labelledby="connectors">
        <h2 id="connectors">Connectors (OpenAI and Anthropic APIs)</h2>
        <p>
          An admin adds a connector on <a href="/imports">Usage imports</a> with the provider&apos;s <strong>admin key</strong> (OpenAI <code>sk-admin-…</code>, Anthropic{" "}
          <code>sk-ant-admin…</code>) and the day to backfill from. The key is stored encrypted and never shown again (only its last four characters). Every night at 00:30 UTC,
          and on &quot;Sync now&quot;, the connector reads daily buckets from the start date (later: from the day before the last synced day, so late usage is picked up) through
          today and imports them exactly like an export of the same API:
        </p>
        <ul>
          <li>
            <strong>OpenAI</strong>: Completions usage grouped by <code>project_id</code>, <code>model</code> and <code>api_key_id</code> — rows and mappings as in{" "}
            <a href="#openai">the OpenAI export</a>. Only completions usage is read (not embeddings, images or audio), and no cost.
          </li>
          <li>
            <strong>Anthropic</strong>: the messages usage report grouped by <code>workspace_id</code>, <code>model</code> and <code>api_key_id</code> — as in{" "}
            <a href="#anthropic">the Anthropic export</a>. Usage of the default workspace has no workspace id; it arrives as the workspace <code>default</code>, which you map like any
            workspace.
          </li>
          <li>A day whose rows are the same as when last imported is skipped: syncing again changes nothing. A day that changed is imported whole and replaces that day&apos;s earlier rows.</li>
          <li>
            Rows of an unmapped project, workspace or key, or an unknown model, are skipped and named in the sync history (over the error threshold the sync fails and imports
            nothing). Add the mapping; the next sync fetches those days again (for up to 31 days).
          </li>
          <li>A refused key (401/403) or a rate limit that outlasts five attempts is shown as the connector&apos;s error; replace the key or sync again later.</li>
          <li>Each sync that imports something appears in the import history as a file named after the connector.</li>
        </ul>
      </section>
    </>
  );
}
