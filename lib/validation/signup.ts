import { z } from "zod";

export const signUpSchema = z.object({
  orgName: z.string().trim().min(2, "must be at least 2 characters").max(120),
  name: z.string().trim().min(1, "is required").max(120),
  email: z.string().trim().toLowerCase().email("must be a valid email address"),
  password: z.string().min(1, "is required").max(200),
});
