import { z } from "zod";

export const starterCatalogSchema = z.object({
  confirm: z.literal(true, { error: "check the starter list's prices and confirm" }),
});
