/** UTC day arithmetic shared by services, demo generators and pages. */
export const DAY_MS = 86_400_000;

/** Midnight UTC of the day containing d. */
export const utcDay = (d: Date) => new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);

/** d shifted by n whole days. */
export const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY_MS);

/** The UTC month of d as YYYY-MM. */
export const monthKey = (d: Date) => d.toISOString().slice(0, 7);

/** YYYY-MM-DD → midnight UTC. */
export const parseDay = (iso: string) => new Date(`${iso}T00:00:00Z`);
