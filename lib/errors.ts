/** Domain-level errors that the route wrapper maps to HTTP statuses. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
}
export const notFound = (what = "Resource") => new AppError(404, "not_found", `${what} not found`);
export const forbidden = (msg = "You do not have access to this action") => new AppError(403, "forbidden", msg);
export const unauthorized = () => new AppError(401, "unauthorized", "Sign in or provide an API token");
export const conflict = (msg: string) => new AppError(409, "conflict", msg);
export const badRequest = (msg: string, issues?: { path: string; message: string }[]) =>
  new AppError(422, "invalid", msg, issues);
