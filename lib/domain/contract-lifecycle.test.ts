import { describe, expect, it } from "vitest";
import { IllegalTransition, transition, TRANSITIONS, type ContractAction, type ContractStatus } from "./contract-lifecycle";

const ALL: ContractStatus[] = ["DRAFT", "PENDING_APPROVAL", "BOOKED", "DELIVERING", "SETTLED", "REJECTED", "CANCELLED"];

describe("contract lifecycle", () => {
  it("follows the table exactly: every (status, action) pair is either the listed transition or refused", () => {
    const expected: Record<string, ContractStatus> = {
      "DRAFT/submit": "PENDING_APPROVAL", "DRAFT/book": "BOOKED", "PENDING_APPROVAL/approve": "BOOKED", "PENDING_APPROVAL/reject": "REJECTED",
      "BOOKED/startDelivery": "DELIVERING", "DELIVERING/settle": "SETTLED",
      "DRAFT/cancel": "CANCELLED", "PENDING_APPROVAL/cancel": "CANCELLED", "BOOKED/cancel": "CANCELLED",
    };
    for (const from of ALL) {
      for (const action of Object.keys(TRANSITIONS) as ContractAction[]) {
        const key = `${from}/${action}`;
        if (expected[key]) expect(transition(from, action)).toBe(expected[key]);
        else expect(() => transition(from, action), key).toThrow(IllegalTransition);
      }
    }
  });
  it("says why a transition is refused", () => {
    expect(() => transition("SETTLED", "cancel")).toThrow("Cannot cancel a contract that is settled (it is settled)");
    expect(() => transition("BOOKED", "approve")).toThrow("Cannot approve a contract that is booked");
    expect(() => transition("DELIVERING", "cancel")).toThrow(/its delivery window has started/);
  });
});
