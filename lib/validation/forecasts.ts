import { z } from "zod";
import { id, isoDate } from "./common";

export const overrideSchema = z
  .object({
    teamId: id.optional(),
    modelClassId: id,
    startsOn: isoDate,
    endsOn: isoDate.optional(),
    changePct: z.union([z.string(), z.number()]).transform(String).refine((v) => /^-?\d{1,4}(\.\d{1,2})?$/.test(v) && Number(v) >= -100 && Number(v) <= 1000, "must be a percentage between -100 and 1000"),
    description: z.string().trim().min(3, "describe the event (at least 3 characters)").max(300),
  })
  .refine((v) => !v.endsOn || v.endsOn >= v.startsOn, { path: ["endsOn"], message: "must be on or after startsOn" });

export const forecastQuerySchema = z.object({ teamId: id.optional(), modelClassId: id.optional() });
