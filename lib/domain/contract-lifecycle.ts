/**
 * Contract lifecycle: the only legal status changes, as a table. Pure.
 *
 *   DRAFT → PENDING_APPROVAL → BOOKED → DELIVERING → SETTLED
 *   PENDING_APPROVAL → REJECTED;  DRAFT | PENDING_APPROVAL | BOOKED → CANCELLED
 */
export type ContractStatus = "DRAFT" | "PENDING_APPROVAL" | "BOOKED" | "DELIVERING" | "SETTLED" | "REJECTED" | "CANCELLED";
export type ContractAction = "submit" | "book" | "approve" | "reject" | "startDelivery" | "settle" | "cancel";

export const TRANSITIONS: Record<ContractAction, Partial<Record<ContractStatus, ContractStatus>>> = {
  submit: { DRAFT: "PENDING_APPROVAL" },
  book: { DRAFT: "BOOKED" },
  approve: { PENDING_APPROVAL: "BOOKED" },
  reject: { PENDING_APPROVAL: "REJECTED" },
  startDelivery: { BOOKED: "DELIVERING" },
  settle: { DELIVERING: "SETTLED" },
  cancel: { DRAFT: "CANCELLED", PENDING_APPROVAL: "CANCELLED", BOOKED: "CANCELLED" },
};

const WHY: Partial<Record<ContractStatus, string>> = {
  SETTLED: "it is settled",
  REJECTED: "it was rejected",
  CANCELLED: "it was cancelled",
  DELIVERING: "its delivery window has started",
};

export class IllegalTransition extends Error {
  constructor(readonly from: ContractStatus, readonly action: ContractAction) {
    super(`Cannot ${action === "startDelivery" ? "start delivery of" : action} a contract that is ${from.toLowerCase().replace("_", " ")}${WHY[from] ? ` (${WHY[from]})` : ""}`);
  }
}

/** The status after `action`, or an IllegalTransition naming why not. */
export function transition(from: ContractStatus, action: ContractAction): ContractStatus {
  const to = TRANSITIONS[action][from];
  if (!to) throw new IllegalTransition(from, action);
  return to;
}

/** Statuses whose notional still counts against a counterparty and as hedge cover. */
export const OPEN_STATUSES: readonly ContractStatus[] = ["PENDING_APPROVAL", "BOOKED", "DELIVERING"];
